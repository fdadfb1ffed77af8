"""Benchmark: one balance-lab slider move (simulation + redraw) against naive baselines.

Run by hand (numbers depend on the machine and its load; nothing here is a test)::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_balance.py [--moves 20]

Prints the median and 95th percentile, in milliseconds, of:

* ``simulate``          - one 30 s simulation alone;
* ``widget move``       - what a learner waits for in the kernel: setting the gain slider of a
                          live :class:`BalanceLab` (simulation, loop analysis, artist update,
                          background-cached render, PNG bytes into the image widget);
* ``same figure, savefig`` - simulation + artist update + a full ``savefig`` of the same figure;
* ``new figure (baseline)`` - simulation + a fresh figure drawn and saved per move, as
                          ``interact`` with a plotting function would do;

and the ratio of each median to the baseline's, all measured in the same run.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import matplotlib
import numpy as np

from melt_course.balance import simulate
from melt_course.figures.balance import balance_figure, draw_balance, update_balance
from melt_course.figures.style import course_style, figure_png
from melt_course.widgets.balance import balance_lab


def _time(fn, values) -> list[float]:
    out = []
    for value in values:
        start = time.perf_counter()
        fn(value)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="slider values per case")
    args = parser.parse_args(argv)
    gains = [round(1.2 + 0.05 * i, 2) for i in range(args.moves)]

    simulate(seed=0)                                   # warm the noise and propagator caches
    lab = balance_lab()
    fig, axes = balance_figure()
    with course_style():
        artists = draw_balance(axes, simulate(seed=0))
    figure_png(fig)

    def widget_move(gain):
        lab.gain.value = gain

    def same_figure(gain):
        update_balance(artists, simulate(gain=gain))
        figure_png(fig)

    def new_figure(gain):
        new, new_axes = balance_figure()
        with course_style():
            draw_balance(new_axes, simulate(gain=gain))
        figure_png(new)

    cases = {
        "simulate": _time(lambda g: simulate(gain=g), gains),
        "widget move": _time(widget_move, gains),
        "same figure, savefig": _time(same_figure, gains),
        "new figure (baseline)": _time(new_figure, gains),
    }
    base = statistics.median(cases["new figure (baseline)"])
    print(f"balance lab benchmark: {args.moves} gain values per case; python "
          f"{platform.python_version()}, numpy {np.__version__}, matplotlib "
          f"{matplotlib.__version__}, {platform.machine()}")
    print(f"{'case':<24}{'median ms':>11}{'p95 ms':>10}{'x baseline':>12}")
    for name, times in cases.items():
        median = statistics.median(times)
        p95 = float(np.percentile(times, 95))
        print(f"{name:<24}{median:>11.1f}{p95:>10.1f}{median / base:>12.2f}")
    print(f"background redraws in the widget: {lab._live.background_draws} "
          f"(full draws when the sway axis rescales)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
