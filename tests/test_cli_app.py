"""``melt-course app``: the Voilà command it runs, its token rules, and real servers on
127.0.0.1 and (with ``--lan``) on every interface."""

import http.cookiejar
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import free_port, stop_process, wait_for_http

from melt_course.cli import main as cli
from melt_course.cli import servers


def _flag(cmd: list[str], name: str) -> str:
    values = [arg.split("=", 1)[1] for arg in cmd if arg.startswith(f"--{name}=")]
    assert len(values) == 1, f"--{name} given {len(values)} times in {cmd}"
    return values[0]


def test_app_command_serves_the_notebooks_folder_on_loopback_without_tracebacks(tmp_path):
    cmd = servers.app_command(tmp_path, 9123, "secret-token", lan=False)
    assert cmd[1:4] == ["-m", "voila", str(tmp_path / "notebooks")]
    assert _flag(cmd, "Voila.ip") == "127.0.0.1"
    assert _flag(cmd, "Voila.port") == "9123"
    assert _flag(cmd, "Voila.port_retries") == "0"
    assert _flag(cmd, "Voila.token") == "secret-token"
    assert _flag(cmd, "Voila.open_browser") == "False"
    assert _flag(cmd, "VoilaConfiguration.show_tracebacks") == "False"
    assert _flag(cmd, "VoilaConfiguration.strip_sources") == "True"
    # a busy server must not serve a lesson without its widgets (Voilà's default waits 4 s)
    assert int(_flag(cmd, "NotebookClient.iopub_timeout")) >= 30


def test_app_command_with_lan_binds_every_interface(tmp_path):
    assert _flag(servers.app_command(tmp_path, 1, "long-enough", lan=True), "Voila.ip") == "0.0.0.0"


def test_app_command_never_runs_without_a_token(tmp_path):
    with pytest.raises(ValueError, match=r"token '' must not be empty"):
        servers.app_command(tmp_path, 9123, "", lan=False)


def test_lan_without_token_is_refused():
    with pytest.raises(ValueError, match=r"refusing .* without a token.*--token auto"):
        servers.app_token(None, lan=True)


@pytest.mark.parametrize("lan", [False, True])
def test_auto_and_default_tokens_are_random_and_url_safe(lan):
    tokens = {servers.app_token("auto", lan) for _ in range(20)}
    assert len(tokens) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{12,}", t) for t in tokens)
    if not lan:
        assert servers.app_token(None, lan=False) != servers.app_token(None, lan=False)


def test_chosen_tokens_are_checked():
    assert servers.app_token("anatomy2026", lan=True) == "anatomy2026"
    assert servers.app_token("abc", lan=False) == "abc"  # a short token is fine on this computer
    with pytest.raises(ValueError, match=r"'psoas' is too short for --lan: use at least 8"):
        servers.app_token("psoas", lan=True)
    with pytest.raises(ValueError, match=r"'my token' may use only letters, digits"):
        servers.app_token("my token", lan=False)


def _run_cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "melt_course", "app", "--no-browser", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_lan_without_token_refuses_to_start(course_env):
    port = free_port()
    result = _run_cli("--lan", "--port", str(port), env=course_env)
    assert result.returncode == 2
    assert "refusing to serve the course to the local network without a token" in result.stderr
    assert "--token WORD" in result.stderr and "--token auto" in result.stderr
    assert result.stdout == ""
    with socket.socket() as sock:  # and nothing is listening
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_lan_with_short_token_refuses_to_start(course_env):
    result = _run_cli("--lan", "--token", "abc", env=course_env)
    assert result.returncode == 2 and "too short for --lan" in result.stderr


def test_bad_port_is_refused(capsys):
    with pytest.raises(SystemExit):
        cli.main(["app", "--port", "0"])
    assert "between 1 and 65535, got 0" in capsys.readouterr().err


