"""A real classroom hub: ``melt-course hub`` with three learners and the facilitator.

Starts the hub exactly as a facilitator does (JupyterHub from PyPI, configurable-http-proxy
from node_modules) on loopback, on free ports, with its own state folder; logs everyone in
through the login form; starts each learner's server through the hub's API with the learner's
own token; runs the start notebook's first cells in each learner's kernel over the kernel
websocket and answers a quiz question there; then checks who may go where, where progress
landed, the facilitator's class report, the idle culler, and that stopping the hub leaves
nothing running.

Also measures memory and CPU per learner's server and per kernel, written to
``test-artifacts/hub-resources.json`` (docs/hub.md records a run).

Run alone: ``./dev test -m hub`` (about a minute on an idle machine).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import time
from pathlib import Path

import pytest
from hub_helpers import ROOT, Kernel, Person, code_cells, start_hub, wait_until_ready
from processes import alive, cmdline, cpu_seconds, process_tree, rss_mb

pytestmark = [pytest.mark.hub, pytest.mark.server]

LEARNERS = ("ada", "ben", "cleo")
#: The start notebook's first code cells (the set-up, the hip demo, the course map).
FIRST_CELLS = 3
#: The learner moves the hip demo's slider (the widget the second cell displayed): the kernel
#: draws the new picture, so the memory measured below includes drawing.
MOVE_THE_SLIDER = (
    'demo = next(v for v in Out.values() if type(v).__name__ == "HipDemo")\n'
    "demo.slider.value = 90\n"
    "print(demo.slider.value)\n")
#: The learner answers the first question of the start notebook's quiz (the quiz cell's own
#: code makes the quiz) and presses Check: the course records the attempt.
ANSWER_FIRST_QUESTION = (
    "q = {quiz_cell}\n"
    "first = q.questions[0]\n"
    "card = q.card(first.id)\n"
    "card.set_answer(first.answer)\n"
    "print(card.check().correct)\n")


def _quiz_cell() -> str:
    [cell] = [c.strip() for c in code_cells() if re.match(r"mc\.quiz\w*\(", c.strip())]
    return cell


def _pids(tree: list[int], needle: str) -> list[int]:
    return [p for p in tree if needle in cmdline(p)]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if not (ROOT / "node_modules" / ".bin" / "configurable-http-proxy").exists():
        pytest.fail("configurable-http-proxy is not installed: run ./dev test (npm ci)")
    running = start_hub(tmp_path_factory.mktemp("hub") / "state")
    yield running
    running.stop()  # also when a test failed before test_stopping_the_hub...


@pytest.fixture(scope="module")
def classroom(hub):
    """Three learners logged in, servers started, first cells run, one question answered."""
    learners = {name: Person(hub.url, name) for name in LEARNERS}
    for person in learners.values():
        response = person.log_in(hub.class_password)
        assert response.status == 302 and person.logged_in(), person.name
        person.make_token()
    started = time.monotonic()
    for person in learners.values():
        assert person.start_server() in (201, 202)
    wait_until_ready(list(learners.values()), timeout=300)
    ready_seconds = time.monotonic() - started
    results = {}
    for name, person in learners.items():
        kernel = Kernel(person)
        try:
            cells = [kernel.execute(code) for code in code_cells()[:FIRST_CELLS]]
            moved = kernel.execute(MOVE_THE_SLIDER)
            answered = kernel.execute(ANSWER_FIRST_QUESTION.format(quiz_cell=_quiz_cell()))
        finally:
            kernel.close()
        results[name] = (cells, moved, answered)
    tree = hub.remember_processes()
    resources = _measure(hub, tree, ready_seconds)
    return {"learners": learners, "results": results, "resources": resources}


def _measure(hub, tree, ready_seconds) -> dict:
    """Memory and CPU of each learner's server and kernel, now (after the first cells)."""
    servers, learner_side = {}, set()
    for pid in _pids(tree, "jupyterhub-singleuser"):
        home = Path(os.readlink(f"/proc/{pid}/cwd"))
        below = process_tree(pid)
        learner_side.update(below)
        kernels = [p for p in below if p != pid and "ipykernel" in cmdline(p)]
        servers[home.name] = {
            "server_mb": round(rss_mb(pid), 1), "server_cpu_s": round(cpu_seconds(pid), 2),
            "kernel_mb": round(sum(rss_mb(k) for k in kernels), 1),
            "kernel_cpu_s": round(sum(cpu_seconds(k) for k in kernels), 2),
            "kernels": len(kernels)}
    shared = [p for p in tree if p not in learner_side]
    result = {
        "learners": servers,
        "hub_and_services_mb": round(sum(rss_mb(p) for p in shared), 1),
        "servers_ready_seconds": round(ready_seconds, 1),
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(),
                    "python": sys.version.split()[0]},
    }
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "hub-resources.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def test_the_facilitator_is_admin_and_nobody_can_take_the_name(hub):
    squatter = Person(hub.url, hub.facilitator)
    response = squatter.log_in(hub.class_password)  # a learner trying the facilitator's name
    assert response.status == 403 and not squatter.logged_in()
    facilitator = Person(hub.url, hub.facilitator)
    assert facilitator.log_in(hub.facilitator_password).status == 302
    me = facilitator.request("/hub/api/user",
                             headers={"X-XSRFToken": facilitator._xsrf()}).json()
    assert me["name"] == hub.facilitator and me["admin"] is True
    # ...and the facilitator's password does not open a learner's name.
    assert Person(hub.url, "dan").log_in(hub.facilitator_password).status == 403


