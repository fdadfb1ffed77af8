"""Write lesson 2's static figures (PNG) and their text descriptions into ``assets/``.

Static fallbacks of the lesson's interactive figures, drawn by the same code as the widgets
(for handouts, views without JavaScript and screen readers). Same shape as the shared
``scripts/make_assets.py`` of lesson 1: ``ASSETS`` maps a file stem to the functions that make
the figure and its description, so its entries can be merged into the shared registry.

    PYTHONPATH=$PWD .venv/bin/python scripts/make_assets_biomech.py

``tests/test_assets_biomech.py`` regenerates every entry in memory and fails when a committed
PNG or description is stale or missing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from melt_course import biomech as bm
from melt_course.figures import figure_png
from melt_course.figures.biomech import (
    describe_explorer,
    describe_four_words,
    explorer_figure,
    four_words_figure,
)

ROOT = Path(__file__).resolve().parent.parent
ASSET_DIR = ROOT / "assets"


@dataclass(frozen=True)
class Asset:
    """One static figure: how to draw it and how to describe it in words."""

    figure: Callable[[], Figure]
    describe: Callable[[], str]


def _four_words(pose: str) -> tuple[bm.FourWords, bm.FatigueRun]:
    return bm.four_words(pose, "psoas", 0.2, 300.0), bm.simulate_fatigue(0.2, 300.0, 600.0)


#: File stem (``assets/<stem>.png`` and ``assets/<stem>.txt``) -> the asset's functions.
ASSETS: dict[str, Asset] = {
    # Lesson 2: biomechanics
    "psoas-model-standing": Asset(lambda: explorer_figure(0.0, 0.0, "psoas")[0],
                                  lambda: describe_explorer(0.0, 0.0, "psoas")),
    "psoas-model-sitting": Asset(lambda: explorer_figure(90.0, -20.0, "psoas")[0],
                                 lambda: describe_explorer(90.0, -20.0, "psoas")),
    "four-words-sitting": Asset(lambda: four_words_figure(*_four_words("sitting"))[0],
                                lambda: describe_four_words(*_four_words("sitting"))),
}


def render(stem: str) -> tuple[bytes, str]:
    """Render one asset in memory: its PNG bytes and its description (ending in a newline).

    Raises
    ------
    KeyError
        For a stem that is not in :data:`ASSETS`.
    """
    if stem not in ASSETS:
        raise KeyError(f"unknown asset {stem!r}; expected one of {sorted(ASSETS)}")
    asset = ASSETS[stem]
    return figure_png(asset.figure()), asset.describe().strip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the selected assets (default all) into ``assets/``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stems", nargs="*", help=f"assets to write (default all: {sorted(ASSETS)})")
    args = parser.parse_args(argv)
    ASSET_DIR.mkdir(exist_ok=True)
    for stem in args.stems or sorted(ASSETS):
        png, text = render(stem)
        (ASSET_DIR / f"{stem}.png").write_bytes(png)
        (ASSET_DIR / f"{stem}.txt").write_text(text, encoding="utf-8")
        print(f"wrote assets/{stem}.png and assets/{stem}.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
