"""``python -m melt_course`` runs the ``melt-course`` command."""

import sys

from .cli import main

sys.exit(main())
