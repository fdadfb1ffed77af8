"""Load test of the classroom hub: the app load script's learners, each on their own server.

A script, not a test (it asserts nothing about time). It starts ``melt-course hub`` (as
tests/test_hub.py does: loopback, free ports, its own state folder), then runs two rounds on
the same hub, one after the other:

1. **one learner** alone (the baseline), then
2. **N learners** at the same moment (default 10).

In each round every learner logs in through the hub's login form, gets a token of their own,
asks the hub to start their server (all at once), and, once it is ready, does what
``benchmarks/load_app.py --mode ws`` does against the app: opens the start lesson in the course
app (Voilà, inside their own server), asks for the widgets' state and moves the hip demo's
slider ``--moves`` times, timing each move until the new picture arrives
(``load_app.ws_learner``, unchanged). The round's servers are stopped before the next round.

Printed per round: server start (from the start request to ready), lesson ready and slider
move (median and p95), learners with errors, and memory and CPU per learner (the hub's whole
process tree, sampled twice a second, minus the hub alone before the round); then the ratio of
the N-learner round to the one-learner round.

Usage::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/load_hub.py --learners 10

Results for this machine are recorded in docs/hub.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
import load_app  # noqa: E402
from common import Summary, machine_line  # noqa: E402
from hub_helpers import Person, start_hub  # noqa: E402
from processes import cpu_seconds, process_tree, rss_mb  # noqa: E402

#: The lesson, as a path below each learner's home (the app script serves notebooks/ itself).
HUB_NOTEBOOK = "notebooks/00_start_here.ipynb"


class Sampler(threading.Thread):
    """Peak resident memory of the hub's tree, and CPU seconds seen per process."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self._stop_event = pid, 0.0, threading.Event()
        self.cpu: dict[int, float] = {}

    def _sample(self) -> None:
        total = 0.0
        for p in process_tree(self.pid):
            try:
                total += rss_mb(p)
                self.cpu[p] = max(self.cpu.get(p, 0.0), cpu_seconds(p))
            except (IndexError, ValueError):
                continue
        self.peak_mb = max(self.peak_mb, total)

    def run(self) -> None:
        while not self._stop_event.wait(0.5):
            self._sample()

    def stop(self) -> None:
        self._sample()
        self._stop_event.set()
        self.join()


class _TokenHeader(urllib.request.BaseHandler):
    """Send the ``?token=`` of an address as an ``Authorization`` header too: load_app's
    learners put their token in the address, which JupyterHub 5's single-user servers ignore
    (a token in a URL leaks into logs and history); the header is what they accept."""

    def http_request(self, request):
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(request.full_url).query).get("token")
        if token:
            request.add_unredirected_header("Authorization", f"token {token[0]}")
        return request


def _use_token_headers() -> None:
    """Make load_app's HTTP requests and websockets carry their token as a header."""
    import websocket

    urllib.request.install_opener(urllib.request.build_opener(_TokenHeader()))
    connect = websocket.create_connection
    if getattr(connect, "_melt_token_header", False):
        return

    def create_connection(url, *args, **kwargs):
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("token")
        if token:
            kwargs.setdefault("header", []).append(f"Authorization: token {token[0]}")
        return connect(url, *args, **kwargs)

    create_connection._melt_token_header = True
    websocket.create_connection = create_connection


def one_round(hub, names: list[str], moves: int, think: float, timeout: float) -> dict:
    """Log in, start and use ``names``' servers at once; stop them; return the figures."""
    baseline = Sampler(hub.proc.pid)
    baseline._sample()
    idle_mb, idle_cpu = baseline.peak_mb, sum(baseline.cpu.values())
    sampler = Sampler(hub.proc.pid)
    sampler.cpu = dict(baseline.cpu)
    sampler.start()
    people = [Person(hub.url, name) for name in names]
    for person in people:
        person.log_in(hub.class_password)
        person.make_token()
    starts: dict[str, float] = {}
    asked = time.monotonic()
    for person in people:
        person.start_server()
    waiting = list(people)
    deadline = asked + timeout
    while waiting and time.monotonic() < deadline:
        for person in list(waiting):
            if person.server_ready():
                starts[person.name] = time.monotonic() - asked
                waiting.remove(person)
        time.sleep(0.5)
    learners = [load_app.Learner(i) for i in range(len(people))]
    for learner, person in zip(learners, people, strict=True):
        if person in waiting:
            learner.errors.append("server did not start")
    load_app.NOTEBOOK = HUB_NOTEBOOK
    _use_token_headers()
    threads = [threading.Thread(target=load_app.ws_learner, args=(
        learner, f"{hub.url}/user/{person.name}", person.token, moves, think, timeout))
        for learner, person in zip(learners, people, strict=True) if person not in waiting]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sampler.stop()
    cpu = sum(sampler.cpu.values()) - idle_cpu
    for person in people:
        person.api(f"/hub/api/users/{person.name}/server", "DELETE")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(
            p.api(f"/hub/api/users/{p.name}").json().get("servers") for p in people):
        time.sleep(1)
    n = len(names)
    return {"n": n, "starts": list(starts.values()), "learners": learners,
            "mb_per_learner": (sampler.peak_mb - idle_mb) / n, "cpu_per_learner": cpu / n,
            "idle_mb": idle_mb, "peak_mb": sampler.peak_mb}


