"""Shared by several test files: loading a script from scripts/, comparing PNGs by pixels,
the WCAG contrast of two colours."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
from matplotlib.image import imread


def pixels(png: bytes) -> np.ndarray:
    """A PNG's RGB pixels as integers (for exact or near comparisons of two renders)."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def pixels_match(committed: bytes, fresh: bytes) -> tuple[bool, str]:
    """Same bytes, or the same picture up to a sliver of anti-aliasing differences.

    Returns
    -------
    (bool, str)
        Whether they match, and how they compare in words.
    """
    if committed == fresh:
        return True, "identical bytes"
    a, b = imread(io.BytesIO(committed)), imread(io.BytesIO(fresh))
    if a.shape[:2] != b.shape[:2]:
        return False, f"size changed from {a.shape} to {b.shape}"
    a, b = a[..., :3], b[..., :3]   # an RGBA and an RGB copy of one picture are the same
    differs = np.abs(a - b).max(axis=-1) > 0.1
    share = differs.mean()
    return share < 0.001, f"{100 * share:.3f}% of pixels differ"


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` as module ``name`` (once; later calls return the same one).

    The module is registered in ``sys.modules`` before it runs, as its dataclasses need.
    """
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parent.parent / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    low, high = sorted((_luminance(a), _luminance(b)))
    return (high + 0.05) / (low + 0.05)
