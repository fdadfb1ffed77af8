"""A friendly note instead of a traceback when a lesson cell runs before its setup cell.

Every lesson's code cells call ``mc.something()``, and ``mc`` comes from the lesson's setup
cell (``from melt_course import notebook as mc``). A learner who opens a lesson and runs a
widget cell first, or runs one after restarting the kernel, would otherwise get a
``NameError`` traceback. This IPython extension catches exactly that error (the name ``mc`` not
defined) and shows a short note naming the setup cell instead; every other error keeps its
ordinary traceback. The cell still counts as failed, so Run All stops there as before.

The course's kernel loads it: ``melt_course/data/kernel/kernels/python3/kernel.json`` starts
ipykernel with ``--IPKernelApp.extensions=melt_course.cli.kernel_hint``, and ``melt-course
lab`` (so ``./dev lab``) and the hub's learner servers put that folder first on
``JUPYTER_PATH`` (:func:`melt_course.cli.servers.lab_environment`). Load it by hand with
``%load_ext melt_course.cli.kernel_hint``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HINT_MARKDOWN", "HINT_TEXT", "load_ipython_extension", "unload_ipython_extension"]

#: The name every lesson gives the course's helper package.
HELPER_NAME = "mc"

#: The note, as Markdown (JupyterLab shows this) and as plain text.
HINT_MARKDOWN = (
    "**This cell needs the course's helpers, which are not loaded yet.** Run the **Setup** cell "
    "near the top of this lesson first (the one that says "
    "`from melt_course import notebook as mc`), then run this cell again. Or choose "
    "**Run → Run All Cells** to run the whole lesson from the top.")
HINT_TEXT = (
    "This cell needs the course's helpers, which are not loaded yet. Run the Setup cell near the "
    "top of this lesson first (the one that says 'from melt_course import notebook as mc'), "
    "then run this cell again. Or choose Run → Run All Cells to run the whole lesson from the "
    "top.")


def _is_missing_helper(value: BaseException) -> bool:
    name = getattr(value, "name", None)
    if name is None:  # a NameError raised by hand has no .name
        return str(value) == f"name '{HELPER_NAME}' is not defined"
    return name == HELPER_NAME


def _handler(shell: Any, etype: type, value: BaseException, tb: Any,
             tb_offset: int | None = None) -> list[str]:
    if not _is_missing_helper(value):
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return []
    from IPython.display import display

    display({"text/markdown": HINT_MARKDOWN, "text/plain": HINT_TEXT}, raw=True)
    return []


def load_ipython_extension(ipython: Any) -> None:
    """Show :data:`HINT_MARKDOWN` instead of the traceback of ``NameError: name 'mc' ...``."""
    ipython.set_custom_exc((NameError,), _handler)


def unload_ipython_extension(ipython: Any) -> None:
    """Give ``NameError`` its ordinary traceback back."""
    ipython.set_custom_exc((), None)
