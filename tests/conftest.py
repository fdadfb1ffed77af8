"""Shared test setup.

Progress isolation: every test run (and every kernel or Jupyter server it starts, which
inherit the environment) writes learner progress to a temporary folder, never to the real
user data directory.
"""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config):
    folder = tempfile.mkdtemp(prefix="melt-progress-tests-")
    os.environ["MELT_COURSE_PROGRESS"] = folder
    config._melt_progress_dir = folder


def pytest_unconfigure(config):
    import shutil

    folder = getattr(config, "_melt_progress_dir", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
