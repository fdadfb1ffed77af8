"""``melt-course hub``: a classroom JupyterHub on this machine, one server per learner.

Starts JupyterHub (from the ``hub`` extra: ``pip install -e ".[hub]"``, or ``./dev hub`` which
installs it) with ``deploy/jupyterhub_config.py`` in local mode, and the project's pinned
configurable-http-proxy (``node_modules/``, installed by ``./dev``). Everything the hub keeps
(database, cookie secret, learners' homes and progress, class reports, passwords) lives in one
state folder, ``--state`` (default ``./melt-hub``).

Two passwords, kept in the state folder (readable by this user only) and printed at start:

- the class password, for learners (``--class-password WORD``, 8+ characters, to write on the
  whiteboard; otherwise a random one, made once and kept);
- the facilitator's password (random, 43 characters, made once and kept): the facilitator's
  name (``--facilitator``, default ``facilitator``) logs in only with it and is the hub's admin.

See docs/hub.md.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import sys
from pathlib import Path

from melt_course.cli.arguments import whole_number
from melt_course.cli.servers import find_course_root, lan_addresses, port_number, serve

__all__ = ["HUB_PORT", "add_hub_parser", "hub_environment", "run_hub"]

#: Default port learners connect to.
HUB_PORT = 8000
_CLASS_PASSWORD_FILE = "class-password"
_FACILITATOR_PASSWORD_FILE = "facilitator-password"
_NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,31}$"


def _free_ports(count: int, taken: int) -> list[int]:
    """``count`` different free ports on 127.0.0.1, none equal to ``taken`` (all held open
    while choosing, so the system cannot hand out the same one twice)."""
    sockets: list[socket.socket] = []
    ports: list[int] = []
    try:
        while len(ports) < count:
            sock = socket.socket()
            sockets.append(sock)
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            if port != taken:
                ports.append(port)
    finally:
        for sock in sockets:
            sock.close()
    return ports


def _stop_stale_proxy(state: Path) -> None:
    """After the hub has stopped: stop its proxy if it is still running. JupyterHub stops the
    proxy when it shuts down, but not when it fails to start (e.g. a port in use)."""
    pid_file = state / "jupyterhub-proxy.pid"
    try:
        pid = int(pid_file.read_text(encoding="ascii").strip())
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"configurable-http-proxy" in cmd:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


def add_hub_parser(sub: argparse._SubParsersAction) -> None:
    """Add the ``hub`` sub-command to the ``melt-course`` parser."""
    hub = sub.add_parser(
        "hub", help="run a classroom JupyterHub on this machine (one server per learner)",
        description="Run JupyterHub for a class on this machine: learners log in with any "
                    "name and the class password and get their own server and progress file; "
                    "the facilitator is the hub's admin and collects the class report from "
                    "the hub's Services menu. See docs/hub.md.")
    hub.set_defaults(run=run_hub)
    hub.add_argument("--port", type=port_number, default=HUB_PORT,
                     help=f"port learners connect to (default {HUB_PORT})")
    hub.add_argument("--lan", action="store_true",
                     help="serve to the local network (binds 0.0.0.0); default 127.0.0.1 only")
    hub.add_argument("--state", type=Path, default=Path("melt-hub"),
                     help="folder for everything the hub keeps (default ./melt-hub)")
    hub.add_argument("--class-password", default=None,
                     help="the learners' password, 8+ characters (default: a random one, made "
                          "once and kept in the state folder)")
    hub.add_argument("--facilitator", default="facilitator",
                     help="the facilitator's login name (default 'facilitator')")
    hub.add_argument("--idle-minutes", type=whole_number("minutes", 1), default=60,
                     help="stop a learner's server after this many idle minutes (default 60)")
    hub.add_argument("--app", action="store_true",
                     help="open the course in the app (Voila) instead of JupyterLab")


def _secret_file(path: Path, make) -> str:
    """Read a secret kept in ``path``, or make one and keep it (readable by this user only)."""
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


def hub_environment(root: Path, state: Path, port: int, lan: bool, class_password: str | None,
                    facilitator: str, idle_minutes: int, app: bool) -> dict[str, str]:
    """The environment for ``deploy/jupyterhub_config.py`` (creates the state folder).

    Raises
    ------
    ValueError
        For a class password shorter than 8 characters or a facilitator name the hub would
        refuse, naming the value.
    """
    import re

    if not re.match(_NAME_PATTERN, facilitator):
        raise ValueError(f"facilitator name {facilitator[:40]!r} must be lower-case letters, "
                         "digits, '-' or '_' (up to 32), starting with a letter or digit")
    if class_password is not None and len(class_password) < 8:
        raise ValueError(f"the class password must have at least 8 characters, got "
                         f"{len(class_password)}")
    state = state.resolve()
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    if class_password is None:
        class_password = _secret_file(state / _CLASS_PASSWORD_FILE,
                                      lambda: secrets.token_urlsafe(6))
    else:
        (state / _CLASS_PASSWORD_FILE).unlink(missing_ok=True)
    facilitator_password = _secret_file(state / _FACILITATOR_PASSWORD_FILE,
                                        lambda: secrets.token_urlsafe(32))
    api, proxy_api, report = _free_ports(3, taken=port)
    return {
        "MELT_HUB_SPAWNER": "local",
        "MELT_COURSE_DIR": str(root),
        "MELT_HUB_STATE": str(state),
        "MELT_HUB_URL": f"http://{'0.0.0.0' if lan else '127.0.0.1'}:{port}",
        "MELT_HUB_API_URL": f"http://127.0.0.1:{api}",
        "MELT_HUB_PROXY_API_URL": f"http://127.0.0.1:{proxy_api}",
        "MELT_HUB_REPORT_PORT": str(report),
        "MELT_HUB_CLASS_PASSWORD": class_password,
        "MELT_HUB_FACILITATOR": facilitator,
        "MELT_HUB_FACILITATOR_PASSWORD": facilitator_password,
        "MELT_HUB_IDLE_SECONDS": str(idle_minutes * 60),
        "MELT_HUB_CULL_EVERY": str(min(300, max(10, idle_minutes * 60 // 4))),
        **({"MELT_HUB_APP": "1"} if app else {}),
    }


def _proxy(root: Path) -> Path | None:
    local = root / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return local
    found = shutil.which("configurable-http-proxy")
    return Path(found) if found else None


def run_hub(args: argparse.Namespace) -> int:
    """Run ``melt-course hub`` until Ctrl+C."""
    if importlib.util.find_spec("jupyterhub") is None \
            or importlib.util.find_spec("jupyterhub_idle_culler") is None:
        print("melt-course hub: JupyterHub is not installed in this Python. Run ./dev hub "
              "(it installs it), or: pip install -e '.[hub]'", file=sys.stderr)
        return 2
    try:
        root = find_course_root()
    except FileNotFoundError as exc:
        print(f"melt-course hub: {exc}", file=sys.stderr)
        return 2
    proxy = _proxy(root)
    if proxy is None:
        print("melt-course hub: configurable-http-proxy not found in node_modules/; run ./dev "
              "hub (it installs it with npm from package-lock.json)", file=sys.stderr)
        return 2
    try:
        env = hub_environment(root, args.state, args.port, args.lan, args.class_password,
                              args.facilitator, args.idle_minutes, args.app)
    except (ValueError, OSError) as exc:
        print(f"melt-course hub: {exc}", file=sys.stderr)
        return 2
    env["MELT_HUB_PROXY"] = str(proxy)
    state = Path(env["MELT_HUB_STATE"])
    hosts = (lan_addresses() or ["<this computer's address>"]) if args.lan else ["127.0.0.1"]
    print("melt-course hub: a classroom JupyterHub", flush=True)
    for host in hosts:
        print(f"  Learners open:      http://{host}:{args.port}/", flush=True)
    print(f"  Class password:     {env['MELT_HUB_CLASS_PASSWORD']}\n"
          f"  Facilitator login:  {args.facilitator}, with the password in "
          f"{state / _FACILITATOR_PASSWORD_FILE}\n"
          f"  Class report:       log in as {args.facilitator}, then Services -> class-report "
          f"(http://{hosts[0]}:{args.port}/services/class-report/)\n"
          f"  Everything is kept in {state}\n"
          "  Press Ctrl+C to stop the hub and every learner's server.", flush=True)
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(root / "deploy" / "jupyterhub_config.py")]
    old = os.getcwd()
    os.chdir(state)  # JupyterHub writes its own files relative to here
    try:
        return serve(cmd, f"http://127.0.0.1:{args.port}/", open_browser=False, env=env)
    finally:
        os.chdir(old)
        _stop_stale_proxy(state)
