"""The committed static figures in assets/ are what the drawing code produces now."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import load_script, pixels_match
from matplotlib.image import imread

ROOT = Path(__file__).resolve().parent.parent


make_assets = load_script("make_assets")


@pytest.mark.parametrize("stem", sorted(make_assets.ASSETS))
def test_committed_asset_matches_the_drawing_code(stem):
    png_path = ROOT / "assets" / f"{stem}.png"
    txt_path = ROOT / "assets" / f"{stem}.txt"
    assert png_path.is_file() and txt_path.is_file(), \
        f"assets/{stem}.png or .txt is missing: run scripts/make_assets.py {stem}"
    png, text = make_assets.render(stem)
    ok, detail = pixels_match(png_path.read_bytes(), png)
    assert ok, f"assets/{stem}.png is stale ({detail}): run scripts/make_assets.py {stem}"
    assert txt_path.read_text(encoding="utf-8") == text, \
        f"assets/{stem}.txt is stale: run scripts/make_assets.py {stem}"


def test_every_committed_png_is_in_the_registry():
    stems = {p.stem for p in (ROOT / "assets").glob("*.png")}
    unknown = stems - set(make_assets.ASSETS)
    assert not unknown, f"not made by scripts/make_assets.py: {sorted(unknown)}"


def test_pixel_check_notices_a_changed_picture():
    png, _ = make_assets.render("psoas-minor-prevalence")
    image = imread(io.BytesIO(png)).copy()
    image[: image.shape[0] // 3] = 0.0
    buf = io.BytesIO()
    from matplotlib.image import imsave

    imsave(buf, image, format="png")
    ok, detail = pixels_match(png, buf.getvalue())
    assert not ok and "pixels differ" in detail


def test_render_rejects_unknown_asset():
    with pytest.raises(KeyError, match="'nope'"):
        make_assets.render("nope")
