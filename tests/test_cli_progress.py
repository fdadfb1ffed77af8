"""``melt-course progress export`` and ``progress where``."""

from __future__ import annotations

import os
import subprocess
import sys

from melt_course.cli import main as cli
from melt_course.records.store import load_export, open_store

ATTEMPT = {"question": "00-demo-horizontal-angle", "lesson": "00", "answer": 90,
           "correct": True}


def _run(*args, env_path):
    env = {**os.environ, "MELT_COURSE_PROGRESS": str(env_path)}
    return subprocess.run([sys.executable, "-m", "melt_course", "progress", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_export_writes_a_valid_copy(tmp_path):
    store = open_store(tmp_path / "class", learner="Ada")
    store.add_record("quiz_attempt", ATTEMPT)
    store.add_record("self_assessment", {"ratings": {"low back": 4}, "phase": "after"})
    out = tmp_path / "collected" / "ada.json"
    run = _run("export", "--out", str(out), "--learner", "Ada", env_path=tmp_path / "class")
    assert run.returncode == 0, run.stderr
    assert "wrote 2 records" in run.stdout and str(out) in run.stdout
    doc = load_export(out)
    assert doc["records"] == store.records() and doc["learner"]["name"] == "Ada"
    assert "exported_at" in doc


def test_export_with_explicit_store_and_where(tmp_path):
    path = tmp_path / "mine.json"
    open_store(path).add_record("quiz_attempt", ATTEMPT)
    run = _run("where", "--store", str(path), env_path=tmp_path / "elsewhere")
    assert run.stdout.strip() == str(path)
    run = _run("where", env_path=tmp_path / "elsewhere")
    assert run.stdout.strip() == str(tmp_path / "elsewhere" / "progress.json")
    out = tmp_path / "out.json"
    run = _run("export", "--store", str(path), "--out", str(out), env_path=tmp_path / "x")
    assert run.returncode == 0 and len(load_export(out)["records"]) == 1


def test_export_without_progress_says_so(tmp_path):
    out = tmp_path / "out.json"
    run = _run("export", "--out", str(out), env_path=tmp_path / "empty")
    assert run.returncode == 1
    assert "no progress file" in run.stderr and str(tmp_path / "empty") in run.stderr
    assert not out.exists()


def test_export_needs_out_and_bad_learner_is_refused(tmp_path):
    run = _run("export", env_path=tmp_path)
    assert run.returncode == 2 and "--out" in run.stderr
    run = _run("export", "--out", str(tmp_path / "o.json"), "--learner", "***",
               env_path=tmp_path)
    assert run.returncode == 2 and "'***'" in run.stderr


def test_lab_subcommand_is_intact():
    args = cli._build_parser().parse_args(["lab", "--no-browser", "--port", "8899"])
    assert (args.command, args.port, args.no_browser) == ("lab", 8899, True)
