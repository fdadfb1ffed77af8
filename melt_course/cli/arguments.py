"""Argument types for the ``melt-course`` command line: one way to read a whole number."""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["whole_number"]

#: Most characters of a bad argument quoted in a message.
_QUOTE = 40


def _brief(text: str, quote: bool = False) -> str:
    """``text`` cut to :data:`_QUOTE` characters (then ``...``), quoted when ``quote``."""
    cut = text[:_QUOTE]
    shown = repr(cut) if quote else cut
    return shown if cut == text else shown + "..."


def whole_number(name: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """An ``argparse`` type reading a whole number from ``low`` to ``high`` (inclusive).

    Parameters
    ----------
    name : str
        What the number is, for the message (``"minutes"``, ``"port"``).
    low : int
        The smallest accepted value.
    high : int, optional
        The largest accepted value (no limit when None).

    Returns
    -------
    callable
        ``parse(text) -> int``, raising :class:`argparse.ArgumentTypeError` that names the
        value (at most 40 characters of it) and what was expected.
    """
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got "
                                             f"{_brief(text, quote=True)}") from None
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{name} must be between {low} and {high}, got "
                                             f"{_brief(str(value))}")
        if value < low:
            raise argparse.ArgumentTypeError(f"{name} must be at least {low}, got "
                                             f"{_brief(str(value))}")
        return value

    parse.__name__ = name.replace(" ", "_")   # argparse names the type in its own messages
    return parse
