"""Lesson 2's hip-flexor diagrams: kernel time per slider move, this code against another.

For each diagram (the hip-flexor comparison, the fibre-length diagram from -30 degrees, the
walking step), a fresh interpreter builds the widget and its live figure, moves the main
slider twice (not counted), then 20 more times, one step each (wrapping at the end), and
reports the CPU time (``time.process_time``) of each move: state, read-outs, update, render,
PNG, alt text and description, as a learner's move runs them. With ``--before DIR`` (a
directory holding another ``melt_course``, e.g. from
``git archive <commit> melt_course | tar -x -C DIR``) the same is measured with that package,
the two alternating diagram by diagram and round by round, so machine noise falls on both;
``--other NAME=DIR`` (repeatable) adds more packages to the rotation.

Run by hand (the machine is shared: read ratios, not absolute times)::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_kernel_moves.py --before /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DIAGRAMS = {
    "comparison": "mc.hip_flexor_comparison()",
    "fibre length": "mc.fibre_length_widget(hip_flexion_deg=-30)",
    "walking step": "mc.gait_cycle()",
}

_CHILD = r"""
import json, sys, time
import ipywidgets as W
from melt_course import notebook as mc
from melt_course.widgets.diagram import _descendants
widget = eval(sys.argv[1])
widget.picture.build()
slider = [d for d in _descendants(widget) if isinstance(d, (W.IntSlider, W.FloatSlider))][0]
def move():
    value = slider.value + slider.step
    slider.value = slider.min if value > slider.max else value
for _ in range(2):
    move()
times = []
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    move()
    times.append((time.process_time() - start) * 1000)
print(json.dumps({"package": __import__("melt_course").__file__, "ms": times}))
"""


def _measure(code: str, package: Path, moves: int) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(package), MELT_COURSE_WARM="off")
    out = subprocess.run([sys.executable, "-c", _CHILD, code, str(moves)], env=env, cwd=package,
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["package"].startswith(str(package)):
        raise RuntimeError(f"measured {result['package']}, not the package in {package}")
    return result["ms"]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a directory holding another melt_course")
    parser.add_argument("--other", action="append", default=[], metavar="NAME=DIR",
                        help="another melt_course to measure in the rotation")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args(argv)
    variants = {}
    given = ([("before", args.before)] if args.before is not None else []) + [
        tuple(o.split("=", 1)) for o in args.other]
    for name, where in given:
        package = Path(where).resolve()
        if not (package / "melt_course" / "__init__.py").is_file():
            parser.error(f"{name}={where}: no melt_course package in it")
        variants[name] = package
    variants["this"] = ROOT
    rows: dict[tuple[str, str], list[list[float]]] = {}
    for r in range(args.rounds):
        for name, code in DIAGRAMS.items():
            order = list(variants.items())
            shift = r % len(order)                        # a rotating order, round by round
            order = order[shift:] + order[:shift]
            for variant, package in order:
                ms = _measure(code, package, args.moves)
                rows.setdefault((name, variant), []).append(ms)
                print(f"round {r + 1} {name:13s} {variant:6s} median {statistics.median(ms):6.1f}"
                      f" ms  p95 {_p95(ms):6.1f} ms", flush=True)
    base = next(iter(variants))
    others = [v for v in variants if v != base]
    print("\n| Diagram | " + " | ".join(f"{v}: median / p95 (ms), per round" for v in variants)
          + "".join(f" | {v} / {base}" for v in others) + " |")
    print("|---" * (1 + len(variants) + len(others)) + "|")
    for name in DIAGRAMS:
        cells, medians = [], {}
        for variant in variants:
            runs = rows[(name, variant)]
            medians[variant] = statistics.median([statistics.median(ms) for ms in runs])
            cells.append(", ".join(f"{statistics.median(ms):.1f} / {_p95(ms):.1f}" for ms in runs))
        ratios = "".join(f" | {medians[v] / medians[base]:.2f}x" for v in others)
        print(f"| {name} | " + " | ".join(cells) + ratios + " |")

if __name__ == "__main__":
    main()
