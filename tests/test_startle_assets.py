"""Lesson 3's static fallback figures in assets/ are fresh (identical to a new render)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from melt_course.figures.startle import static_assets

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_assets_startle", ROOT / "scripts" / "make_assets_startle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh():
    return static_assets()


def test_assets_are_fresh(fresh):
    stale = _script().stale_files(ROOT / "assets", fresh)
    assert stale == [], ("assets out of date; run `PYTHONPATH=. python "
                         "scripts/make_assets_startle.py`: " + ", ".join(stale))


def test_stale_check_notices_a_changed_file(tmp_path, fresh):
    script = _script()
    for name, data in fresh.items():
        (tmp_path / name).write_bytes(data)
    assert script.stale_files(tmp_path, fresh) == []
    (tmp_path / "stress_hormones.png").write_bytes(b"not a png")
    (tmp_path / "diaphragm_psoas.txt").unlink()
    assert set(script.stale_files(tmp_path, fresh)) == {"stress_hormones.png",
                                                        "diaphragm_psoas.txt"}


def test_every_png_has_its_description(fresh):
    names = set(fresh)
    for name in names:
        stem = name.rsplit(".", 1)[0]
        assert {f"{stem}.png", f"{stem}.txt"} <= names
