"""The progress store: paths, round trip, validation, atomic and locked writes, recovery."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import platformdirs
import pytest

from melt_course.content.loader import DataError
from melt_course.records import store as P

QUIZ = {"question": "00-demo-horizontal-angle", "lesson": "00", "type": "numeric",
        "answer": 88.5, "correct": True, "attempt": 1, "mode": "quiz"}
ROUTINE = {"routines": ["Rebalance Sequence"], "seconds": 612.5, "completed": True,
           "steps_completed": 5, "steps_total": 5}
SELF = {"ratings": {"low back": 6, "neck": 3.5}, "phase": "before",
        "routine": "Rebalance Sequence", "session": "s1"}


# --------------------------------------------------------------------------- where


def test_store_path_rules(tmp_path, monkeypatch):
    monkeypatch.setenv(P.ENV_VAR, str(tmp_path / "class"))
    assert P.store_path() == tmp_path / "class" / "progress.json"
    assert P.store_path(learner="Ada Lovelace") == tmp_path / "class" / \
        "progress-ada-lovelace.json"
    monkeypatch.setenv(P.ENV_VAR, str(tmp_path / "ada.json"))
    assert P.store_path() == tmp_path / "ada.json"
    assert P.store_path(learner="Ada") == tmp_path / "ada.json"
    assert P.store_path(tmp_path / "x") == tmp_path / "x" / "progress.json"
    assert P.store_path(str(tmp_path / "y.json")) == tmp_path / "y.json"
    monkeypatch.setenv(P.ENV_VAR, "")
    default = platformdirs.user_data_path("melt-course", appauthor=False)
    assert P.store_path() == default / "progress.json"
    monkeypatch.delenv(P.ENV_VAR)
    assert P.store_path() == default / "progress.json"
    with pytest.raises(ValueError, match="'!!!'"):
        P.store_path(tmp_path, learner="!!!")


def test_tests_never_point_at_the_real_user_folder():
    real = platformdirs.user_data_path("melt-course", appauthor=False)
    assert real not in P.store_path().parents


def test_open_store_touches_no_file(tmp_path):
    store = P.open_store(tmp_path / "sub" / "p.json")
    assert store.records() == []
    assert store.learner["id"] == store.learner["id"]
    assert not (tmp_path / "sub").exists()


# --------------------------------------------------------------------------- round trip


def test_round_trip_every_kind(tmp_path):
    times = iter(datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc) + timedelta(minutes=i)
                 for i in range(100))
    store = P.open_store(tmp_path / "class", learner="Ada", clock=lambda: next(times))
    saved = [store.add_record("quiz_attempt", QUIZ),
             store.add_record("routine_session", ROUTINE),
             store.add_record("self_assessment", SELF),
             store.add_record("quiz_attempt", {**QUIZ, "correct": False, "attempt": 2})]
    again = P.open_store(tmp_path / "class", learner="Ada")
    assert again.path == tmp_path / "class" / "progress-ada.json"
    assert again.records() == saved
    assert [r["data"] for r in again.records("quiz_attempt")] == \
        [QUIZ, {**QUIZ, "correct": False, "attempt": 2}]
    assert again.records("routine_session")[0]["data"] == ROUTINE
    assert again.records("self_assessment")[0]["data"] == SELF
    assert [r["time"] for r in saved] == ["2024-05-01T09:01:00.000000Z",
                                          "2024-05-01T09:02:00.000000Z",
                                          "2024-05-01T09:03:00.000000Z",
                                          "2024-05-01T09:04:00.000000Z"]
    assert len({r["id"] for r in saved}) == 4
    assert again.learner["name"] == "Ada"
    doc = P.load_export(again.path)  # the file itself is schema-valid
    assert doc["schema_version"] == P.SCHEMA_VERSION and doc["format"] == P.FORMAT
    with pytest.raises(ValueError, match="'nonsense'"):
        again.records("nonsense")


def test_returned_records_are_copies(tmp_path):
    store = P.open_store(tmp_path / "p.json")
    rec = store.add_record("quiz_attempt", QUIZ)
    rec["data"]["correct"] = False
    store.records()[0]["data"]["correct"] = False
    assert store.records()[0]["data"]["correct"] is True


@pytest.mark.parametrize(("kind", "data", "words"), [
    ("quiz_attempts", QUIZ, "'quiz_attempts'"),
    (None, QUIZ, "None"),
    ("quiz_attempt", [QUIZ], "not a dict"),
    ("quiz_attempt", {k: v for k, v in QUIZ.items() if k != "correct"}, "'correct'"),
    ("quiz_attempt", {**QUIZ, "correct": "yes"}, "correct"),
    ("quiz_attempt", {**QUIZ, "lesson": "1"}, "lesson"),
    ("quiz_attempt", {**QUIZ, "attempt": 0}, "attempt"),
    ("quiz_attempt", {**QUIZ, "answer": float("nan")}, "plain JSON"),
    ("quiz_attempt", {**QUIZ, "answer": object()}, "plain JSON"),
    ("quiz_attempt", {**QUIZ, "colour": "red"}, "colour"),
    ("routine_session", {"routines": [], "seconds": 3}, "routines"),
    ("routine_session", {"routines": ["A"], "seconds": -1}, "seconds"),
    ("routine_session", {"routines": ["A"]}, "'seconds'"),
    ("self_assessment", {"ratings": {}}, "ratings"),
    ("self_assessment", {"ratings": {"neck": 11}}, "neck"),
    ("self_assessment", {"ratings": {"neck": 2}, "phase": "during"}, "phase"),
])
def test_bad_records_are_refused_naming_the_problem(tmp_path, kind, data, words):
    store = P.open_store(tmp_path / "p.json")
    with pytest.raises(ValueError, match=words):
        store.add_record(kind, data)
    assert not store.path.exists()


def test_learner_names(tmp_path):
    store = P.open_store(tmp_path / "p.json")
    store.add_record("quiz_attempt", QUIZ)
    assert store.learner["name"] is None
    ada = P.open_store(tmp_path / "p.json", learner="Ada")
    ada.add_record("quiz_attempt", QUIZ)
    assert ada.learner["name"] == "Ada"
    with pytest.raises(ValueError, match="belongs to learner 'Ada', not 'Bo'"):
        P.open_store(tmp_path / "p.json", learner="Bo").add_record("quiz_attempt", QUIZ)
    store.set_learner_name("Ada L.")
    assert P.open_store(tmp_path / "p.json").learner["name"] == "Ada L."
    assert len(store.records()) == 2
    with pytest.raises(ValueError, match="''"):
        store.set_learner_name("")
    with pytest.raises(ValueError, match="' '"):
        P.open_store(tmp_path / "q.json", learner=" ")


def test_export(tmp_path):
    store = P.open_store(tmp_path / "p.json", learner="Ada")
    store.add_record("self_assessment", SELF)
    out = store.export(tmp_path / "hand-in" / "ada.json")
    doc = P.load_export(out)
    assert doc["records"] == store.records()
    assert doc["learner"] == store.learner
    assert doc["exported_at"].endswith("Z")
    with pytest.raises(ValueError, match="progress file itself"):
        store.export(store.path)


def test_load_export_refuses_bad_files(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="not valid JSON"):
        P.load_export(bad)
    bad.write_text(json.dumps({"records": []}), encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.json"):
        P.load_export(bad)
    with pytest.raises(DataError, match="cannot be read"):
        P.load_export(tmp_path / "missing.json")
    assert bad.exists()


# --------------------------------------------------------------------------- safety


def _valid_file(tmp_path, n=3):
    store = P.open_store(tmp_path / "p.json")
    for i in range(n):
        store.add_record("quiz_attempt", {**QUIZ, "attempt": i + 1})
    return store


def test_failed_replace_leaves_previous_file_and_no_temp(tmp_path, monkeypatch):
    store = _valid_file(tmp_path)
    before = store.path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="simulated"):
        store.add_record("quiz_attempt", QUIZ)
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    assert len(store.records()) == 3


_WRITER = textwrap.dedent("""
    import os, signal, sys
    from melt_course.records import store as P
    store = P.open_store(sys.argv[1])
    mode = sys.argv[2]
    if mode == "kill-in-fsync":
        real_fsync = os.fsync
        calls = []
        def fsync(fd):
            calls.append(fd)
            if len(calls) > 2 * int(sys.argv[3]):   # after N complete records
                os.kill(os.getpid(), signal.SIGKILL)
            real_fsync(fd)
        os.fsync = fsync
    if mode == "kill-in-write":   # write half of the file's text, then die
        import builtins
        limit, opened = int(sys.argv[3]), []

        class HalfWriter:
            def __init__(self, handle):
                self.handle = handle
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return self.handle.__exit__(*exc)
            def write(self, text):
                if len(opened) > limit:
                    self.handle.write(text[: len(text) // 2])
                    self.handle.flush()
                    os.kill(os.getpid(), signal.SIGKILL)
                return self.handle.write(text)
            def __getattr__(self, name):
                return getattr(self.handle, name)

        def wrap(real):
            def opener(*args, **kwargs):
                handle = real(*args, **kwargs)
                mode_ = kwargs.get("mode", args[1] if len(args) > 1 else "r")
                if "w" in str(mode_):
                    opened.append(1)
                    return HalfWriter(handle)
                return handle
            return opener
        os.fdopen = wrap(os.fdopen)
        builtins.open = wrap(builtins.open)
    i = 0
    while True:
        i += 1
        store.add_record("quiz_attempt", {"question": "00-demo-horizontal-angle",
                                          "lesson": "00", "answer": i, "correct": True,
                                          "attempt": i})
        print(i, flush=True)
""")


def test_kill_inside_a_write_leaves_previous_file_intact(tmp_path):
    """SIGKILL after the temp file is written and fsync'ed but before os.replace."""
    path = tmp_path / "p.json"
    proc = subprocess.run([sys.executable, "-c", _WRITER, str(path), "kill-in-fsync", "4"],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    assert proc.returncode == -signal.SIGKILL
    records = P.load_export(path)["records"]
    assert [r["data"]["attempt"] for r in records] == [1, 2, 3, 4]
    leftovers = [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    assert leftovers, "the kill should have happened with a temp file written"
    # the next write works and ignores the leftover temp file
    P.open_store(path).add_record("quiz_attempt", QUIZ)
    assert len(P.open_store(path).records()) == 5


def test_kill_halfway_through_writing_leaves_previous_file_intact(tmp_path):
    """SIGKILL with half of the new text written: only the temp file is half-written."""
    path = tmp_path / "p.json"
    proc = subprocess.run([sys.executable, "-c", _WRITER, str(path), "kill-in-write", "3"],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    records = P.load_export(path)["records"]
    assert [r["data"]["attempt"] for r in records] == [1, 2, 3]


def test_sigkill_during_a_write_loop_never_corrupts_the_file(tmp_path):
    path = tmp_path / "p.json"
    for round_ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), "loop"],
                                stdout=subprocess.PIPE, text=True, env=os.environ.copy())
        target = 5 + 3 * round_
        for line in proc.stdout:  # wait until it has written a few records, then kill
            if int(line) >= target:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        records = P.load_export(path)["records"]  # valid JSON, valid schema
        assert len(records) >= target
        ids = [r["id"] for r in records]
        assert len(set(ids)) == len(ids)


def _add_many(path: str, worker: int, count: int) -> None:
    store = P.open_store(path)
    for i in range(count):
        store.add_record("routine_session", {"routines": [f"worker-{worker}"],
                                             "seconds": i, "note": f"{worker}:{i}"})


def test_two_processes_writing_at_once_lose_no_record(tmp_path):
    path = str(tmp_path / "shared.json")
    count = 40
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_many, args=(path, w, count)) for w in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
        assert proc.exitcode == 0
    notes = [r["data"]["note"] for r in P.open_store(path).records("routine_session")]
    assert sorted(notes) == sorted(f"{w}:{i}" for w in range(2) for i in range(count))
    for w in range(2):  # each writer's records keep their order
        mine = [int(n.split(":")[1]) for n in notes if n.startswith(f"{w}:")]
        assert mine == list(range(count))


@pytest.mark.parametrize("content", [b"{\"format\": \"melt-course-progress\", \"rec",
                                     b"", b"\xff\xfe garbage",
                                     json.dumps({"format": "something else"}).encode()])
def test_corrupt_file_is_moved_aside_with_a_clear_message(tmp_path, content):
    path = tmp_path / "p.json"
    path.write_bytes(content)
    store = P.open_store(path)
    with pytest.warns(P.ProgressFileRecovered, match="moved to") as caught:
        assert store.records() == []
    asides = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(asides) == 1 and asides[0].read_bytes() == content
    assert str(asides[0]) in str(caught[0].message)
    doc = P.load_export(path)
    assert doc["recovered_from"][0]["file"] == asides[0].name
    # the new file works and the old one is still there
    store.add_record("quiz_attempt", QUIZ)
    assert len(store.records()) == 1 and asides[0].exists()


def test_add_record_on_a_corrupt_file_keeps_the_new_record(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.warns(P.ProgressFileRecovered):
        rec = P.open_store(path).add_record("quiz_attempt", QUIZ)
    assert P.open_store(path).records() == [rec]


def test_newer_file_is_refused_not_moved(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": P.FORMAT, "schema_version": 99}), encoding="utf-8")
    with pytest.raises(DataError, match="newer"):
        P.open_store(path).records()
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


def test_lock_held_elsewhere_gives_a_clear_error(tmp_path):
    from filelock import FileLock

    path = tmp_path / "p.json"
    code = textwrap.dedent(f"""
        from melt_course.records import store as P
        P._LOCK_TIMEOUT = 0.2
        try:
            P.open_store({str(path)!r}).add_record("quiz_attempt", {QUIZ!r})
        except TimeoutError as exc:
            print("TIMEOUT", exc)
    """)
    with FileLock(str(path) + ".lock"):  # another notebook is writing
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=os.environ.copy(), check=True)
    assert run.stdout.startswith("TIMEOUT") and "locked" in run.stdout
    assert not path.exists()


def test_store_file_is_private(tmp_path):
    store = _valid_file(tmp_path, 1)
    assert (Path(store.path).stat().st_mode & 0o077) == 0