def test_a_learners_name_stays_theirs(classroom, hub):
    # Someone else in the room, with the class password, tries ada's name.
    impostor = Person(hub.url, "ada")
    assert impostor.log_in(hub.class_password, own="guess").status == 403
    assert not impostor.logged_in()
    assert impostor.log_in(hub.class_password, own="").status == 403
    # ada herself, from a second device: her own password again.
    again = Person(hub.url, "ada")
    assert again.log_in(hub.class_password).status == 302 and again.logged_in()
    # Only hashes are kept, readable by the hub's account alone.
    claims = hub.state / "learner-passwords.json"
    assert oct(claims.stat().st_mode & 0o777) == "0o600"
    text = claims.read_text(encoding="utf-8")
    assert set(json.loads(text)) == set(LEARNERS) and "own-ada" not in text
    # The login page asks for it, as a password field.
    page = Person(hub.url, "x").request("/hub/login").body.decode("utf-8")
    assert re.search(r'<input id="otp_input"[^>]*type="password"', page, re.S)


def test_each_learner_runs_the_start_notebook_in_their_own_server(classroom):
    for name, (cells, moved, answered) in classroom["results"].items():
        for cell in [*cells, moved]:
            assert cell.status == "ok" and cell.problems == [], (name, cell)
        assert moved.text.strip() == "90", (name, moved)
        assert "application/vnd.jupyter.widget-view+json" in cells[1].mime, name  # hip demo
        assert "Start here" in cells[2].text, name  # the course map
        assert answered.problems == [] and answered.text.strip() == "True", (name, answered)


def test_the_course_opens_at_the_start_notebook(classroom, hub):
    ada = classroom["learners"]["ada"]
    response = ada.request("/user/ada/")
    assert response.status == 200
    assert response.url.endswith("/user/ada/lab/tree/notebooks/00_start_here.ipynb")
    assert (hub.state / "homes" / "ada" / "notebooks" / "00_start_here.ipynb").is_file()


def test_progress_lands_in_each_learners_home(classroom, hub):
    for name in LEARNERS:
        doc = json.loads((hub.state / "homes" / name / "progress.json").read_text("utf-8"))
        [record] = doc["records"]
        assert record["kind"] == "quiz_attempt" and record["data"]["lesson"] == "00"
    ids = {json.loads((hub.state / "homes" / n / "progress.json").read_text("utf-8"))
           ["learner"]["id"] for n in LEARNERS}
    assert len(ids) == len(LEARNERS)  # three files, three learners


def test_a_learner_is_refused_on_another_learners_server(classroom):
    ada, ben = classroom["learners"]["ada"], classroom["learners"]["ben"]
    assert ada.api("/user/ada/api/kernels").status == 200
    assert ben.api("/user/ada/api/kernels").status == 403  # with ben's token
    assert ben.request("/user/ada/lab").status == 403  # with ben's browser session
    assert ada.api("/user/ben/api/contents/progress.json").status == 403


def test_the_facilitator_collects_everyones_progress_into_the_class_report(classroom, hub):
    facilitator = Person(hub.url, hub.facilitator)
    facilitator.log_in(hub.facilitator_password)
    page = facilitator.request("/services/class-report/")
    assert page.status == 200
    text = page.body.decode("utf-8")
    collected = re.search(r"<ul id='collected'>(.*?)</ul>", text).group(1)
    assert re.findall(r"<li>(.*?)</li>", collected) == list(LEARNERS)
    [folder] = (hub.state / "class-reports").iterdir()
    summary = (folder / "report" / "summary.md").read_text(encoding="utf-8")
    assert "**3 learner(s)**" in summary
    with open(folder / "report" / "files.csv", encoding="utf-8", newline="") as handle:
        named = sorted(row["learner_name"] for row in csv.DictReader(handle))
    assert named == sorted(LEARNERS)  # each named by their hub name
    chart = re.search(r"<img src='([^']+)'", text).group(1)
    png = facilitator.request(chart)
    assert png.status == 200 and png.body[:8] == b"\x89PNG\r\n\x1a\n"
    # Learners may not open it, nor fetch its files.
    ben = classroom["learners"]["ben"]
    assert ben.request("/services/class-report/").status == 403
    assert ben.request(chart).status == 403


def test_the_idle_culler_runs_with_the_hubs_python(hub):
    tree = hub.remember_processes()
    [culler] = _pids(tree, "-m jupyterhub_idle_culler")
    assert alive(culler)
    assert Path(os.readlink(f"/proc/{culler}/exe")) == Path(sys.executable).resolve()
    # It reached the hub with the scopes it needs (it lists users when it starts).
    log = hub.log.read_text(encoding="utf-8")
    assert re.search(r"200 GET /hub/api/users\S* \(idle-culler@", log)


def test_stopping_the_hub_leaves_nothing_running(classroom, hub):
    hub.remember_processes()
    kinds = [cmdline(p) for p in hub.seen]
    assert sum("jupyterhub-singleuser" in k for k in kinds) == len(LEARNERS)
    assert any("configurable-http-proxy" in k for k in kinds)
    assert hub.stop() == []
    assert hub.proc.returncode is not None
