"""The ``melt-course`` command: open the course in JupyterLab; export a learner's progress;
write routine handouts."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

__all__ = ["find_course_root", "handouts_command", "lab_command", "main"]

START_NOTEBOOK = "notebooks/00_start_here.ipynb"


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


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``melt-course`` command."""
    args = _build_parser().parse_args(argv)
    if args.command == "progress":
        return _progress(args)
    if args.command == "handouts":
        return handouts_command(args.out, args.pdf)
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
