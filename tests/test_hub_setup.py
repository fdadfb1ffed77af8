"""The parts of the classroom hub that need no running hub: ``melt-course hub``'s set-up and the
class-report service's collection (deploy/class_report_service.py). The real hub is in
tests/test_hub.py."""

from __future__ import annotations

import importlib.util
import json
import stat
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from melt_course.cli.hub import hub_environment
from melt_course.cli.main import main
from melt_course.records.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def _service():
    spec = importlib.util.spec_from_file_location(
        "class_report_service", ROOT / "deploy" / "class_report_service.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_hub_environment_keeps_its_passwords_private_and_stable(tmp_path):
    state = tmp_path / "state"
    env = hub_environment(ROOT, state, 8123, False, None, "facilitator", 30, False)
    assert env["MELT_HUB_URL"] == "http://127.0.0.1:8123"
    ports = [int(env[k].rsplit(":", 1)[1]) for k in ("MELT_HUB_API_URL",
                                                      "MELT_HUB_PROXY_API_URL")]
    ports.append(int(env["MELT_HUB_REPORT_PORT"]))
    assert len({8123, *ports}) == 4  # the hub's own ports never collide with the public one
    assert len(env["MELT_HUB_CLASS_PASSWORD"]) >= 8
    assert len(env["MELT_HUB_FACILITATOR_PASSWORD"]) >= 32
    assert env["MELT_HUB_IDLE_SECONDS"] == "1800"
    for name in ("class-password", "facilitator-password"):
        assert stat.S_IMODE((state / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    again = hub_environment(ROOT, state, 8123, True, None, "facilitator", 30, False)
    assert again["MELT_HUB_FACILITATOR_PASSWORD"] == env["MELT_HUB_FACILITATOR_PASSWORD"]
    assert again["MELT_HUB_CLASS_PASSWORD"] == env["MELT_HUB_CLASS_PASSWORD"]
    assert again["MELT_HUB_URL"] == "http://0.0.0.0:8123"
    chosen = hub_environment(ROOT, state, 8123, False, "whiteboard", "facilitator", 30, True)
    assert chosen["MELT_HUB_CLASS_PASSWORD"] == "whiteboard" and chosen["MELT_HUB_APP"] == "1"


@pytest.mark.parametrize(("password", "facilitator", "message"), [
    ("short", "facilitator", "at least 8 characters, got 5"),
    ("long-enough", "Maria Smith", "facilitator name 'Maria Smith' must be lower-case"),
])
def test_hub_environment_refuses_bad_settings(tmp_path, password, facilitator, message):
    with pytest.raises(ValueError, match=message):
        hub_environment(ROOT, tmp_path, 8000, False, password, facilitator, 60, False)


def test_hub_command_says_what_is_wrong(tmp_path, capsys):
    assert main(["hub", "--state", str(tmp_path), "--class-password", "short"]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["hub", "--idle-minutes", "0"])
    assert "minutes must be at least 1, got 0" in capsys.readouterr().err


def _record(store, correct=True):
    store.add_record("quiz_attempt", {"question": "00-demo-marked-part", "lesson": "00",
                                      "answer": "the leg", "correct": correct})


def test_collection_copies_names_and_reports_without_touching_learners_files(tmp_path):
    service = _service()
    homes = tmp_path / "homes"
    _record(open_store(homes / "ada" / "progress.json"))
    _record(open_store(homes / "ben" / "progress.json", learner="Benjamin"), correct=False)
    (homes / "cleo").mkdir(parents=True)  # logged in, nothing answered yet
    bad = homes / "dan" / "progress.json"
    bad.parent.mkdir()
    bad.write_text("{not json", encoding="utf-8")
    before = {p: p.read_bytes() for p in homes.rglob("progress.json")}
    result = service.collect(["ada", "ben", "cleo", "dan", "../homes/ada"], homes,
                             "progress.json", tmp_path / "reports",
                             now=datetime(2026, 12, 6, tzinfo=timezone.utc))
    assert result.collected == ["ada", "ben"]
    assert result.without_progress == ["cleo"]
    assert [name for name, _ in result.unreadable] == ["../homes/ada", "dan"]
    assert "not valid JSON" in dict(result.unreadable)["dan"]
    assert result.report_ok, result.report_output
    names = {json.loads(p.read_text("utf-8"))["learner"]["name"]
             for p in (result.folder / "progress").iterdir()}
    assert names == {"ada", "Benjamin"}  # a name the learner gave is kept
    assert "**2 learner(s)**" in (result.folder / "report" / "summary.md").read_text("utf-8")
    assert {p: p.read_bytes() for p in homes.rglob("progress.json")} == before
    assert not list(homes.rglob("*.corrupt-*"))  # a bad file is left where it is
    page = service.render_page(result, "/services/class-report/")
    assert "<li>ada</li><li>ben</li>" in page and "<li>cleo</li>" in page
    assert "/services/class-report/files/20261206T000000000000Z/report/class_report.png" in page


def test_collection_with_no_progress_writes_no_report(tmp_path):
    service = _service()
    (tmp_path / "homes" / "ada").mkdir(parents=True)
    result = service.collect(["ada"], tmp_path / "homes", "progress.json", tmp_path / "r")
    assert not result.report_ok and result.without_progress == ["ada"]
    assert "No learner has any progress yet" in service.render_page(result, "/s/")


def _classroom_authenticator(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "classroom_auth", ROOT / "deploy" / "classroom_auth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ClassroomAuthenticator(
        user_password="class-room-7", admin_password="f" * 40, admin_users={"facilitator"},
        claims_file=str(tmp_path / "claims.json"))


def test_a_learners_own_password_keeps_their_name(tmp_path):
    import asyncio

    auth = _classroom_authenticator(tmp_path)

    def login(name, password, own):
        # A thread of its own: an earlier browser test (Playwright's sync API) may have left
        # an event loop running in this one, where asyncio.run refuses to start.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, auth.authenticate(
                None, {"username": name, "password": password, "otp": own})).result()

    assert login("ada", "class-room-7", "abc") is None  # too short to choose
    assert login("ada", "class-room-7", "ada-own")["name"] == "ada"  # chosen now
    assert login("ada", "class-room-7", "someone-else") is None  # the name is taken
    assert login("ada", "wrong-class-pw", "ada-own") is None
    assert login("ada", "class-room-7", "ada-own")["name"] == "ada"
    assert login("facilitator", "class-room-7", "anything") is None
    assert login("facilitator", "f" * 40, "")["admin"] is True
    assert stat.S_IMODE((tmp_path / "claims.json").stat().st_mode) == 0o600
    assert "ada-own" not in (tmp_path / "claims.json").read_text(encoding="utf-8")
    # The facilitator deletes the user (a forgotten password): the name is free again.
    from types import SimpleNamespace

    auth.delete_user(SimpleNamespace(name="ada"))
    assert login("ada", "class-room-7", "new-own")["name"] == "ada"
