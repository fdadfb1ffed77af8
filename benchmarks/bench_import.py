"""Import cost: the course package against the libraries it builds on, in fresh interpreters.

Measures, each in a new Python process (N runs, interleaved so machine noise hits both alike):
  - baseline: ``import numpy, matplotlib.pyplot, ipywidgets``
  - ``import melt_course`` (must stay light: nothing heavy at import time)
  - ``from melt_course import notebook`` (what every lesson's setup cell runs)
Target (issue 8): the lesson import costs <= 1.2x the baseline.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Summary, compile_course, machine_line, report

CASES = {
    "baseline": "import numpy, matplotlib.pyplot, ipywidgets",
    "package": "import melt_course",
    "lesson setup": "from melt_course import notebook",
}


def _time_import(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    compile_course()
    samples = {name: [] for name in CASES}
    _time_import("pass")  # warm the file cache
    for _ in range(args.runs):
        for name, code in CASES.items():
            samples[name].append(_time_import(code))
    floor = Summary.of(samples["baseline"])
    print(f"Import cost ({machine_line()})")
    report("import melt_course", Summary.of(samples["package"]), floor, target=1.2)
    report("from melt_course import notebook", Summary.of(samples["lesson setup"]), floor,
           target=1.2)


if __name__ == "__main__":
    main()