def _line(label: str, values: list[float], unit: str) -> str:
    if not values:
        return f"  {label:14s}: none measured"
    s = Summary.of(values)
    scale = 1000 if unit == "s" else 1
    return (f"  {label:14s}: n={s.n:3d}  median {s.median_ms / scale:8.2f} {unit}  "
            f"p95 {s.p95_ms / scale:8.2f} {unit}")


def report(result: dict) -> None:
    """Print one round's figures."""
    learners = result["learners"]
    pages = [le.page_seconds for le in learners if le.page_seconds is not None]
    moves = [m * 1000 for le in learners for m in le.moves]
    failed = [le for le in learners if le.errors]
    print(f"{result['n']} learner(s):")
    print(_line("server start", result["starts"], "s"))
    print(_line("lesson ready", pages, "s"))
    print(_line("slider move", [m / 1000 for m in moves], "ms"))
    later = [m for le in learners for m in le.moves[1:]]
    print(_line("  after first", later, "ms") + "  (the first move also draws the first "
          "picture)")
    print(f"  errors        : {len(failed)} of {result['n']}")
    for le in failed:
        print(f"    learner {le.index}: {'; '.join(le.errors)[:300]}")
    print(f"  per learner   : {result['mb_per_learner']:.0f} MB (peak of the hub's tree "
          f"{result['peak_mb']:.0f} MB, hub alone {result['idle_mb']:.0f} MB), "
          f"{result['cpu_per_learner']:.1f} CPU-s")


def _ratio(a: list[float], b: list[float], pick) -> str:
    if not a or not b:
        return "n/a"
    return f"{pick(a) / pick(b):.2f}x"


def _p95(values: list[float]) -> float:
    return Summary.of(values).p95_ms


def main(argv: list[str] | None = None) -> int:
    """Run both rounds and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    if args.learners < 1 or args.moves < 1:
        parser.error(f"--learners and --moves must be >= 1, got {args.learners!r} and "
                     f"{args.moves!r}")
    state = Path(tempfile.mkdtemp(prefix="melt-load-hub-")) / "state"
    hub = start_hub(state)
    print(f"hub log: {hub.log}")
    print(f"machine: {machine_line()}; load average before {os.getloadavg()}")
    try:
        solo = one_round(hub, ["solo"], args.moves, args.think, args.timeout)
        report(solo)
        many = one_round(hub, [f"learner{i:02d}" for i in range(args.learners)], args.moves,
                         args.think, args.timeout)
        report(many)
    finally:
        stray = hub.stop()
        shutil.rmtree(state, ignore_errors=True)  # homes and database; the log is kept
        print(f"load average after {os.getloadavg()}; processes left after stopping the "
              f"hub: {len(stray)}")
    print(f"ratio {args.learners} learners / 1 learner:")
    for label, key in (("server start", "starts"),):
        print(f"  {label}: median {_ratio(many[key], solo[key], statistics.median)}, "
              f"p95 {_ratio(many[key], solo[key], _p95)}")
    pages = [[le.page_seconds for le in r["learners"] if le.page_seconds is not None]
             for r in (many, solo)]
    moves = [[m for le in r["learners"] for m in le.moves] for r in (many, solo)]
    print(f"  lesson ready: median {_ratio(*pages, statistics.median)}, "
          f"p95 {_ratio(*pages, _p95)}")
    print(f"  slider move: median {_ratio(*moves, statistics.median)}, "
          f"p95 {_ratio(*moves, _p95)}")
    later = [[m for le in r["learners"] for m in le.moves[1:]] for r in (many, solo)]
    print(f"  slider move after the first: median {_ratio(*later, statistics.median)}, "
          f"p95 {_ratio(*later, _p95)}")
    print(f"  memory per learner: {many['mb_per_learner'] / solo['mb_per_learner']:.2f}x; "
          f"CPU per learner: {many['cpu_per_learner'] / solo['cpu_per_learner']:.2f}x")
    return 1 if any(le.errors for r in (solo, many) for le in r["learners"]) else 0


if __name__ == "__main__":
    sys.exit(main())
