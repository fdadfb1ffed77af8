"""Shared helpers for the benchmark scripts: statistics and a uniform printout.

Benchmarks print figures (median, p95, and a ratio against a baseline measured in the same
run); they never assert on time. Run them by hand, e.g.
``.venv/bin/python benchmarks/bench_import.py``.
"""

from __future__ import annotations

import platform
import statistics
import sys
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class Summary:
    """Median and 95th percentile of a list of timings, in milliseconds."""

    n: int
    median_ms: float
    p95_ms: float

    @classmethod
    def of(cls, seconds: list[float]) -> Summary:
        """Summarise timings given in seconds."""
        if not seconds:
            raise ValueError("no timings to summarise: got an empty list")
        ms = sorted(s * 1000 for s in seconds)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        return cls(len(ms), statistics.median(ms), p95)


def machine_line() -> str:
    """One line naming the machine, Python and date, for the record in docs/performance.md."""
    import os

    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")


def report(title: str, measured: Summary, baseline: Summary, target: float | None = None,
           baseline_name: str = "baseline") -> float:
    """Print a benchmark's figures and return the ratio of medians (measured / baseline)."""
    ratio = measured.median_ms / baseline.median_ms
    verdict = ""
    if target is not None:
        verdict = f"  target <= {target:g}x: {'met' if ratio <= target else 'NOT met'}"
    print(f"{title}")
    print(f"  measured : n={measured.n:3d}  median {measured.median_ms:9.1f} ms  "
          f"p95 {measured.p95_ms:9.1f} ms")
    print(f"  {baseline_name:9s}: n={baseline.n:3d}  median {baseline.median_ms:9.1f} ms  "
          f"p95 {baseline.p95_ms:9.1f} ms")
    print(f"  ratio (median) {ratio:.2f}x{verdict}")
    return ratio
