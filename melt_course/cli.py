"""The ``melt-course`` command: the course in JupyterLab (``lab``) or as an app (``app``), and
the tools: ``progress`` (a learner's progress file), ``handouts`` (routine handouts),
``class-report`` and ``export-html`` (workshop).

``app`` serves the lessons with Voilà: code hidden, widgets live. Access always needs a token:

- default: bound to 127.0.0.1 with a new random token (or ``--token T``), like ``lab``;
- ``--lan``: bound to 0.0.0.0 so that a class can connect, and it refuses to start unless a
  token is chosen explicitly: ``--token WORD`` (at least 8 letters, digits, ``-``, ``_``, ``.``
  or ``~``, e.g. something to write on the whiteboard) or ``--token auto`` (a random one). The
  token is printed once at start; learners open the printed link, or open
  ``http://<address>:<port>/`` and type the token at the login prompt.
"""

from __future__ import annotations

import argparse
import contextlib
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
from pathlib import Path

from .classroom import CLASS_DIR_ENV, COOKIE_NAME, SECRET_FILE, ensure_secret, startup_source

__all__ = ["APP_PORT", "LAN_TOKEN_MIN_LENGTH", "app_command", "app_token", "find_course_root",
           "handouts_command", "lab_command", "lan_addresses", "main", "prepare_class_dir"]

START_NOTEBOOK = "notebooks/00_start_here.ipynb"
#: Default port of ``melt-course app`` (Voilà's own default).
APP_PORT = 8866
#: Seconds Voilà waits for a cell's outputs after the cell has run (see :func:`app_command`).
IOPUB_TIMEOUT = 60
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
    candidates = [start, *start.parents, Path(__file__).resolve().parent.parent]
    for folder in candidates:
        if (folder / START_NOTEBOOK).is_file():
            return folder
    raise FileNotFoundError(
        f"could not find {START_NOTEBOOK!r} in {str(start)!r}, its parents, or beside the "
        "melt_course package; run the command from a clone of the course")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, got {value!r}")
    return value


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
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI machines often run as root
    return cmd


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="melt-course",
                                     description="The psoas and NeuroCore course.")
    sub = parser.add_subparsers(dest="command", required=True)
    lab = sub.add_parser("lab", help="open the course in JupyterLab at the start notebook")
    lab.add_argument("--port", type=_port, default=8888, help="port on 127.0.0.1 (default 8888)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    lab.add_argument("--token", default=None,
                     help="access token (default: a new random token, printed at start)")
    progress = sub.add_parser("progress", help="the learner's progress file")
    psub = progress.add_subparsers(dest="progress_command", required=True)
    export = psub.add_parser("export", help="write a copy of the progress for a facilitator")
    export.add_argument("--out", required=True, type=Path, help="the file to write (.json)")
    where = psub.add_parser("where", help="print where the progress file is")
    for cmd in (export, where):
        cmd.add_argument("--store", default=None,
                         help="progress file or folder (default: $MELT_COURSE_PROGRESS, "
                              "else the user data folder)")
        cmd.add_argument("--learner", default=None,
                         help="learner name (picks progress-<name>.json inside a folder)")
    handouts = sub.add_parser("handouts", help="write a printable HTML page (and PDF) per routine")
    handouts.add_argument("--out", required=True, type=Path, help="folder to write into")
    pdf = handouts.add_mutually_exclusive_group()
    pdf.add_argument("--pdf", dest="pdf", action="store_true", default=None,
                     help="also print PDFs (fail if Chromium is missing)")
    pdf.add_argument("--no-pdf", dest="pdf", action="store_false",
                     help="HTML only (default: PDFs too when Chromium is found)")
    _add_app_parser(sub)
    _add_class_report_parser(sub)
    _add_export_html_parser(sub)
    _add_facilitator_parser(sub)
    return parser


def _progress(args: argparse.Namespace) -> int:
    from .loader import DataError
    from .progress import open_store

    try:
        store = open_store(args.store, learner=args.learner)
    except ValueError as exc:
        print(f"melt-course: {exc}", file=sys.stderr)
        return 2
    if args.progress_command == "where":
        print(store.path)
        return 0
    if not store.path.is_file():
        print(f"melt-course: no progress file at {str(store.path)!r} yet, so nothing to "
              "export (answer a quiz first, or pass --store)", file=sys.stderr)
        return 1
    try:
        out = store.export(args.out)
    except (DataError, ValueError, OSError) as exc:
        print(f"melt-course: could not export: {exc}", file=sys.stderr)
        return 1
    count = len(store.records())
    print(f"melt-course: wrote {count} record{'s' if count != 1 else ''} of "
          f"{str(store.path)!r} to {str(out)!r}")
    return 0


