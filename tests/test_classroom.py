"""Per-learner progress in a classroom app (``melt-course app --lan``): the signed cookie gives
each browser its own progress file; forged or missing cookies never share a file."""

import json
import subprocess
import sys

import pytest
from app_helpers import open_app_page, stored_widget_outputs
from conftest import free_port, stop_process, wait_for_http
from tornado.web import create_signed_value

from melt_course.cli import app_learners as C
from melt_course.cli import servers
from melt_course.teaching.class_report import build_report, read_exports

LEARNER = "0123456789abcdef0123456789abcdef"


def _cookie(secret: bytes, username: str = LEARNER, name: str = C.COOKIE_NAME) -> str:
    value = create_signed_value(secret, name, json.dumps({"username": username, "name": "A"}))
    return f"_xsrf=abc; {name}={value.decode()}"


def test_valid_cookie_gives_the_learners_own_file(tmp_path):
    secret = C.ensure_secret(tmp_path)
    env = {C.CLASS_DIR_ENV: str(tmp_path), "HTTP_COOKIE": _cookie(secret)}
    path = C.adopt_learner_store(env)
    assert path == tmp_path / f"learner-{LEARNER}.json"
    assert env["MELT_COURSE_PROGRESS"] == str(path)
    assert C.ensure_secret(tmp_path) == secret  # made once, then reused
    assert oct((tmp_path / C.SECRET_FILE).stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("header", [
    "",  # first page opened with ?token=: no cookie yet
    "garbage; ;; =",
    "_xsrf=abc",
])
def test_no_cookie_gets_a_file_of_its_own(tmp_path, header):
    C.ensure_secret(tmp_path)
    first = C.adopt_learner_store({C.CLASS_DIR_ENV: str(tmp_path), "HTTP_COOKIE": header})
    second = C.adopt_learner_store({C.CLASS_DIR_ENV: str(tmp_path), "HTTP_COOKIE": header})
    assert first.name.startswith("unidentified-") and first != second


def test_forged_cookie_is_not_trusted(tmp_path):
    C.ensure_secret(tmp_path)
    forged = _cookie(b"not-the-class-secret")
    assert C.learner_from_cookie(forged, C.ensure_secret(tmp_path)) is None
    other_name = _cookie(C.ensure_secret(tmp_path), name="username-127-0-0-1-8866")
    assert C.learner_from_cookie(other_name, C.ensure_secret(tmp_path)) is None
    not_an_id = _cookie(C.ensure_secret(tmp_path), username="../../etc/passwd")
    assert C.learner_from_cookie(not_an_id, C.ensure_secret(tmp_path)) is None


def test_outside_a_class_app_nothing_changes():
    env = {"MELT_COURSE_PROGRESS": "/somewhere/progress.json"}
    assert C.adopt_learner_store(env) is None
    assert env == {"MELT_COURSE_PROGRESS": "/somewhere/progress.json"}


def test_startup_source_leaves_no_name_behind(tmp_path):
    namespace: dict = {}
    env_before = dict(C.os.environ)
    try:
        exec(C.startup_source(), namespace)  # the generated start-up file
    finally:
        C.os.environ.clear()
        C.os.environ.update(env_before)
    assert set(namespace) == {"__builtins__"}


def test_prepare_class_dir_writes_secret_config_and_startup(tmp_path):
    env = servers.prepare_class_dir(tmp_path / "class")
    folder = tmp_path / "class"
    assert env == {C.CLASS_DIR_ENV: str(folder), "IPYTHONDIR": str(folder / ".ipython")}
    config = (folder / ".voila" / "voila.py").read_text(encoding="utf-8")
    assert "c.Voila.cookie_secret" in config and C.SECRET_FILE in config
    startup = folder / ".ipython" / "profile_default" / "startup" / "00-melt-learner.py"
    assert startup.read_text(encoding="utf-8") == C.startup_source()
    cmd = servers.app_command(tmp_path, 1, "long-enough", lan=True, class_dir=folder)
    assert f"--PasswordIdentityProvider.cookie_name={C.COOKIE_NAME}" in cmd
    assert "--VoilaConfiguration.http_header_envs=Cookie" in cmd


def _answer_first_question(page) -> None:
    card = page.locator(".melt-quiz-question").first
    choice = card.locator("input[type=radio], input[type=checkbox]").first
    if choice.count():
        choice.check()
    else:  # a numeric or a label question first: type or choose something
        field = card.locator("input[type=number], select").first
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(index=1)
        else:
            field.fill("10")
    card.get_by_role("button", name="Check").click()
    card.locator(".melt-quiz-verdict").wait_for(state="visible", timeout=60_000)


@pytest.mark.browser
def test_two_browsers_in_a_class_app_keep_separate_progress(browser, course_env, tmp_path):
    port, token = free_port(), "class-test-token"
    class_dir = tmp_path / "class"
    log = tmp_path / "app.log"
    root = servers.find_course_root()
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "melt_course", "app", "--no-browser",
                                 "--lan", "--port", str(port), "--token", token,
                                 "--class-dir", str(class_dir)], cwd=root, env=course_env,
                                stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/?token={token}", proc)
        assert f"progress goes to its own file in {class_dir}" in log.read_text()
        widgets = stored_widget_outputs("00_start_here.ipynb")
        for _ in range(2):  # two learners, each in their own browser
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            try:
                page.goto(f"http://127.0.0.1:{port}/?token={token}")  # the lesson list first
                open_app_page(page, f"http://127.0.0.1:{port}/voila/render/00_start_here.ipynb",
                              widgets)
                _answer_first_question(page)
            finally:
                context.close()
    finally:
        stop_process(proc)
    files = sorted(class_dir.glob("learner-*.json"))
    assert len(files) == 2, f"{[p.name for p in class_dir.iterdir()]}\n{log.read_text()[-2000:]}"
    assert not list(class_dir.glob("unidentified-*.json"))
    exports, skipped = read_exports([class_dir])
    assert skipped == [] and len(exports) == 2
    assert all(len(e.records) == 1 for e in exports)
    assert build_report(exports).questions[0].learners == 2
