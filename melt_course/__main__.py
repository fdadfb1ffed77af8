"""``python -m melt_course`` runs the ``melt-course`` command."""

import sys

from melt_course.cli.main import main

sys.exit(main())
