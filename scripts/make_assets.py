"""Write the course's static figures (PNG) and their text descriptions into ``assets/``.

Every interactive diagram has a static fallback drawn by the same code, used by handouts, the
app's no-JavaScript view and screen readers. This script is shared: to add a figure, add one
entry to ``ASSETS`` (file stem -> functions that make the figure and its description) and run

    PYTHONPATH=$PWD .venv/bin/python scripts/make_assets.py

``tests/test_assets.py`` regenerates every entry in memory and fails when a committed PNG or
description is stale or missing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from melt_course.figures import figure_png
from melt_course.figures.anatomy import (
    anatomy_figure,
    describe_anatomy,
    describe_prevalence,
    prevalence_figure,
)
from melt_course.figures.balance import (
    STATIC_SCENARIOS,
    describe_static_balance,
    static_balance_figure,
)
from melt_course.figures.biomech import (
    describe_explorer,
    describe_static_four_words,
    explorer_figure,
    static_four_words_figure,
)
from melt_course.figures.startle import (
    describe_diaphragm_psoas,
    describe_startle,
    describe_stress,
    diaphragm_figure,
    startle_figure,
    stress_figure,
)

ROOT = Path(__file__).resolve().parent.parent
ASSET_DIR = ROOT / "assets"


@dataclass(frozen=True)
class Asset:
    """One static figure: how to draw it and how to describe it in words."""

    figure: Callable[[], Figure]
    describe: Callable[[], str]


#: File stem (``assets/<stem>.png`` and ``assets/<stem>.txt``) -> the asset's functions.
ASSETS: dict[str, Asset] = {
    # Lesson 1: anatomy
    "anatomy-front": Asset(lambda: anatomy_figure("front"), lambda: describe_anatomy("front")),
    "anatomy-side": Asset(lambda: anatomy_figure("side"), lambda: describe_anatomy("side")),
    "psoas-minor-prevalence": Asset(prevalence_figure, describe_prevalence),
    # Lesson 3: stress, startle and the psoas
    "startle-timeline": Asset(lambda: startle_figure(100.0)[0], lambda: describe_startle(100.0)),
    "startle-timeline-autonomic": Asset(lambda: startle_figure(2000.0)[0],
                                        lambda: describe_startle(2000.0)),
    "stress-hormones": Asset(lambda: stress_figure(60.0)[0], lambda: describe_stress(60.0)),
    "diaphragm-psoas": Asset(lambda: diaphragm_figure(0.0)[0],
                             lambda: describe_diaphragm_psoas(0.0)),
    "diaphragm-psoas-gasp": Asset(lambda: diaphragm_figure(1.0)[0],
                                  lambda: describe_diaphragm_psoas(1.0)),
    # Lesson 2: the psoas model explorer (standing, sitting) and the four words (sitting)
    "psoas-model-standing": Asset(lambda: explorer_figure(0.0, 0.0, "psoas")[0],
                                  lambda: describe_explorer(0.0, 0.0, "psoas")),
    "psoas-model-sitting": Asset(lambda: explorer_figure(90.0, -20.0, "psoas")[0],
                                 lambda: describe_explorer(90.0, -20.0, "psoas")),
    "four-words-sitting": Asset(lambda: static_four_words_figure("sitting"),
                                lambda: describe_static_four_words("sitting")),
    # Lesson 4: the balance lab in four settings (see figures.balance.STATIC_SCENARIOS)
    **{stem: Asset(lambda s=stem: static_balance_figure(s),
                   lambda s=stem: describe_static_balance(s))
       for stem in STATIC_SCENARIOS},
}


def render(stem: str) -> tuple[bytes, str]:
    """Render one asset in memory: its PNG bytes and its description text (ending in a newline).

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
    stems = args.stems or sorted(ASSETS)
    ASSET_DIR.mkdir(exist_ok=True)
    for stem in stems:
        png, text = render(stem)
        (ASSET_DIR / f"{stem}.png").write_bytes(png)
        (ASSET_DIR / f"{stem}.txt").write_text(text, encoding="utf-8")
        print(f"wrote assets/{stem}.png and assets/{stem}.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
