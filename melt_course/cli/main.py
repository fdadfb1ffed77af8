"""The ``melt-course`` command: the course in JupyterLab (``lab``) or as an app (``app``), and
the tools: ``progress`` (a learner's progress file), ``handouts`` (routine handouts),
``class-report`` and ``export-html`` (workshop), ``hub`` (a classroom JupyterHub).

``app`` serves the lessons with Voilà: code hidden, widgets live. Access always needs a token:

- default: bound to 127.0.0.1 with a new random token (or ``--token T``), like ``lab``;
- ``--lan``: bound to 0.0.0.0 so that a class can connect, and it refuses to start unless a
  token is chosen explicitly: ``--token WORD`` (at least 8 letters, digits, ``-``, ``_``, ``.``
  or ``~``, e.g. something to write on the whiteboard) or ``--token auto`` (a random one). The
  token is printed once at start; learners open the printed link, or open
  ``http://<address>:<port>/`` and type the token at the login prompt. Each browser then keeps
  its own progress file in the class folder (see :mod:`melt_course.cli.app_learners`).

Either way a browser may only send the kernel the messages widgets need
(:data:`ALLOWED_MESSAGES`, enforced by :mod:`melt_course.cli.app_kernel`), and never gets a
traceback back: the token lets a learner use the lessons, not run code as you or stop a lesson.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from melt_course.cli.arguments import whole_number
from melt_course.cli.hub import add_hub_parser
from melt_course.cli.servers import (
    APP_PORT,
    START_NOTEBOOK,
    app_command,
    app_environment,
    app_token,
    app_urls,
    find_course_root,
    lab_command,
    lab_environment,
    port_number,
    prepare_class_dir,
    serve,
    should_open_browser,
)

__all__ = ["main"]


def _command(sub: argparse._SubParsersAction, name: str, run: Callable[[argparse.Namespace], int],
             help: str, description: str | None = None,
             out: str | None = None) -> argparse.ArgumentParser:
    """Add the sub-command ``name``; :func:`main` runs it with ``run(args)``.

    ``out``, when given, is the help of the command's required ``--out`` path (``args.out``).
    """
    parser = sub.add_parser(name, help=help, description=description)
    parser.set_defaults(run=run)
    if out is not None:
        parser.add_argument("--out", required=True, type=Path, help=out)
    return parser


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="melt-course",
                                     description="The psoas and NeuroCore course.")
    sub = parser.add_subparsers(dest="command", required=True)
    lab = _command(sub, "lab", _run_lab, "open the course in JupyterLab at the start notebook")
    lab.add_argument("--port", type=port_number, default=8888,
                     help="port on 127.0.0.1 (default 8888)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    lab.add_argument("--token", default=None,
                     help="access token (default: a new random token, printed at start)")
    progress = _command(sub, "progress", _progress, "the learner's progress file")
    psub = progress.add_subparsers(dest="progress_command", required=True)
    export = psub.add_parser("export", help="write a copy of the progress for a facilitator")
    export.add_argument("--out", required=True, type=Path, help="the file to write (.json)")
    where = psub.add_parser("where", help="print where the progress file is")
    name = psub.add_parser("name", help="set the name your facilitator's class report shows "
                                        "for you (saved in your progress file)")
    name.add_argument("name", help="your name as the facilitator should see it (1 to 100 "
                                   "characters)")
    for cmd in (export, where, name):
        cmd.add_argument("--store", default=None,
                         help="progress file or folder (default: $MELT_COURSE_PROGRESS, "
                              "else the user data folder)")
        cmd.add_argument("--learner", default=None,
                         help="learner name (picks progress-<name>.json inside a folder)")
    handouts = _command(sub, "handouts", lambda args: handouts_command(args.out, args.pdf),
                        "write a printable HTML page (and PDF) per routine",
                        out="folder to write into")
    pdf = handouts.add_mutually_exclusive_group()
    pdf.add_argument("--pdf", dest="pdf", action="store_true", default=None,
                     help="also print PDFs (fail if Chromium is missing)")
    pdf.add_argument("--no-pdf", dest="pdf", action="store_false",
                     help="HTML only (default: PDFs too when Chromium is found)")
    _add_app_parser(sub)
    _add_class_report_parser(sub)
    _add_export_html_parser(sub)
    _add_facilitator_parser(sub)
    add_hub_parser(sub)
    return parser


def _progress(args: argparse.Namespace) -> int:
    from melt_course.content.loader import DataError
    from melt_course.records.store import open_store

    try:
        store = open_store(args.store, learner=args.learner)
    except ValueError as exc:
        print(f"melt-course: {exc}", file=sys.stderr)
        return 2
    if args.progress_command == "where":
        print(store.path)
        return 0
    if args.progress_command == "name":
        try:
            store.set_learner_name(args.name)
        except (DataError, ValueError, OSError) as exc:
            print(f"melt-course: could not save the name: {exc}", file=sys.stderr)
            return 1
        print(f"melt-course: your class report name is now {store.learner_name!r} (saved in "
              f"{str(store.path)!r}); export again to hand it in")
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
    from melt_course.teaching.routine_handouts import find_chromium, write_handouts

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


def _add_app_parser(sub: argparse._SubParsersAction) -> None:
    app = _command(
        sub, "app", _run_app, "serve the lessons as an app with Voilà (code hidden, widgets live)",
        description="Serve the lessons with Voilà: code hidden, widgets live. On 127.0.0.1 by "
                    "default; --lan serves to the local network and needs --token.")
    app.add_argument("--port", type=port_number, default=APP_PORT,
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
    urls = app_urls(args.port, token, args.lan)
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
              "  Learners open one of these addresses (it opens the course map), or the address "
              "without '?token=...' and type the token at the login prompt:", flush=True)
    else:
        print("melt-course app: serving the course on this computer only, at:", flush=True)
    for url in urls:
        print(f"  {url}", flush=True)
    if class_dir is not None:
        print(f"  Each browser's progress goes to its own file in {class_dir}\n"
              f"  After class: melt-course class-report {class_dir} --out class-report",
              flush=True)
    open_browser = should_open_browser(args.no_browser, args.lan)
    if not args.no_browser and not open_browser:
        print("  (Not opening a browser: " + ("serving a class" if args.lan else
              "running as root, and browsers refuse to run as root") + "; open the address "
              "above.)", flush=True)
    print("  Press Ctrl+C to stop.", flush=True)
    cmd = app_command(root, args.port, token, args.lan, class_dir)
    return serve(cmd, urls[0], open_browser=open_browser, env={**env, **app_environment()})


def _add_class_report_parser(sub: argparse._SubParsersAction) -> None:
    report = _command(
        sub, "class-report", _run_class_report,
        "merge learners' progress exports into a class summary",
        description="Merge learners' progress exports (melt-course progress export) into a "
                    "class summary: CSV files, a chart (PNG) and summary.md. Files that are "
                    "not valid exports are skipped and listed.",
        out="folder to write the report to")
    report.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="progress exports (.json), or folders of them")


def _run_class_report(args: argparse.Namespace) -> int:
    from melt_course.figures.style import figure_png
    from melt_course.teaching.class_report import (
        build_report,
        read_exports,
        summary_markdown,
        write_csvs,
    )
    from melt_course.teaching.class_report_chart import class_report_figure, describe_class_report
    from melt_course.teaching.class_report_page import report_html

    out = args.out
    if out.exists() and not out.is_dir():
        print(f"melt-course class-report: --out {str(out)!r} is a file; give a folder to write "
              "the report into (it is created if needed)", file=sys.stderr)
        return 2
    exports, skipped = read_exports(args.files)
    for item in skipped:
        print(f"melt-course class-report: skipped {item.source}: {item.reason}",
              file=sys.stderr)
    if not exports:
        print("melt-course class-report: no valid progress export among the "
              f"{len(skipped)} file(s) given; nothing written", file=sys.stderr)
        return 2
    report = build_report(exports, skipped)
    written = write_csvs(report, out)
    fig, _ = class_report_figure(report)
    chart = out / "class_report.png"
    png = figure_png(fig)
    chart.write_bytes(png)
    description = describe_class_report(report)
    (out / "class_report.txt").write_text(description + "\n", encoding="utf-8")
    summary = out / "summary.md"
    summary.write_text(summary_markdown(report, chart=chart.name), encoding="utf-8")
    page = out / "class_report.html"
    page.write_text(report_html(report, png, description), encoding="utf-8")
    files = len(written) + 4
    print(f"melt-course class-report: {len(report.learners)} learner(s), "
          f"{len(report.questions)} question(s), {len(skipped)} file(s) skipped; "
          f"wrote {files} files to {out} (start with {page.name})")
    return 0


def _add_export_html_parser(sub: argparse._SubParsersAction) -> None:
    export = _command(
        sub, "export-html", _run_export_html,
        "export each lesson to a standalone, offline HTML handout",
        description="Run each lesson and export it to one self-contained HTML file, with every "
                    "widget replaced by its static figure and text description.",
        out="folder for the HTML files")
    export.add_argument("--lesson", action="append", dest="lessons", metavar="NN",
                        help="only this lesson (repeat for more; default: every lesson with "
                             "a notebook)")


def _run_export_html(args: argparse.Namespace) -> int:
    from melt_course.teaching.lesson_handouts import export_lessons

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
        if item.answer_key is not None:
            print(f"melt-course export-html: lesson {item.lesson} answer key -> "
                  f"{item.answer_key}")
    print(f"melt-course export-html: index -> {args.out / 'index.html'}")
    return 0


def _add_facilitator_parser(sub: argparse._SubParsersAction) -> None:
    kit = _command(
        sub, "facilitator-kit", _run_facilitator_kit,
        "write the facilitator kit (lesson notes and agendas)",
        description="Write the facilitator kit as Markdown: per lesson goals, timing, what to "
                    "demonstrate, common questions, where learners struggle; workshop agendas "
                    "timed from the lessons and routines.", out="folder to write into")
    kit.add_argument("--slot", action="append", dest="slots", type=whole_number("slot", 1),
                     metavar="MINUTES",
                     help="workshop length to plan for (repeat; default 60 and 90)")


def _run_facilitator_kit(args: argparse.Namespace) -> int:
    from melt_course.teaching.facilitator_kit import DEFAULT_SLOTS, write_kit

    try:
        written = write_kit(args.out, args.slots or DEFAULT_SLOTS)
    except (KeyError, ValueError) as exc:
        print(f"melt-course facilitator-kit: {str(exc).strip(chr(34))}", file=sys.stderr)
        return 2
    print(f"melt-course facilitator-kit: wrote {len(written)} pages to {args.out}")
    return 0


def _run_lab(args: argparse.Namespace) -> int:
    try:
        root = find_course_root()
    except FileNotFoundError as exc:
        print(f"melt-course: {exc}", file=sys.stderr)
        return 2
    token = args.token or secrets.token_hex(24)
    url = f"http://127.0.0.1:{args.port}/lab/tree/{START_NOTEBOOK}?token={token}"
    print(f"melt-course: opening the course at {url}", flush=True)
    cmd = lab_command(root, args.port, token, open_browser=not args.no_browser)
    os.execve(cmd[0], cmd, {**os.environ, **lab_environment()})
    return 0  # pragma: no cover


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``melt-course`` command."""
    args = _build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
