"""The progress store under a big file, many writers and kills (issue 18). Prints figures only.

``--mode size`` (default)
    Builds a valid progress file of ``--mb`` megabytes (default 231, as in the issue: about
    700,000 quiz records), then times one quiz check's record (``add_record``) the way the
    store does it now (appended to the log beside the file) against the whole-file rewrite
    every record used to cost (``APPEND_ABOVE`` set above the file's size, measured in the same
    run), each in a fresh process that also reports its peak memory.
``--mode stress``
    ``--writers`` processes add ``--records`` records each to one file at the same time (half
    of them to a file big enough to use the log), then ``--kills`` rounds in which a writer is
    SIGKILLed at a random moment; counts records written, lost and duplicated, and whether the
    file always read back valid.

Usage::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_store.py --mb 231
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_store.py --mode stress

Results for this machine are recorded in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Summary, machine_line, report

QUIZ = {"question": "00-demo-horizontal-angle", "lesson": "00", "type": "numeric",
        "answer": 88.5, "correct": True, "attempt": 1, "mode": "quiz"}

_TIMER = """
import json, resource, sys, time
from melt_course.records import store as P
if sys.argv[2] == "rewrite":
    P.APPEND_ABOVE = 1 << 62          # the old behaviour: rewrite the whole file per record
store = P.open_store(sys.argv[1])
times = []
for i in range(int(sys.argv[3])):
    start = time.perf_counter()
    store.add_record("quiz_attempt", {**QUIZ, "attempt": i + 1})
    times.append(time.perf_counter() - start)
print(json.dumps({"times": times,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build_file(path: Path, megabytes: float) -> int:
    """Write a valid progress file of about ``megabytes`` MB; return its number of records."""
    head = {"format": "melt-course-progress", "schema_version": 1,
            "learner": {"id": "b" * 32, "name": "Benchmark"},
            "created": "2026-03-01T09:00:00Z"}
    text = json.dumps(head)[:-1] + ', "records": ['
    count, target = 0, int(megabytes * 1e6)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
        size = len(text)
        while size < target:
            chunk = []
            for _ in range(10_000):
                record = {"id": f"{count:032x}", "kind": "quiz_attempt",
                          "time": "2026-03-01T09:00:00.000000Z",
                          "data": {**QUIZ, "attempt": count % 50 + 1,
                                   "answer_text": "an answer the learner gave"}}
                # laid out as the store writes it (indent=1), so a rewrite keeps the size
                chunk.append(("" if count == 0 else ",") + "\n  " + json.dumps(
                    record, indent=1).replace("\n", "\n  "))
                count += 1
            piece = "".join(chunk)
            out.write(piece)
            size += len(piece)
        out.write("]}")
    return count


def _time(path: Path, mode: str, n: int) -> tuple[list[float], float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                                     os.environ.get("PYTHONPATH")]))}
    code = f"QUIZ = {QUIZ!r}\n" + _TIMER
    run = subprocess.run([sys.executable, "-c", code, str(path), mode, str(n)],
                         capture_output=True, text=True, env=env)
    if run.returncode:
        raise RuntimeError(f"the {mode} run failed:\n{run.stderr[-3000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    return result["times"], result["peak_mb"]


def run_size(megabytes: float, appends: int, rewrites: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="melt-bench-store-"))
    try:
        path = folder / "progress.json"
        count = build_file(path, megabytes)
        size = path.stat().st_size / 1e6
        print(f"progress file: {size:.0f} MB, {count} records ({machine_line()})")
        pristine = folder / "pristine.json"
        shutil.copyfile(path, pristine)
        after, after_mb = _time(path, "append", appends)
        shutil.copyfile(pristine, path)
        for extra in folder.glob("progress.json.*"):
            extra.unlink()
        before, before_mb = _time(path, "rewrite", rewrites)
        report(f"one quiz check's record on a {size:.0f} MB progress file",
               Summary.of(after), Summary.of(before), baseline_name="rewrite")
        print(f"  peak memory: append {after_mb:.0f} MB, whole-file rewrite {before_mb:.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_WRITER = """
import sys
from melt_course.records import store as P
if sys.argv[3] == "log":
    P.APPEND_ABOVE = 1
store = P.open_store(sys.argv[1])
for i in range(int(sys.argv[2])):
    store.add_record("routine_session", {"routines": ["w"], "seconds": i,
                                         "note": f"{sys.argv[4]}:{i}"})
    print(i, flush=True)
"""


def run_stress(writers: int, records: int, kills: int) -> None:
    from melt_course.records import store as P

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                                     os.environ.get("PYTHONPATH")]))}
    folder = Path(tempfile.mkdtemp(prefix="melt-bench-stress-"))
    try:
        attempted = lost = duplicated = 0
        for layout in ("rewrite", "log"):
            path = folder / f"{layout}.json"
            procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(records),
                                       layout, f"{w}"], env=env, stdout=subprocess.DEVNULL)
                     for w in range(writers)]
            for proc in procs:
                proc.wait()
            notes = [r["data"]["note"] for r in P.load_export(path)["records"]]
            attempted += writers * records
            lost += len({f"{w}:{i}" for w in range(writers) for i in range(records)}
                        - set(notes))
            duplicated += len(notes) - len(set(notes))
        print(f"concurrent writers: {writers} x {records} records x 2 layouts = {attempted} "
              f"writes attempted; lost {lost}; duplicated {duplicated}")
        survived = acknowledged_lost = 0
        rng = random.Random(18)
        for round_ in range(kills):
            layout = "log" if round_ % 2 else "rewrite"
            path = folder / f"kill-{layout}.json"
            proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), "100000",
                                     layout, f"k{round_}"], env=env, stdout=subprocess.PIPE,
                                    text=True)
            done = -1
            target = rng.randint(0, 25)
            for line in proc.stdout:
                done = int(line)
                if done >= target:
                    break
            time.sleep(rng.random() * 0.02)  # land the kill anywhere in the next write
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            try:
                notes = {r["data"]["note"] for r in P.open_store(path).records()}
            except Exception as exc:  # a file that does not read back: count, do not stop
                print(f"  round {round_}: file unreadable after the kill: {exc}")
                continue
            acknowledged_lost += sum(f"k{round_}:{i}" not in notes for i in range(done + 1))
            survived += 1
        print(f"SIGKILL rounds: {kills}; file read back valid after {survived}; "
              f"acknowledged records lost: {acknowledged_lost}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("size", "stress"), default="size")
    parser.add_argument("--mb", type=float, default=231.0)
    parser.add_argument("--appends", type=int, default=30)
    parser.add_argument("--rewrites", type=int, default=3)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--records", type=int, default=250)
    parser.add_argument("--kills", type=int, default=100)
    args = parser.parse_args(argv)
    if args.mode == "size":
        run_size(args.mb, args.appends, args.rewrites)
    else:
        run_stress(args.writers, args.records, args.kills)
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
