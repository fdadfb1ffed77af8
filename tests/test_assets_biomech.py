"""Lesson 2's committed static figures in assets/ are what the drawing code produces now."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

ROOT = Path(__file__).resolve().parent.parent


def _load_script():
    path = ROOT / "scripts" / "make_assets_biomech.py"
    spec = importlib.util.spec_from_file_location("make_assets_biomech", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_assets_biomech"] = module
    spec.loader.exec_module(module)
    return module


make_assets = _load_script()


def _pixels_match(committed: bytes, fresh: bytes) -> tuple[bool, str]:
    """Same bytes, or the same picture up to a sliver of anti-aliasing differences."""
    if committed == fresh:
        return True, "identical bytes"
    a, b = imread(io.BytesIO(committed)), imread(io.BytesIO(fresh))
    if a.shape != b.shape:
        return False, f"size changed from {a.shape} to {b.shape}"
    share = (np.abs(a - b).max(axis=-1) > 0.1).mean()
    return share < 0.001, f"{100 * share:.3f}% of pixels differ"


@pytest.mark.parametrize("stem", sorted(make_assets.ASSETS))
def test_committed_asset_matches_the_drawing_code(stem):
    png_path, txt_path = ROOT / "assets" / f"{stem}.png", ROOT / "assets" / f"{stem}.txt"
    assert png_path.is_file() and txt_path.is_file(), \
        f"assets/{stem}.png or .txt is missing: run scripts/make_assets_biomech.py {stem}"
    png, text = make_assets.render(stem)
    ok, detail = _pixels_match(png_path.read_bytes(), png)
    assert ok, f"assets/{stem}.png is stale ({detail}): run scripts/make_assets_biomech.py"
    assert txt_path.read_text(encoding="utf-8") == text, f"assets/{stem}.txt is stale"


def test_the_check_notices_a_changed_picture():
    png, _ = make_assets.render("psoas-model-standing")
    other, _ = make_assets.render("psoas-model-sitting")
    assert not _pixels_match(png, other)[0]


def test_unknown_asset_is_refused():
    with pytest.raises(KeyError, match="'psoas-model'"):
        make_assets.render("psoas-model")
