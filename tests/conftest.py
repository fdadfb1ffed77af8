"""Shared fixtures: a JupyterLab server and a Voilà app running the course, and headless Chromium.

Browser tests (marked ``browser``) use Debian's Chromium at /usr/bin/chromium, driven by
Playwright's Python package; nothing is downloaded. The server serves a *copy* of the course's
notebooks in a temporary folder, so JupyterLab's autosave can never touch the committed files.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from processes import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("MELT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "test-artifacts"


def pytest_configure(config):
    """Isolate learner progress: this run, its kernels and its servers write to a temp folder."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="melt-progress-tests-")
    os.environ["MELT_COURSE_PROGRESS"] = folder
    config._melt_progress_dir = folder


#: Fixtures that start a server, a kernel or Chromium: a test that uses one is marked `server`.
SERVER_FIXTURES = {"lab_server", "voila_server", "course_env", "handouts", "browser", "written"}


def pytest_collection_modifyitems(config, items):
    """Mark notebooks `notebook`, tests using a server fixture `server`, and the rest `unit`."""
    for item in items:
        if item.nodeid.split("::")[0].endswith(".ipynb"):
            item.add_marker(pytest.mark.notebook)
        elif SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)
        if not any(item.get_closest_marker(m)
                   for m in ("browser", "server", "notebook", "reference")):
            item.add_marker(pytest.mark.unit)


