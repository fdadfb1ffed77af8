"""Driving a real classroom hub (``melt-course hub``) as learners and a facilitator would.

Used by tests/test_hub.py and benchmarks/load_hub.py. Everything goes through the hub's public
doors: the login form, the REST API with the user's own token, the single-user server's API
and kernel websocket. Linux only (process trees are read from /proc).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from kernel_ws import SUBPROTOCOL, decode, encode
from processes import alive, cmdline, free_port, process_tree

ROOT = Path(__file__).resolve().parent.parent
START_NOTEBOOK = ROOT / "notebooks" / "00_start_here.ipynb"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


# --------------------------------------------------------------------------- the hub


@dataclass
class RunningHub:
    """A ``melt-course hub`` process and what it told us."""

    proc: subprocess.Popen
    url: str
    state: Path
    log: Path
    class_password: str
    facilitator: str
    facilitator_password: str
    seen: set[int] = field(default_factory=set)

    def remember_processes(self) -> list[int]:
        """Note every process now running under the hub (to check later that all stopped)."""
        pids = process_tree(self.proc.pid)
        self.seen.update(pids)
        return pids

    def stop(self, timeout: float = 60.0) -> list[str]:
        """Stop the hub as Ctrl+C does; return the command lines of processes that were
        still running afterwards (they are then killed, so nothing is left behind)."""
        self.remember_processes()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        deadline = time.monotonic() + 15
        left = [p for p in self.seen if alive(p)]
        while left and time.monotonic() < deadline:
            time.sleep(0.3)
            left = [p for p in self.seen if alive(p)]
        stray = [f"{p}: {cmdline(p)[:200]}" for p in left]
        for pid in left:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        return stray


def start_hub(state: Path, class_password: str = "class-room-7", idle_minutes: int = 60,
              facilitator: str = "facilitator", timeout: float = 180.0) -> RunningHub:
    """Start ``melt-course hub`` on a free loopback port with its own state folder."""
    port = free_port()
    state.mkdir(parents=True, exist_ok=True)
    log = state.parent / f"{state.name}-hub.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "melt_course", "hub", "--port", str(port), "--state",
             str(state), "--class-password", class_password, "--facilitator", facilitator,
             "--idle-minutes", str(idle_minutes)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"melt-course hub exited with {proc.returncode}:\n"
                               f"{log.read_text(encoding='utf-8')[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/hub/api/", timeout=3) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.send_signal(signal.SIGINT)
            raise TimeoutError(f"the hub did not answer within {timeout:g} s:\n"
                               f"{log.read_text(encoding='utf-8')[-4000:]}")
        time.sleep(0.5)
    password = (state / "facilitator-password").read_text(encoding="utf-8").strip()
    return RunningHub(proc, url, state, log, class_password, facilitator, password)


# --------------------------------------------------------------------------- a person


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    url: str
    body: bytes
    headers: dict

    def json(self):
        return json.loads(self.body)


class Person:
    """One browser: a cookie jar, the login form, and the user's own API token."""

    def __init__(self, hub_url: str, name: str) -> None:
        self.hub_url, self.name = hub_url, name
        self.jar = http.cookiejar.CookieJar()
        self._follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self._stay = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                 _NoRedirect)
        self.token: str | None = None

    def request(self, path: str, method: str = "GET", data: bytes | None = None,
                headers: dict | None = None, follow: bool = True,
                timeout: float = 60.0) -> Response:
        """An HTTP request with this person's cookies; errors are returned, not raised."""
        url = path if path.startswith("http") else self.hub_url + path
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        opener = self._follow if follow else self._stay
        try:
            with opener.open(req, timeout=timeout) as resp:
                return Response(resp.status, resp.geturl(), resp.read(), dict(resp.headers))
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.geturl(), exc.read(), dict(exc.headers or {}))

    def _xsrf(self) -> str:
        for cookie in self.jar:
            if cookie.name == "_xsrf":
                return cookie.value
        return ""

    def log_in(self, password: str, own: str | None = None) -> Response:
        """Fill in and send the hub's login form: name, class (or facilitator's) password and
        the learner's own password (default ``own-<name>``); the response, not redirected."""
        self.request("/hub/login")
        own = f"own-{self.name}" if own is None else own
        form = urllib.parse.urlencode({"username": self.name, "password": password,
                                       "otp": own, "_xsrf": self._xsrf()}).encode()
        return self.request("/hub/login?next=", "POST", form,
                            {"Content-Type": "application/x-www-form-urlencoded"},
                            follow=False)

    def logged_in(self) -> bool:
        """Whether the hub knows this browser as ``name``."""
        resp = self.request("/hub/api/user", headers={"X-XSRFToken": self._xsrf()})
        return resp.status == 200 and resp.json().get("name") == self.name

    def make_token(self) -> str:
        """Ask the hub for an API token of one's own (as the Token page does)."""
        resp = self.request(f"/hub/api/users/{self.name}/tokens", "POST",
                            json.dumps({"note": "test", "expires_in": 3600}).encode(),
                            {"X-XSRFToken": self._xsrf(), "Content-Type": "application/json"})
        if resp.status != 201:
            raise RuntimeError(f"{self.name}: token request gave {resp.status}: "
                               f"{resp.body[:300]!r}")
        self.token = resp.json()["token"]
        return self.token

    def api(self, path: str, method: str = "GET", body: dict | None = None,
            timeout: float = 60.0) -> Response:
        """A request with this person's token (no cookies needed)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.hub_url + path, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return Response(resp.status, resp.geturl(), resp.read(), dict(resp.headers))
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.geturl(), exc.read(), dict(exc.headers or {}))

    def start_server(self) -> int:
        """Ask the hub to start this person's server; the HTTP status (201/202)."""
        return self.api(f"/hub/api/users/{self.name}/server", "POST", {}).status

    def server_ready(self) -> bool:
        model = self.api(f"/hub/api/users/{self.name}").json()
        server = model.get("servers", {}).get("")
        return bool(server and server.get("ready"))


