"""Comparing two PNG images by their pixels (shared by the asset and frame freshness tests)."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.image import imread


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