def pytest_unconfigure(config):
    folder = getattr(config, "_melt_progress_dir", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    """Poll ``url`` until it answers 200, or fail with the server's output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode}:\n{out[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"no answer from {url} within {timeout} s")


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate a server and wait for it (kill if it will not stop)."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def copy_course(dest: Path) -> Path:
    """Copy what a served course needs (the notebooks) into ``dest``."""
    for name in ("notebooks",):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


@pytest.fixture(scope="session")
def course_env(tmp_path_factory) -> dict:
    """Environment for servers and kernels: isolated Jupyter dirs and learner progress."""
    home = tmp_path_factory.mktemp("home")
    env = dict(os.environ)
    env.update({
        "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces"),
        "MELT_COURSE_PROGRESS": str(home / "progress"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    })
    _write_lab_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
    return env


def _write_lab_settings(settings_dir: Path) -> None:
    """Render every cell (no windowing, so off-screen outputs exist) and skip the news prompt."""
    files = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            '{"fetchNews": "false", "checkForUpdates": false}',
    }
    for rel, text in files.items():
        path = settings_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


_WORKSPACES = itertools.count()

#: Browser runs whose first Run All stalled and were run again (listed at the end of the
#: session, so a green CI log still shows how often the JupyterLab race was hit).
_RUN_ALL_RETRIES: list[str] = []


def pytest_terminal_summary(terminalreporter):
    """List the Run All retries (see :meth:`Lab.run_all`), if there were any."""
    if _RUN_ALL_RETRIES:
        terminalreporter.section("Run All stalled and was run again")
        for line in _RUN_ALL_RETRIES:
            terminalreporter.write_line(line)


def _playwright_timeout() -> type[Exception]:
    """Playwright's timeout error (imported late: the non-browser tests do not need Playwright)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    return PlaywrightTimeoutError


@dataclass
class CourseServer:
    """A running ``melt-course`` server (``lab`` or ``app``) and the file it logs to."""

    url: str
    token: str
    root: Path
    proc: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        """What the server and its kernels have printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


class LabServer(CourseServer):
    """A running ``melt-course lab`` server."""

    def notebook_url(self, relpath: str) -> str:
        # A fresh workspace per page: no tabs restored from an earlier test's page.
        workspace = f"t{next(_WORKSPACES)}"
        return f"{self.url}/lab/workspaces/{workspace}/tree/{relpath}?reset&token={self.token}"


class VoilaServer(CourseServer):
    """A running ``melt-course app`` server (Voilà)."""

    def render_url(self, notebook: str) -> str:
        """The address of a notebook in ``notebooks/`` (e.g. ``"00_start_here.ipynb"``)."""
        return f"{self.url}/voila/render/{notebook}?token={self.token}"


def _serve(kind: type[CourseServer], subcommand: str, ready: str, token: str,
           tmp_path_factory, course_env):
    """Start ``melt-course SUBCOMMAND`` on a copy of the course; yield it; stop it.

    The server's output goes to a file, never to an unread pipe: kernels inherit the server's
    stderr, and once a pipe's buffer is full every write to it blocks, so a kernel that prints
    would hang before it answers (seen as a lesson stuck at ``[*]`` with the kernel status
    "Unknown"). ``ready`` is the path polled until the server answers.
    """
    root = copy_course(tmp_path_factory.mktemp(f"{subcommand}-course"))
    port = free_port()
    log = tmp_path_factory.mktemp(f"{subcommand}-log") / f"{subcommand}.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "melt_course", subcommand, "--no-browser", "--port",
             str(port), "--token", token],
            cwd=root, env=course_env, stdout=out, stderr=subprocess.STDOUT, text=True)
    server = kind(f"http://127.0.0.1:{port}", token, root, proc, log)
    try:
        try:
            wait_for_http(f"{server.url}{ready}?token={token}", proc)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}\n{server.log_text()[-3000:]}") from None
        yield server
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def exported_handouts(tmp_path_factory, course_env) -> tuple[Path, str]:
    """``melt-course export-html`` run once for the session: the folder and what it printed.

    Tests read the pages and must not change the folder.
    """
    out = tmp_path_factory.mktemp("handouts")
    result = subprocess.run([sys.executable, "-m", "melt_course", "export-html", "--out",
                             str(out)], capture_output=True, text=True, env=course_env,
                            timeout=1800)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, course_env) -> LabServer:
    """``melt-course lab --no-browser --port N --token T`` serving a copy of the course."""
    yield from _serve(LabServer, "lab", "/api/status", "melt-test-token", tmp_path_factory,
                      course_env)


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory, course_env) -> VoilaServer:
    """``melt-course app --no-browser --port N --token T`` serving a copy of the course."""
    yield from _serve(VoilaServer, "app", "/", "melt-app-test-token", tmp_path_factory,
                      course_env)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never downloads a browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM!r}: install Debian's 'chromium' package "
                    "(./dev test and .ci/run do this when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    """A fresh browser page, 1280x900; on failure a screenshot is saved in test-artifacts/."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


class Lab:
    """Drives JupyterLab in a page the way a learner would."""

    def __init__(self, server: LabServer) -> None:
        self.server = server

    def open(self, page, relpath: str, timeout: float = 60_000) -> None:
        """Open a notebook on a kernel of its own, and wait until that kernel is connected.

        A kernel left running for this notebook by an earlier page is shut down first, so the
        page starts a fresh one (what a restart would give, without restarting).
        """
        self.shut_down(relpath)
        page.goto(self.server.notebook_url(relpath))
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout)
        self.wait_connected(page, timeout)

    def shut_down(self, relpath: str) -> None:
        """Shut down every kernel session of the notebook at ``relpath`` (if any)."""
        base, token = self.server.url, self.server.token
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=30) as resp:
            sessions = json.load(resp)
        for session in sessions:
            if session.get("path", "").endswith(relpath.split("/")[-1]):
                request = urllib.request.Request(
                    f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE")
                urllib.request.urlopen(request, timeout=30).close()

    def wait_connected(self, page, timeout: float = 120_000) -> None:
        """Wait until the kernel is idle as the status bar reports it, and nothing is queued.

        The toolbar's indicator can read idle before the kernel's connection is up; Run All
        issued then clears the prompts and runs nothing. The status bar's "| Idle" comes
        from the connected kernel.
        """
        self.wait_idle(page, timeout)
        page.wait_for_function("() => /\\|\\s*Idle/.test(document.body.innerText)",
                               timeout=timeout)

    def wait_idle(self, page, timeout: float = 120_000) -> None:
        """Wait until no cell is queued or running and the kernel reports idle."""
        page.wait_for_function(
            """() => {
                const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
                const busy = [...document.querySelectorAll('.jp-InputPrompt')]
                    .some(p => p.textContent.includes('*'));
                return ind && ind.getAttribute('data-status') === 'idle' && !busy;
            }""", timeout=timeout)

    def run_all(self, page, timeout: float = 240_000) -> None:
        """Run > Run All Cells on the page's fresh kernel, then wait until every cell has run.

        No restart: :meth:`open` gives every notebook a kernel of its own. Restarting had
        been the way to a clean kernel, but JupyterLab 4.6 with jupyter_server 2.21 mishandles
        the kernel websocket on a restart here: every restart logged "Replacing stale
        connection" and a ``struct.error`` decoding a message, and about one run in six then
        never sent its queued cells (all prompts ``[*]``, kernel status "Unknown").

        When the run has not finished within ``timeout``, the state of every prompt is printed
        (so a CI log shows which cell stopped), the retry is listed at the end of the session,
        and the run is started once more, with Kernel > Restart Kernel and Run All Cells; a
        notebook that hangs for real fails the second time too.
        """
        for attempt in (1, 2):
            if attempt == 1:
                self._run_all_cells(page)
            else:
                self._restart_and_run_all(page)
            try:
                self._wait_all_ran(page, timeout)
                return
            except _playwright_timeout():
                state = self.prompt_state(page)
                print(f"run_all attempt {attempt} did not finish within {timeout / 1000:.0f} s; "
                      f"prompts and kernel status: {state}\nend of the server's log:\n"
                      f"{self.server.log_text()[-2000:]}", file=sys.stderr)
                self.screenshot(page, f"run_all-timeout-{attempt}")
                _RUN_ALL_RETRIES.append(f"{page.url.split('?')[0]} (attempt {attempt}): {state}")
                if attempt == 2:
                    raise AssertionError(
                        f"Run All did not finish twice within {timeout / 1000:.0f} s: {state}"
                    ) from None

    def _run_all_cells(self, page) -> None:
        self.wait_connected(page)
        page.locator(".jp-Notebook").first.click()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    @staticmethod
    def _restart_and_run_all(page) -> None:
        page.locator(".jp-Notebook").first.click()
        page.get_by_role("menuitem", name="Kernel", exact=True).click()
        page.get_by_role("menuitem", name="Restart Kernel and Run All Cells…").click()
        page.locator(".jp-Dialog .jp-mod-accept").click()

    def _wait_all_ran(self, page, timeout: float) -> None:
        page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                .every(p => /\\[\\d+\\]/.test(p.textContent))""", timeout=timeout)
        self.wait_idle(page, timeout)

    @staticmethod
    def prompt_state(page) -> dict:
        """Every code cell's prompt text and the kernel status, as the page shows them."""
        return page.evaluate("""() => ({
            prompts: [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                .map(p => p.textContent.trim()),
            kernel: (document.querySelector('.jp-Notebook-ExecutionIndicator') || {})
                .getAttribute?.('data-status') ?? null,
        })""")

    @staticmethod
    def error_outputs(page) -> list[str]:
        """Text of every error or stderr output on the page."""
        sel = ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
               ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")
        return [el.inner_text() for el in page.query_selector_all(sel)]

    @staticmethod
    def screenshot(page, name: str) -> Path:
        """Save a full-page screenshot under test-artifacts/ and return its path."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def figures_made(monkeypatch):
    """Every matplotlib Figure made from now on, in a list (a test asserts on its length)."""
    import matplotlib.figure

    made = []
    original = matplotlib.figure.Figure.__init__

    def counting_init(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "__init__", counting_init)
    return made


@pytest.fixture(scope="session")
def lab(lab_server) -> Lab:
    """A :class:`Lab` driver bound to the session's server."""
    return Lab(lab_server)
