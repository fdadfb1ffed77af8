"""Starting the course's servers: JupyterLab (``lab``) and the Voila app (``app``).

Builds the command lines, checks app tokens, prepares the class folder for ``--lan`` and runs a
server until Ctrl+C. Argument parsing lives in :mod:`melt_course.cli.main`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path

from melt_course.cli.app_learners import (
    CLASS_DIR_ENV,
    COOKIE_NAME,
    SECRET_FILE,
    ensure_secret,
    startup_source,
)
from melt_course.cli.arguments import whole_number

__all__ = [
    "ALLOWED_MESSAGES",
    "APP_PORT",
    "APP_TEMPLATE",
    "IOPUB_TIMEOUT",
    "KERNEL_CONNECTION",
    "LAN_TOKEN_MIN_LENGTH",
    "START_NOTEBOOK",
    "app_command",
    "app_environment",
    "app_token",
    "find_course_root",
    "kernel_dir",
    "lab_command",
    "lab_environment",
    "lan_addresses",
    "prepare_class_dir",
    "stylesheet_dir",
]

START_NOTEBOOK = "notebooks/00_start_here.ipynb"


#: Default port of ``melt-course app`` (Voilà's own default).
APP_PORT = 8866


#: The course's own Voilà template (``melt_course/data/jupyter/voila/templates/melt``): the
#: lesson in a ``main`` landmark, a title, no "lab-only" cells, the course stylesheet, no CDN.
APP_TEMPLATE = "melt"


#: Seconds Voilà waits for a cell's outputs after the cell has run (see :func:`app_command`).
IOPUB_TIMEOUT = 60


#: Kernel messages a browser may send to a lesson's kernel: what the widgets need, no code.
ALLOWED_MESSAGES = ("kernel_info_request", "comm_info_request", "comm_open", "comm_msg",
                    "comm_close")


#: The kernel websocket connection class the app gives Voila (enforces :data:`ALLOWED_MESSAGES`).
KERNEL_CONNECTION = "melt_course.cli.app_kernel.CourseKernelConnection"


#: Shortest token ``--lan`` accepts.
LAN_TOKEN_MIN_LENGTH = 8


_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9._~-]+$")


def find_course_root(start: Path | None = None) -> Path:
    """Find the folder that holds ``notebooks/00_start_here.ipynb``.

    Looks in ``start`` (default: the working directory) and its parents, then beside the
    installed package (an editable install from a clone).

    Raises
    ------
    FileNotFoundError
        Naming where it looked.
    """
    start = (start or Path.cwd()).resolve()
    candidates = [start, *start.parents, Path(__file__).resolve().parents[2]]
    for folder in candidates:
        if (folder / START_NOTEBOOK).is_file():
            return folder
    raise FileNotFoundError(
        f"could not find {START_NOTEBOOK!r} in {str(start)!r}, its parents, or beside the "
        "melt_course package; run the command from a clone of the course")


#: ``argparse`` type of a ``--port`` option: a whole number from 1 to 65535.
port_number = whole_number("port", 1, 65535)


def lab_settings_dir() -> Path:
    """The folder of the course's JupyterLab defaults (``overrides.json``), inside the package."""
    return Path(str(resources.files("melt_course").joinpath("data", "jupyterlab")))


def kernel_dir() -> Path:
    """The course's Jupyter data folder holding its ``python3`` kernel spec (inside the package).

    The spec starts ipykernel with the course's hint for a cell run before the setup cell
    (:mod:`melt_course.cli.kernel_hint`); put first on ``JUPYTER_PATH`` it takes the place of
    the ``python3`` kernel the lessons name.
    """
    return Path(str(resources.files("melt_course").joinpath("data", "kernel")))


