"""Prepared first frames: the PNG a diagram shows before anyone has moved a control.

A lesson's diagrams open in a known state (``psoas_explorer()`` at standing, the anatomy
explorer on the front view, ...). Drawing that state with matplotlib costs a figure build,
a layout pass and a render in every lesson run, and importing matplotlib itself. Instead,
``scripts/make_frames.py`` renders every diagram the lessons display with the same widget
code and stores the bytes here as package data, named by a *frame key* that the widget
derives from its starting state. A diagram (:class:`~melt_course.widgets.diagram.Picture`)
whose key has a stored frame shows it at once and builds its live figure only when a control
first moves; ``tests/test_frames.py`` fails when a stored frame is no longer what the drawing
code produces.

This module is data only: no matplotlib, no widgets.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import zlib
from importlib import resources

__all__ = ["FRAMES_ENV", "TEXT_SIZE_KEY", "frame_key", "load", "png_size", "smallest_text_px",
           "state_digest", "stored_keys", "with_smallest_text"]

#: Set this environment variable to ``off`` to ignore stored frames (always draw live).
FRAMES_ENV = "MELT_COURSE_FRAMES"

_FOLDER = ("data", "frames")
_KEY = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
_PART = re.compile(r"^[a-z0-9.+-]+$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The PNG text chunk's keyword under which a stored frame records its smallest text height.
TEXT_SIZE_KEY = "melt-smallest-text-px"


def _part(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "+".join(_part(v) for v in value)
    return re.sub(r"[^a-z0-9.+-]+", "-", str(value).lower()).strip("-")


def frame_key(name: str, *state: object) -> str:
    """The key of a diagram's first frame: its name and its starting state.

    Parameters
    ----------
    name : str
        The diagram's name, e.g. ``"psoas-explorer"``.
    *state
        The values that decide what the first frame shows (numbers, strings, booleans,
        ``None`` or lists of these). ``90.0`` and ``90`` give the same key.

    Returns
    -------
    str
        Lower-case letters, digits and ``. + -``, parts joined by ``_``.

    Raises
    ------
    ValueError
        When ``name`` gives an empty key part.

    Examples
    --------
    >>> frame_key("psoas-explorer", 90.0, -20, "psoas")
    'psoas-explorer_90_-20_psoas'
    """
    head = _part(name)
    if not head or not _KEY.match(head):
        raise ValueError(f"frame name {name!r} gives no usable key; expected letters or digits")
    return "_".join([head, *(_part(v) for v in state)])


def state_digest(*values: object) -> str:
    """A short, stable digest of a state too rich for a readable key (e.g. a chart's rows).

    Parameters
    ----------
    *values
        Objects whose ``repr`` is deterministic (dataclasses of numbers and strings, tuples).

    Returns
    -------
    str
        12 hexadecimal digits.
    """
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()[:12]


def _enabled() -> bool:
    return os.environ.get(FRAMES_ENV, "").strip().lower() not in {"off", "0", "no", "false"}


def load(key: str) -> bytes | None:
    """The stored first frame for ``key``, or None when there is none (or frames are off).

    Parameters
    ----------
    key : str
        A key made by :func:`frame_key`.

    Raises
    ------
    ValueError
        When ``key`` is not a well-formed frame key.
    """
    if not isinstance(key, str) or not _KEY.match(key) or not all(
            _PART.match(p) for p in key.split("_")):
        raise ValueError(f"frame key {key!r} is not well formed; make keys with frame_key()")
    if not _enabled():
        return None
    path = resources.files("melt_course").joinpath(*_FOLDER, f"{key}.png")
    return path.read_bytes() if path.is_file() else None


def stored_keys() -> list[str]:
    """Every frame key with a stored PNG, sorted."""
    folder = resources.files("melt_course").joinpath(*_FOLDER)
    if not folder.is_dir():
        return []
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".png"))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of a PNG image, read from its header.

    Raises
    ------
    ValueError
        When ``data`` is not a PNG image.
    """
    if len(data) < 24 or data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError(f"not a PNG image: starts with {bytes(data[:16])!r}")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _chunks(data: bytes):
    """``(tag, body)`` of each chunk of a PNG image, up to its first image data."""
    png_size(data)
    at = len(_PNG_SIGNATURE)
    while at + 8 <= len(data):
        length, tag = struct.unpack(">I4s", data[at:at + 8])
        yield tag, data[at + 8:at + 8 + length]
        if tag in (b"IDAT", b"IEND"):
            return
        at += 12 + length


def smallest_text_px(data: bytes) -> float | None:
    """The smallest text size in image pixels a stored frame records (None: not recorded).

    ``scripts/make_frames.py`` writes it (:func:`with_smallest_text`), measured from the
    matplotlib figure, so a diagram shown from a stored frame knows it without matplotlib.

    Raises
    ------
    ValueError
        When ``data`` is not a PNG image.
    """
    for tag, body in _chunks(data):
        if tag == b"tEXt":
            keyword, _, value = body.partition(b"\0")
            if keyword == TEXT_SIZE_KEY.encode("ascii"):
                return float(value.decode("ascii"))
    return None


def with_smallest_text(data: bytes, px: float) -> bytes:
    """The PNG ``data`` with its smallest text size (image pixels) recorded in a text chunk.

    Raises
    ------
    ValueError
        When ``data`` is not a PNG image or ``px`` is not a positive number.
    """
    if not (isinstance(px, (int, float)) and px > 0):
        raise ValueError(f"px={px!r} must be a positive number of pixels")
    after_header = 8 + 4 + 4 + 13 + 4   # signature, then the IHDR chunk (length, tag, body, CRC)
    png_size(data)
    body = TEXT_SIZE_KEY.encode("ascii") + b"\0" + f"{px:.2f}".encode("ascii")
    chunk = (struct.pack(">I", len(body)) + b"tEXt" + body
             + struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF))
    return data[:after_header] + chunk + data[after_header:]
