"""Whole-course execution: every lesson from a fresh kernel, against the kernel start-up floor.

For each round, runs every notebook in notebooks/ top to bottom in a fresh kernel (nbclient, as
nbval and Voila do), each followed by an empty one-cell notebook (the floor: kernel start and
shutdown). Prints per-notebook medians, the course total, and the ratio total/floor.
Target (issue 8): <= 1.5x.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Summary, compile_course, machine_line, report

ROOT = Path(__file__).resolve().parent.parent


def _run(nb: nbformat.NotebookNode, cwd: Path) -> float:
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    compile_course()
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    per_nb = {p.name: [] for p in paths}
    totals, floors = [], []
    for _ in range(args.rounds):
        total = floor = 0.0
        for path in paths:
            # Each lesson next to one empty notebook, so that a slow spell of the machine
            # falls on both sides of the ratio.
            seconds = _run(nbformat.read(path, as_version=4), path.parent)
            per_nb[path.name].append(seconds)
            total += seconds
            floor += _run(nbformat.from_dict(empty), ROOT)
        totals.append(total)
        floors.append(floor)
    print(f"Whole-course execution, {len(paths)} notebooks ({machine_line()})")
    for name, samples in per_nb.items():
        print(f"  {name:32s} median {Summary.of(samples).median_ms:8.0f} ms")
    report("all notebooks, fresh kernels", Summary.of(totals), Summary.of(floors),
           target=1.5, baseline_name="empty nbs")


if __name__ == "__main__":
    main()
