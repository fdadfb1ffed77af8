"""The balance lab's static fallback figures in assets/ are up to date and describe themselves."""

import importlib.util
from pathlib import Path

from melt_course.figures.balance import STATIC_SCENARIOS, render_static_assets

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_assets_balance", ROOT / "scripts" / "make_assets_balance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_assets_are_fresh():
    fresh = render_static_assets()
    assert set(fresh) == {f"{stem}{ext}" for stem in STATIC_SCENARIOS for ext in (".png", ".txt")}
    for name, data in fresh.items():
        path = ASSETS / name
        assert path.is_file(), f"missing {path}: run scripts/make_assets_balance.py"
        assert path.read_bytes() == data, f"{name} is stale: run scripts/make_assets_balance.py"


def test_descriptions_say_what_each_figure_shows():
    assert "stays up, sway area" in (ASSETS / "balance_default.txt").read_text(encoding="utf-8")
    assert "falls at t =" in (ASSETS / "balance_no_feedback.txt").read_text(encoding="utf-8")
    assert "falls at t =" in (ASSETS / "balance_long_delay.txt").read_text(encoding="utf-8")


def test_check_mode_reports_a_stale_file(tmp_path):
    script = _script()
    for name, data in render_static_assets().items():
        (tmp_path / name).write_bytes(data)
    assert script.stale_files(tmp_path) == []
    (tmp_path / "balance_default.png").write_bytes(b"not a png")
    (tmp_path / "balance_long_delay.txt").unlink()
    assert script.stale_files(tmp_path) == ["balance_default.png", "balance_long_delay.txt"]
