"""Shared helpers for the benchmark scripts: statistics and a uniform printout.

Benchmarks print figures (median, p95, and a ratio against a baseline measured in the same
run); they never assert on time. Run them by hand, e.g.
``.venv/bin/python benchmarks/bench_import.py``.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from processes import free_port  # noqa: F401  (the benchmarks import it from here)


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


ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("MELT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def machine_line() -> str:
    """One line naming the machine, Python and date, for the record in docs/performance.md."""
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


def compile_course() -> None:
    """Byte-compile the course, as ``./dev`` does before it starts anything.

    Python caches compiled modules on first import, unless ``PYTHONDONTWRITEBYTECODE`` is
    set (as on this machine): then a stale or missing cache makes every fresh kernel compile
    the course's modules again, which would be measured as the course's own cost.
    """
    import compileall

    compileall.compile_dir(str(ROOT / "melt_course"), quiet=1)


def start_voila(port: int, token: str, package_root: Path | None = None,
                env: dict[str, str] | None = None) -> subprocess.Popen:
    """Voila serving the repository root (lessons and benchmark notebooks) on 127.0.0.1.

    With the course's own template (``melt``, as ``melt-course app`` serves the lessons), so
    the pages load what a learner's page loads and nothing from a CDN. ``package_root``: a
    folder holding another ``melt_course`` (an earlier commit's, say) for the kernels to
    import instead of this repository's. ``env``: more environment variables for the server
    and its kernels.
    """
    from melt_course.cli.servers import APP_TEMPLATE, app_environment

    extra = env or {}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(package_root or ROOT), str(ROOT / "benchmarks" / "notebooks")]))
    env.update(app_environment(env))
    env.update(extra)
    # A cell that displays into an Output widget while the notebook runs (the naive
    # baselines' interact) sometimes leaves Voila waiting for an execute reply that only comes
    # when the wait times out (upstream: jupyter/nbclient#312, voila-dashboards/voila#1428);
    # with no timeout the page never loads. The course's own pages have no Output widgets.
    cmd = [sys.executable, "-m", "voila", str(ROOT), f"--port={port}", "--no-browser",
           "--Voila.ip=127.0.0.1", f"--token={token}", "--VoilaExecutor.timeout=20",
           f"--VoilaConfiguration.template={APP_TEMPLATE}", "--VoilaConfiguration.theme=light"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={token}", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise TimeoutError("Voila did not start within 90 s")


def offline_page(browser):
    """A new page that refuses every request to another host (the course must not need any).

    Returns the page and the list that collects the refused URLs.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused: list[str] = []

    def _refuse(route):
        refused.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith("http://127.0.0.1"), _refuse)
    return page, refused