def handouts_command(out: Path, pdf: bool | None) -> int:
    """Run ``melt-course handouts``: write the handouts and say what was written."""
    from .handouts import find_chromium, write_handouts

    try:
        written = write_handouts(out, pdf=pdf)
    except (FileNotFoundError, RuntimeError, ValueError) as exc:
        print(f"melt-course: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    if pdf is None and find_chromium() is None:
        print("melt-course: Chromium not found, so no PDFs were made (print the HTML pages "
              "from a browser instead)", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- app (Voilà)


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
        progress file there (see :mod:`melt_course.classroom`).
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
        # Voilà stops waiting for a cell's outputs after NotebookClient.iopub_timeout (4 s by
        # default) and serves the page without them: on a busy server a learner would get
        # the lesson with its widgets missing. Wait up to a minute instead.
        f"--NotebookClient.iopub_timeout={IOPUB_TIMEOUT}",
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


def _app_urls(port: int, token: str, lan: bool) -> list[str]:
    """On this computer, the start lesson; on the network, the lesson list (which sets each
    browser's login cookie before any lesson starts a kernel)."""
    if lan:
        hosts = lan_addresses() or ["<this computer's address>"]
        return [f"http://{host}:{port}/?token={token}" for host in hosts]
    start = START_NOTEBOOK.split("/", 1)[1]
    return [f"http://127.0.0.1:{port}/voila/render/{start}?token={token}"]


def _add_app_parser(sub: argparse._SubParsersAction) -> None:
    app = sub.add_parser(
        "app", help="serve the lessons as an app with Voilà (code hidden, widgets live)",
        description="Serve the lessons with Voilà: code hidden, widgets live. On 127.0.0.1 by "
                    "default; --lan serves to the local network and needs --token.")
    app.add_argument("--port", type=_port, default=APP_PORT,
                     help=f"port (default {APP_PORT})")
    app.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    app.add_argument("--lan", action="store_true",
                     help="serve to the local network (binds 0.0.0.0); needs --token")
    app.add_argument("--token", default=None,
                     help="access token: a word you choose (8+ characters with --lan) or "
                          "'auto' for a random one; printed once at start (default on "
                          "127.0.0.1: a random one)")
    app.add_argument("--class-dir", type=Path, default=Path("melt-class-progress"),
                     help="with --lan: folder for the learners' progress files, one per "
                          "browser (default ./melt-class-progress)")


def _run_app(args: argparse.Namespace) -> int:
    try:
        token = app_token(args.token, args.lan)
        root = find_course_root()
    except (ValueError, FileNotFoundError) as exc:
        print(f"melt-course app: {exc}", file=sys.stderr)
        return 2
    urls = _app_urls(args.port, token, args.lan)
    env: dict[str, str] = {}
    class_dir = None
    if args.lan:
        try:
            class_dir = args.class_dir.resolve()
            env = prepare_class_dir(class_dir)
        except OSError as exc:
            print(f"melt-course app: cannot use the class folder {str(args.class_dir)!r}: "
                  f"{exc}", file=sys.stderr)
            return 2
        print("melt-course app: serving the course to the local network (all interfaces).\n"
              f"  Token (shown only now): {token}\n"
              "  Learners open one of these addresses (the lesson list), or the address "
              "without '?token=...' and type the token at the login prompt:", flush=True)
    else:
        print("melt-course app: serving the course on this computer only, at:", flush=True)
    for url in urls:
        print(f"  {url}", flush=True)
    if class_dir is not None:
        print(f"  Each browser's progress goes to its own file in {class_dir}\n"
              f"  After class: melt-course class-report {class_dir} --out class-report",
              flush=True)
    open_browser = _open_browser(args.no_browser, args.lan)
    if not args.no_browser and not open_browser:
        print("  (Not opening a browser: " + ("serving a class" if args.lan else
              "running as root, and browsers refuse to run as root") + "; open the address "
              "above.)", flush=True)
    print("  Press Ctrl+C to stop.", flush=True)
    cmd = app_command(root, args.port, token, args.lan, class_dir)
    return _serve(cmd, urls[0], open_browser=open_browser, env=env)


def _open_browser(no_browser: bool, lan: bool, euid: int | None = None) -> bool:
    """Whether ``app`` opens a browser: not when asked not to, not for a class (``--lan``),
    and not as root (Chromium and Firefox refuse to run as root without weakening their
    sandbox, which the course will not do for you)."""
    if euid is None:
        euid = os.geteuid() if hasattr(os, "geteuid") else 1
    return not no_browser and not lan and euid != 0


def _serve(cmd: list[str], browser_url: str, open_browser: bool,
           env: dict[str, str] | None = None) -> int:
    """Run the server until it stops; forward Ctrl+C and termination to it."""
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})})

    def forward(signum: int, _frame: object) -> None:
        if proc.poll() is None:
            proc.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if open_browser and _wait_until_up(browser_url, proc):
            import webbrowser

            webbrowser.open(browser_url)
        return proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=15)


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> bool:
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


# --------------------------------------------------------------------------- class report


def _add_class_report_parser(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser(
        "class-report", help="merge learners' progress exports into a class summary",
        description="Merge learners' progress exports (melt-course progress export) into a "
                    "class summary: CSV files, a chart (PNG) and summary.md. Files that are "
                    "not valid exports are skipped and listed.")
    report.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="progress exports (.json), or folders of them")
    report.add_argument("--out", required=True, type=Path, help="folder to write the report to")


