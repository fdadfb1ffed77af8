"""The hub's ``class-report`` service: the facilitator's one click from progress to class report.

JupyterHub starts this file as a managed service (deploy/jupyterhub_config.py) with the hub's
own interpreter. It serves one page, ``/services/class-report/``, listed in the hub's
**Services** menu. Only admins (the facilitator) may open it; anyone else gets 403. Opening it
collects every learner's progress file from their home folder, writes the class report
(``melt-course class-report``) into a new dated folder under ``$MELT_HUB_REPORTS`` and shows it:
who was collected, who has no progress yet, files that could not be read, the chart, the
summary, and links to every file (CSV tables for a spreadsheet). Reloading collects again.

The learners' files are only read, never changed: each is checked (``load_export``), copied and
named after the learner's hub name when the learner has not given a name.

Environment (set by the hub's configuration): ``MELT_HUB_HOMES`` (folder of homes, one per hub
user), ``MELT_HUB_HOME_PROGRESS`` (the progress file's name inside a home), ``MELT_HUB_REPORTS``
(where reports go), and JupyterHub's ``JUPYTERHUB_*`` service variables.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

#: Hub names this service will look up as folders (the hub's own pattern is stricter).
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass
class Collection:
    """What one collection found and wrote.

    Attributes
    ----------
    folder : pathlib.Path
        The dated folder: ``progress/`` (the copies) and ``report/`` (the class report).
    collected : list of str
        Learners whose progress was copied.
    without_progress : list of str
        Learners with no progress file yet.
    unreadable : list of (str, str)
        Learner and reason, for files that are not valid progress files.
    report_output : str
        What ``melt-course class-report`` printed.
    report_ok : bool
        Whether the class report was written.
    """

    folder: Path
    collected: list[str] = field(default_factory=list)
    without_progress: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    report_output: str = ""
    report_ok: bool = False


def collect(learners: list[str], homes: Path, progress_name: str, reports: Path,
            now: datetime | None = None) -> Collection:
    """Copy each learner's progress file and write the class report from the copies.

    Parameters
    ----------
    learners : list of str
        Hub names of the learners (not the facilitator).
    homes : pathlib.Path
        Folder holding one home folder per learner, named by hub name.
    progress_name : str
        The progress file's path inside a home (e.g. ``progress.json``).
    reports : pathlib.Path
        Folder for the reports; each collection makes a new dated folder in it.
    now : datetime, optional
        The time that names the folder (default: now, UTC).

    Returns
    -------
    Collection
    """
    from melt_course.cli.main import main as melt_course
    from melt_course.content.loader import DataError
    from melt_course.records.store import load_export

    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S%fZ")
    result = Collection(folder=reports / stamp)
    copies = result.folder / "progress"
    copies.mkdir(parents=True, exist_ok=True)
    homes = homes.resolve()
    for name in sorted(learners):
        if not _SAFE_NAME.match(name):
            result.unreadable.append((name[:80], "the name cannot name a home folder"))
            continue
        path = (homes / name / progress_name).resolve()
        if homes not in path.parents:
            result.unreadable.append((name, "the progress file is outside the homes folder"))
            continue
        if not path.is_file():
            result.without_progress.append(name)
            continue
        try:
            doc = load_export(path)
        except DataError as exc:
            result.unreadable.append((name, str(exc)[:300]))
            continue
        if not doc["learner"].get("name"):
            doc["learner"]["name"] = name
        doc["exported_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        (copies / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1),
                                             encoding="utf-8")
        result.collected.append(name)
    if result.collected:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = melt_course(["class-report", str(copies), "--out",
                                str(result.folder / "report")])
        result.report_output = out.getvalue()
        result.report_ok = code == 0
    else:
        result.report_output = "No learner has any progress yet: nothing to report."
    return result


def render_page(result: Collection, base: str) -> str:
    """The facilitator's page for one collection (HTML)."""
    esc = html.escape
    report = result.folder / "report"
    rel = f"{base}files/{result.folder.name}/"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Class report</title><meta name='viewport' content='width=device-width'>",
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;"
        "padding:0 1rem}img{max-width:100%}pre{white-space:pre-wrap;background:#f4f4f4;"
        "padding:1rem}</style></head><body>",
        "<h1>Class report</h1>",
        f"<p>Collected {esc(result.folder.name)} (UTC). "
        f"<a href='{esc(base)}'>Collect again</a> · <a href='/hub/home'>Hub home</a></p>",
        f"<h2>Learners collected ({len(result.collected)})</h2>",
        "<ul id='collected'>" + "".join(f"<li>{esc(n)}</li>" for n in result.collected)
        + "</ul>",
    ]
    if result.without_progress:
        parts.append("<h2>No progress yet</h2><ul id='without-progress'>" + "".join(
            f"<li>{esc(n)}</li>" for n in result.without_progress) + "</ul>")
    if result.unreadable:
        parts.append("<h2>Could not be read (the files were left as they are)</h2>"
                     "<ul id='unreadable'>" + "".join(
                         f"<li>{esc(n)}: {esc(why)}</li>" for n, why in result.unreadable)
                     + "</ul>")
    if result.report_ok:
        chart_text = (report / "class_report.txt").read_text(encoding="utf-8").strip()
        summary = (report / "summary.md").read_text(encoding="utf-8")
        files = sorted(p.relative_to(result.folder) for p in result.folder.rglob("*")
                       if p.is_file())
        parts += [
            "<h2>Chart</h2>",
            f"<img src='{esc(rel)}report/class_report.png' alt='{esc(chart_text)}'>",
            "<h2>Summary</h2>", f"<pre id='summary'>{esc(summary)}</pre>",
            "<h2>Files</h2><ul>" + "".join(
                f"<li><a href='{esc(rel + p.as_posix())}'>{esc(p.as_posix())}</a></li>"
                for p in files) + "</ul>",
            f"<p>On the hub's machine: <code>{esc(str(result.folder))}</code></p>",
        ]
    else:
        parts.append(f"<pre id='report-output'>{esc(result.report_output)}</pre>")
    parts.append("</body></html>")
    return "".join(parts)