def lab_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment additions for a JupyterLab serving the course: :func:`kernel_dir` first
    on ``JUPYTER_PATH`` (anything already there is kept, after it)."""
    environ = os.environ if environ is None else environ
    rest = [p for p in environ.get("JUPYTER_PATH", "").split(os.pathsep)
            if p and p != str(kernel_dir())]
    return {"JUPYTER_PATH": os.pathsep.join([str(kernel_dir()), *rest])}


def stylesheet_dir() -> Path:
    """The folder holding the course stylesheet, ``custom.css`` (inside the package).

    JupyterLab with ``LabApp.custom_css`` links ``custom/custom.css`` in its page and serves
    it from the web app's ``static_custom_path`` setting: pointed here, it serves the one
    stylesheet the app's template links too (nothing is copied, so nothing can drift).
    """
    from melt_course.content.page import STYLESHEET_PARTS

    if STYLESHEET_PARTS[-1] != "custom.css":  # the name JupyterLab's page asks for
        raise ValueError(f"the course stylesheet {STYLESHEET_PARTS[-1]!r} must be called "
                         "'custom.css' for JupyterLab to load it")
    return Path(str(resources.files("melt_course").joinpath(*STYLESHEET_PARTS[:-1])))


def lab_command(root: Path, port: int, token: str, open_browser: bool) -> list[str]:
    """The JupyterLab command line for the course (bound to 127.0.0.1, token required)."""
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.default_url=/lab/tree/{START_NOTEBOOK}",
        "--ServerApp.open_browser=" + ("True" if open_browser else "False"),
        # The course's JupyterLab defaults (overrides.json): widget state is never saved into
        # a lesson, so running a lesson leaves no binary state for git to conflict on.
        f"--LabApp.app_settings_dir={lab_settings_dir()}",
        # The course stylesheet in the page from the start (lesson navigation bars, before
        # any cell has run): JupyterLab's custom CSS, served from the package's one copy.
        "--LabApp.custom_css=True",
        # (static_custom_path is not a config option; tornado_settings overrides it)
        "--ServerApp.tornado_settings=" + json.dumps(
            {"static_custom_path": [str(stylesheet_dir())]}),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI machines often run as root
    return cmd


def jupyter_data_dir() -> Path:
    """The package's Jupyter data folder (``data/jupyter``: the ``melt`` Voilà template)."""
    return Path(str(resources.files("melt_course").joinpath("data", "jupyter")))


def app_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the app's server: ``JUPYTER_PATH`` so Voilà finds the course template.

    Voilà looks for templates in the Jupyter data folders (``JUPYTER_PATH`` first). Voilà also
    takes its themes and settings from the first of those folders that has a ``voila``
    subfolder, so the folder of Voilà's own data comes first, then the package's, then any
    ``JUPYTER_PATH`` already set.

    Parameters
    ----------
    environ : dict, optional
        The environment to extend (default: ``os.environ``).
    """
    from voila.utils import get_data_dir  # only when the app starts: Voilà is a large import

    environ = os.environ if environ is None else environ
    voila_root = str(Path(get_data_dir()).parent)
    own = [voila_root, str(jupyter_data_dir())]
    before = [p for p in environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p not in own]
    return {"JUPYTER_PATH": os.pathsep.join([*own, *before])}


def app_token(token: str | None, lan: bool) -> str:
    """The token ``melt-course app`` will use.

    Parameters
    ----------
    token : str or None
        ``--token`` as given: None (not given), ``"auto"`` or a chosen token.
    lan : bool
        Whether the app is served to the local network.

    Returns
    -------
    str
        The chosen token, or a new random one for ``"auto"`` and (on 127.0.0.1 only) None.

    Raises
    ------
    ValueError
        With ``lan`` and no token; for a token with characters other than letters, digits,
        ``- _ . ~``; with ``lan`` and a token shorter than :data:`LAN_TOKEN_MIN_LENGTH`.
    """
    if token is None and lan:
        raise ValueError(
            "refusing to serve the course to the local network without a token. Choose one: "
            "--token WORD (a token you pick, at least "
            f"{LAN_TOKEN_MIN_LENGTH} characters) or --token auto (a random one, printed once)")
    if token is None or token == "auto":
        return secrets.token_urlsafe(9) if lan else secrets.token_hex(24)
    if not _TOKEN_PATTERN.match(token):
        raise ValueError(f"token {token!r} may use only letters, digits and - _ . ~ "
                         "(learners type it into a web address)")
    if lan and len(token) < LAN_TOKEN_MIN_LENGTH:
        raise ValueError(f"token {token!r} is too short for --lan: use at least "
                         f"{LAN_TOKEN_MIN_LENGTH} characters, or --token auto")
    return token


def app_command(root: Path, port: int, token: str, lan: bool,
                class_dir: Path | None = None) -> list[str]:
    """The Voilà command line serving the lessons in ``root/notebooks``.

    Code is hidden and tracebacks are not sent to learners; the server never opens a browser
    itself (``melt-course app`` does, with the token in the address).

    Parameters
    ----------
    root : pathlib.Path
        The course folder (holding ``notebooks/``).
    port : int
        The port; no other port is tried when it is taken.
    token : str
        The access token (required: never empty).
    lan : bool
        Bind 0.0.0.0 (every network interface) instead of 127.0.0.1.
    class_dir : pathlib.Path, optional
        A class folder prepared by :func:`prepare_class_dir`: each browser gets its own
        progress file there (see :mod:`melt_course.cli.app_learners`).
    """
    if not token:
        raise ValueError(f"token {token!r} must not be empty: the app always needs a token")
    per_learner = [] if class_dir is None else [
        f"--Voila.config_file_paths={class_dir / '.voila'}",
        f"--PasswordIdentityProvider.cookie_name={COOKIE_NAME}",
        "--VoilaConfiguration.http_header_envs=Cookie",
    ]
    return [
        sys.executable, "-m", "voila", str(root / "notebooks"),
        "--Voila.ip=" + ("0.0.0.0" if lan else "127.0.0.1"),
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.token={token}",
        "--Voila.open_browser=False",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.theme=light",
        # The course's template (found through app_environment's JUPYTER_PATH).
        f"--VoilaConfiguration.template={APP_TEMPLATE}",
        # Voilà stops waiting for a cell's outputs after NotebookClient.iopub_timeout (4 s by
        # default) and serves the page without them: on a busy server a learner would get
        # the lesson with its widgets missing. Wait up to a minute instead.
        f"--NotebookClient.iopub_timeout={IOPUB_TIMEOUT}",
        # Browsers may only talk to widgets: anyone with the token could otherwise send
        # execute_request (run code as this user) or shutdown_request (stop a lesson) through
        # a lesson's kernel websocket. Voila overrides MappingKernelManager's list with its own,
        # so the course's connection class enforces ALLOWED_MESSAGES and keeps tracebacks and
        # stderr from the browser (melt_course.cli.app_kernel).
        f"--Voila.kernel_websocket_connection_class={KERNEL_CONNECTION}",
        *per_learner,
    ]


def prepare_class_dir(class_dir: Path) -> dict[str, str]:
    """Set up a class folder for per-learner progress; return the server's extra environment.

    Writes the cookie secret (once), a Voilà config file that signs login cookies with it, and
    an IPython start-up file that gives each kernel its learner's progress file.
    """
    class_dir = class_dir.resolve()
    ensure_secret(class_dir)
    voila_dir = class_dir / ".voila"
    voila_dir.mkdir(exist_ok=True)
    (voila_dir / "voila.py").write_text(
        "# Written by melt-course app --lan: sign login cookies with the class folder's secret.\n"
        "from pathlib import Path\n\n"
        f"c.Voila.cookie_secret = Path({str(class_dir / SECRET_FILE)!r}).read_text("
        "encoding='ascii').strip().encode('ascii')\n", encoding="utf-8")
    startup = class_dir / ".ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-melt-learner.py").write_text(startup_source(), encoding="utf-8")
    return {CLASS_DIR_ENV: str(class_dir), "IPYTHONDIR": str(class_dir / ".ipython")}


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses that other machines can reach (best guess; may be empty)."""
    found: list[str] = []
    # No packet is sent: connecting a UDP socket only picks the outgoing interface.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, \
            contextlib.suppress(OSError):
        sock.connect(("10.255.255.255", 1))
        found.append(sock.getsockname()[0])
    with contextlib.suppress(OSError):
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    return [ip for ip in dict.fromkeys(found) if not ip.startswith("127.")]