def _run_class_report(args: argparse.Namespace) -> int:
    from .classreport import build_report, read_exports, summary_markdown, write_csvs
    from .figures.classreport import class_report_figure, describe_class_report
    from .figures.style import figure_png

    exports, skipped = read_exports(args.files)
    for item in skipped:
        print(f"melt-course class-report: skipped {item.source}: {item.reason}",
              file=sys.stderr)
    if not exports:
        print("melt-course class-report: no valid progress export among the "
              f"{len(skipped)} file(s) given; nothing written", file=sys.stderr)
        return 2
    report = build_report(exports, skipped)
    out = args.out
    written = write_csvs(report, out)
    fig, _ = class_report_figure(report)
    chart = out / "class_report.png"
    chart.write_bytes(figure_png(fig))
    (out / "class_report.txt").write_text(describe_class_report(report) + "\n",
                                          encoding="utf-8")
    summary = out / "summary.md"
    summary.write_text(summary_markdown(report, chart=chart.name), encoding="utf-8")
    files = len(written) + 3
    print(f"melt-course class-report: {len(report.learners)} learner(s), "
          f"{len(report.questions)} question(s), {len(skipped)} file(s) skipped; "
          f"wrote {files} files to {out} (start with {summary.name})")
    return 0


# --------------------------------------------------------------------------- lesson handouts


def _add_export_html_parser(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export-html", help="export each lesson to a standalone, offline HTML handout",
        description="Run each lesson and export it to one self-contained HTML file, with every "
                    "widget replaced by its static figure and text description.")
    export.add_argument("--out", required=True, type=Path, help="folder for the HTML files")
    export.add_argument("--lesson", action="append", dest="lessons", metavar="NN",
                        help="only this lesson (repeat for more; default: every lesson with "
                             "a notebook)")


def _run_export_html(args: argparse.Namespace) -> int:
    from .lesson_html import export_lessons

    try:
        root = find_course_root()
        results = export_lessons(root / "notebooks", args.out, args.lessons)
    except (FileNotFoundError, KeyError) as exc:
        print(f"melt-course export-html: {str(exc).strip(chr(34) + chr(39))}", file=sys.stderr)
        return 2
    except Exception as exc:  # a lesson that fails to run: say which, without a traceback
        print(f"melt-course export-html: a lesson failed to run, nothing more exported: "
              f"{type(exc).__name__}: {str(exc)[-2000:]}", file=sys.stderr)
        return 1
    for item in results:
        print(f"melt-course export-html: lesson {item.lesson} -> {item.path} "
              f"({item.widgets} widget(s) made static)")
    return 0


# --------------------------------------------------------------------------- facilitator kit


def _slot(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"slot must be whole minutes, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"slot must be positive, got {value!r}")
    return value


def _add_facilitator_parser(sub: argparse._SubParsersAction) -> None:
    kit = sub.add_parser(
        "facilitator-kit", help="write the facilitator kit (lesson notes and agendas)",
        description="Write the facilitator kit as Markdown: per lesson goals, timing, what to "
                    "demonstrate, common questions, where learners struggle; workshop agendas "
                    "timed from the lessons and routines.")
    kit.add_argument("--out", required=True, type=Path, help="folder to write into")
    kit.add_argument("--slot", action="append", dest="slots", type=_slot, metavar="MINUTES",
                     help="workshop length to plan for (repeat; default 60 and 90)")


def _run_facilitator_kit(args: argparse.Namespace) -> int:
    from .facilitator import DEFAULT_SLOTS, write_kit

    try:
        written = write_kit(args.out, args.slots or DEFAULT_SLOTS)
    except (KeyError, ValueError) as exc:
        print(f"melt-course facilitator-kit: {str(exc).strip(chr(34))}", file=sys.stderr)
        return 2
    print(f"melt-course facilitator-kit: wrote {len(written)} pages to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``melt-course`` command."""
    args = _build_parser().parse_args(argv)
    if args.command == "progress":
        return _progress(args)
    if args.command == "handouts":
        return handouts_command(args.out, args.pdf)
    if args.command == "app":
        return _run_app(args)
    if args.command == "class-report":
        return _run_class_report(args)
    if args.command == "export-html":
        return _run_export_html(args)
    if args.command == "facilitator-kit":
        return _run_facilitator_kit(args)
    if args.command == "lab":
        try:
            root = find_course_root()
        except FileNotFoundError as exc:
            print(f"melt-course: {exc}", file=sys.stderr)
            return 2
        token = args.token or secrets.token_hex(24)
        url = f"http://127.0.0.1:{args.port}/lab/tree/{START_NOTEBOOK}?token={token}"
        print(f"melt-course: opening the course at {url}", flush=True)
        cmd = lab_command(root, args.port, token, open_browser=not args.no_browser)
        os.execv(cmd[0], cmd)
    return 0  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