def wait_until_ready(people: list[Person], timeout: float) -> None:
    """Wait until every person's server is ready."""
    deadline = time.monotonic() + timeout
    waiting = list(people)
    while waiting:
        waiting = [p for p in waiting if not p.server_ready()]
        if not waiting:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"servers not ready after {timeout:g} s: "
                               f"{[p.name for p in waiting]}")
        time.sleep(1.0)


# --------------------------------------------------------------------------- a kernel


@dataclass
class Executed:
    """What one cell did: its reply status, the MIME types it displayed, its text output,
    and any error or stderr text."""

    status: str
    mime: list[str]
    text: str
    problems: list[str]


class Kernel:
    """A kernel on a person's own server, driven over its websocket with their token."""

    def __init__(self, person: Person, timeout: float = 180.0) -> None:
        import websocket  # websocket-client

        self.person, self.timeout = person, timeout
        base = f"/user/{person.name}/api/kernels"
        resp = person.api(base, "POST", {"name": "python3"}, timeout=timeout)
        if resp.status != 201:
            raise RuntimeError(f"{person.name}: kernel start gave {resp.status}: "
                               f"{resp.body[:300]!r}")
        self.id = resp.json()["id"]
        self.session = uuid.uuid4().hex
        ws_url = person.hub_url.replace("http", "ws", 1) + \
            f"{base}/{self.id}/channels?session_id={self.session}"
        self.ws = websocket.create_connection(
            ws_url, timeout=timeout, subprotocols=[SUBPROTOCOL],
            header=[f"Authorization: token {person.token}"])

    def execute(self, code: str) -> Executed:
        """Run ``code`` as a notebook cell would and collect what it did."""
        msg_id = uuid.uuid4().hex
        self.ws.send_binary(encode("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}, self.session, msg_id=msg_id,
            username="learner"))
        status, mime, text, problems, idle = "", [], [], [], False
        deadline = time.monotonic() + self.timeout
        while not (idle and status):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"cell did not finish within {self.timeout:g} s: "
                                   f"{code[:80]!r}")
            self.ws.settimeout(remaining)
            msg = decode(self.ws.recv())
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "execute_reply":
                status = content["status"]
                if status != "ok":
                    problems.append(f"{content.get('ename')}: {content.get('evalue')}")
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind in ("display_data", "execute_result"):
                mime.extend(content["data"])
                text.append(content["data"].get("text/plain", ""))
            elif kind == "stream":
                if content["name"] == "stderr":
                    problems.append(f"stderr: {content['text'][:500]}")
                else:
                    text.append(content["text"])
            elif kind == "error":
                problems.append(f"{content['ename']}: {content['evalue']}")
        return Executed(status, mime, "".join(text), problems)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()


def code_cells(notebook: Path = START_NOTEBOOK) -> list[str]:
    """The code cells of a notebook, in order."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