def app_urls(port: int, token: str, lan: bool) -> list[str]:
    """On this computer, the start lesson; on the network, the app's root, the course's landing
    page, which sets each browser's login cookie before any lesson starts a kernel and then
    opens the start lesson at its course map (template ``melt``, ``tree.html``)."""
    if lan:
        hosts = lan_addresses() or ["<this computer's address>"]
        return [f"http://{host}:{port}/?token={token}" for host in hosts]
    start = START_NOTEBOOK.split("/", 1)[1]
    return [f"http://127.0.0.1:{port}/voila/render/{start}?token={token}"]


def should_open_browser(no_browser: bool, lan: bool, euid: int | None = None) -> bool:
    """Whether ``app`` opens a browser: not when asked not to, not for a class (``--lan``),
    and not as root (Chromium and Firefox refuse to run as root without weakening their
    sandbox, which the course will not do for you)."""
    if euid is None:
        euid = os.geteuid() if hasattr(os, "geteuid") else 1
    return not no_browser and not lan and euid != 0


def serve(cmd: list[str], browser_url: str, open_browser: bool,
           env: dict[str, str] | None = None) -> int:
    """Run the server until it stops; forward Ctrl+C and termination to it."""
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})})

    def forward(signum: int, _frame: object) -> None:
        if proc.poll() is None:
            proc.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if open_browser and wait_until_up(browser_url, proc):
            import webbrowser

            webbrowser.open(browser_url)
        return proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=15)


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> bool:
    base = url.split("/voila/", 1)[0] + "/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(base, timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # it answers (e.g. a login redirect): it is up
        except OSError:
            time.sleep(0.3)
    return False