def _make_app():  # pragma: no cover - exercised by tests/test_hub.py against a real hub
    from urllib.parse import urlparse

    from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
    from jupyterhub.utils import url_path_join
    from tornado import web
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.ioloop import IOLoop

    homes = Path(os.environ["MELT_HUB_HOMES"])
    progress_name = os.environ.get("MELT_HUB_HOME_PROGRESS", "progress.json")
    reports = Path(os.environ["MELT_HUB_REPORTS"])
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    api_url = os.environ["JUPYTERHUB_API_URL"]
    api_token = os.environ["JUPYTERHUB_API_TOKEN"]

    async def hub_users() -> list[dict]:
        response = await AsyncHTTPClient().fetch(HTTPRequest(
            url_path_join(api_url, "users"),
            headers={"Authorization": f"token {api_token}"}))
        return json.loads(response.body)

    class FacilitatorOnly(HubOAuthenticated, web.RequestHandler):
        async def prepare(self):
            user = self.get_current_user()
            if user is None:
                return  # @web.authenticated redirects to the hub's login
            users = {u["name"]: u for u in await hub_users()}
            if not users.get(user["name"], {}).get("admin"):
                raise web.HTTPError(403, "only the facilitator may open the class report")

    class ReportPage(FacilitatorOnly):
        @web.authenticated
        async def get(self):
            users = await hub_users()
            learners = [u["name"] for u in users if not u.get("admin")]
            result = await IOLoop.current().run_in_executor(
                None, collect, learners, homes, progress_name, reports)
            self.set_header("Cache-Control", "no-store")
            self.finish(render_page(result, prefix))

    class ReportFile(FacilitatorOnly):
        @web.authenticated
        def get(self, rel: str):
            path = (reports / rel).resolve()
            if reports.resolve() not in path.parents or not path.is_file():
                raise web.HTTPError(404)
            kinds = {".png": "image/png", ".csv": "text/csv; charset=utf-8",
                     ".json": "application/json", ".md": "text/markdown; charset=utf-8",
                     ".txt": "text/plain; charset=utf-8"}
            self.set_header("Content-Type", kinds.get(path.suffix, "application/octet-stream"))
            self.finish(path.read_bytes())

    app = web.Application([
        (prefix, ReportPage),
        (prefix.rstrip("/"), ReportPage),
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        (url_path_join(prefix, "files/(.+)"), ReportFile),
    ], cookie_secret=os.urandom(32))
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    return app, url.hostname, url.port


def main() -> None:  # pragma: no cover - run by the hub
    """Serve the page until the hub stops the service."""
    import asyncio

    async def serve():
        app, host, port = _make_app()
        app.listen(port, host)
        print(f"class-report service listening on {host}:{port}", file=sys.stderr, flush=True)
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):  # the hub stopping: no traceback
        asyncio.run(serve())


if __name__ == "__main__":
    main()