def test_app_needs_the_token_and_listens_on_loopback_only(voila_server):
    start = voila_server.render_url("00_start_here.ipynb").split("?")[0]
    no_redirect = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as info:
        no_redirect.open(start, timeout=30)
    assert info.value.code in (302, 403)
    assert "/login" in info.value.headers.get("Location", "/login")
    port = int(voila_server.url.rsplit(":", 1)[1])
    for address in servers.lan_addresses():
        with socket.socket() as sock:
            assert sock.connect_ex((address, port)) != 0, f"reachable on {address}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _login_with_password_form(base: str, password: str) -> int:
    """Log in as a learner would: the login page's form, the token typed as the password."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    opener.open(f"{base}/login", timeout=30).read()
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    body = urllib.parse.urlencode({"password": password, "_xsrf": xsrf}).encode()
    try:
        opener.open(f"{base}/login?next=%2F", data=body, timeout=30)
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            return exc.code
        # Logged in: the session cookie now opens the lesson list without a token.
        with opener.open(f"{base}/", timeout=30) as resp:
            return resp.status
    return 200


def test_lan_app_serves_every_interface_prints_the_token_once_and_accepts_it_at_login(
        course_env, tmp_path):
    port, token = free_port(), "whiteboard-42"
    log = tmp_path / "app.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "melt_course", "app", "--no-browser",
                                 "--lan", "--port", str(port), "--token", token,
                                 "--class-dir", str(tmp_path / "class")],
                                env=course_env, stdout=out, stderr=subprocess.STDOUT, text=True,
                                cwd=servers.find_course_root())
    try:
        wait_for_http(f"http://127.0.0.1:{port}/?token={token}", proc)
        addresses = servers.lan_addresses()
        for address in addresses:  # reachable from the network, not only on loopback
            wait_for_http(f"http://{address}:{port}/?token={token}", proc)
        text = log.read_text(encoding="utf-8")
        assert text.count(f"Token (shown only now): {token}") == 1
        assert f"?token={token}" in text
        assert _login_with_password_form(f"http://127.0.0.1:{port}", token) == 200
        assert _login_with_password_form(f"http://127.0.0.1:{port}", "wrong-token") != 200
    finally:
        stop_process(proc)
    assert proc.returncode is not None


@pytest.mark.parametrize(("no_browser", "lan", "euid", "opens"), [
    (False, False, 1000, True), (True, False, 1000, False), (False, True, 1000, False),
    (False, False, 0, False)])
def test_a_browser_is_opened_only_for_one_learner_not_as_root(no_browser, lan, euid, opens):
    assert servers.should_open_browser(no_browser, lan, euid) is opens


def test_a_browser_cannot_run_code_through_a_lessons_kernel(voila_server, tmp_path):
    """The token lets a learner use the widgets, not execute code as the facilitator."""
    import re
    import uuid

    import websocket
    from kernel_ws import SUBPROTOCOL, decode, encode

    url = voila_server.render_url("00_start_here.ipynb")
    with urllib.request.urlopen(url, timeout=600) as resp:  # starts the lesson's kernel
        kernel = re.search(r'kernelId": "([0-9a-f-]{36})"', resp.read().decode()).group(1)
    marker = tmp_path / "ran.txt"
    session = uuid.uuid4().hex
    ws = websocket.create_connection(
        f"{voila_server.url.replace('http', 'ws', 1)}/api/kernels/{kernel}/channels"
        f"?session_id={session}&token={voila_server.token}", timeout=120,
        subprotocols=[SUBPROTOCOL])
    try:
        code = f"open({str(marker)!r}, 'w').write('code ran')"
        ws.send_binary(encode("execute_request", {
            "code": code, "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}, session, msg_id="exec-1"))
        ws.send_binary(encode("kernel_info_request", {}, session, msg_id="info-1"))
        replies = []
        while True:  # shell replies come in order: an execute_reply would come first
            msg = decode(ws.recv())
            replies.append(msg["header"]["msg_type"])
            if msg["header"]["msg_type"] == "kernel_info_reply":
                break
    finally:
        ws.close()
    assert "execute_reply" not in replies and "execute_input" not in replies
    assert not marker.exists()
    assert 'refused a "execute_request" message on the "shell" channel' in \
        voila_server.log_text()
