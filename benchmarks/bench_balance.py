"""Balance lab: one slider move (simulation + redraw) against a new figure per move.

Measures, in one process with the cases interleaved (so machine noise hits them alike), the
time from setting a slider value to new PNG bytes in the image widget:

  - baseline: simulation + a fresh figure drawn and saved per move, as ``interact`` with a
    plotting function would do;
  - widget move: setting the gain slider of a live ``BalanceLab`` (simulation, loop
    analysis, artists updated in the one live figure, background-cached render, PNG);
  - same figure, savefig: simulation + artists updated + a full ``savefig`` (no cached
    background), to show what the cached background saves;
  - simulation alone.

Target (issue 8, kernel side): the widget move costs <= 0.5x the baseline. Run by hand::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_balance.py [--moves 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Summary, machine_line, report

from melt_course.figures.balance import balance_figure, draw_balance, update_balance
from melt_course.figures.style import course_style, figure_png
from melt_course.models.balance import simulate
from melt_course.widgets.balance import balance_lab


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="slider values per case")
    args = parser.parse_args(argv)
    gains = [round(1.2 + 0.05 * i, 2) for i in range(args.moves)]

    simulate(seed=0)                       # warm the noise and propagator caches
    lab = balance_lab()
    fig, axes = balance_figure()
    with course_style():
        artists = draw_balance(axes, simulate(seed=0))
    figure_png(fig)

    def widget_move(gain: float) -> None:
        lab.gain.value = gain

    def same_figure(gain: float) -> None:
        update_balance(artists, simulate(gain=gain))
        figure_png(fig)

    def new_figure(gain: float) -> None:
        new, new_axes = balance_figure()
        with course_style():
            draw_balance(new_axes, simulate(gain=gain))
        figure_png(new)

    cases = {"baseline": new_figure, "widget move": widget_move,
             "same figure, savefig": same_figure, "simulation": lambda g: simulate(gain=g)}
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for gain in gains:
        for name, move in cases.items():
            start = time.perf_counter()
            move(gain)
            samples[name].append(time.perf_counter() - start)

    print(f"Balance lab, {args.moves} gain values per case; {machine_line()}")
    base = Summary.of(samples["baseline"])
    report("widget move (kernel side: model + redraw + PNG)", Summary.of(samples["widget move"]),
           base, target=0.5, baseline_name="new fig")
    report("same figure, full savefig each move", Summary.of(samples["same figure, savefig"]),
           base, baseline_name="new fig")
    report("simulation alone (30 s of standing)", Summary.of(samples["simulation"]), base,
           baseline_name="new fig")
    print(f"background redraws in the widget: {lab._live.background_draws} of "
          f"{args.moves + 1} renders (a full draw only when the sway axis rescales)")


if __name__ == "__main__":
    main()
