"""Printable handouts: one self-contained HTML page per routine, made from the routine data.

Each page carries the routine's purpose with its evidence label, how it ties to the lessons,
equipment, starting position, the routine's safety notes and the course's safety checklist, what
the sources do not give, every step with its provenance and references, the timer's
conventions, and the full references. :func:`write_handouts` writes the pages and an index, and
prints each page to PDF with headless Chromium when it is installed.

Pure Python (string building); no widgets, no plotting.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html import escape
from pathlib import Path

from melt_course.content.bibliography import cite_html, format_reference
from melt_course.content.bibliography import get as get_reference
from melt_course.content.routines import (
    Routine,
    Step,
    format_duration,
    library,
    timing_conventions,
)
from melt_course.content.safety import load_safety_screen
from melt_course.figures.palette import OKABE_ITO, ROLE

#: What a card promises on paper, said on every card, the index and in the docs.
PRINT_PROMISE = "one A4 sheet printed on both sides (at most two pages)"

__all__ = ["PRINT_PROMISE", "find_chromium", "handout_filename", "html_to_pdf", "render_handout",
           "render_index", "write_handouts"]

_PROVENANCE = {
    "documented": ("MELT step, documented", OKABE_ITO["bluish_green"]),
    "partly documented": ("MELT step, partly documented: see the note", OKABE_ITO["yellow"]),
    "not documented": ("MELT step, not documented: follow the official video",
                       OKABE_ITO["orange"]),
    "course": ("The course's own addition (not MELT)", OKABE_ITO["sky_blue"]),
}

#: How the handout introduces each kind of warning statement (one line each).
_FLAG_HEADS = {"see a clinician": "See a clinician now, not a routine, for",
               "ask first": "Ask a clinician first if you have",
               "adapt": "Change how you do it for"}

_CSS = """
@page { size: A4; margin: 10mm 11mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.5pt; color: TEXT;
       line-height: 1.2; max-width: 60em; margin: 1em auto; padding: 0 1em; }
@media print { body { margin: 0; padding: 0; max-width: none; } }
h1 { font-size: 16pt; margin: 0.1em 0; } h2 { font-size: 11pt; margin: 0.7em 0 0.25em;
  border-bottom: 2px solid HIGHLIGHT; break-after: avoid; page-break-after: avoid; }
p, ul { margin: 0.25em 0; } li { margin: 0.1em 0; }
.kicker { color: #333; font-size: 8.5pt; text-transform: uppercase; letter-spacing: 0.05em; }
.label { font-style: italic; }
.box { border: 2px solid ORANGE; padding: 0.3em 0.7em; margin: 0.4em 0;
       break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; line-height: 1.15; }
th, td { border: 1px solid #999; padding: 2px 4px; vertical-align: top; text-align: left; }
th { background: #eee; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.what { width: 72%; }
.prov { display: inline-block; font-size: 7.5pt; color: #333; border-left: 4px solid;
        padding-left: 3px; margin-top: 1px; }
.refs { font-size: 7pt; line-height: 1.15; columns: 2; column-gap: 1.5em; padding-left: 1.2em; }
.refs li { margin-bottom: 0.15em; break-inside: avoid; }
td small { font-size: 7.5pt; line-height: 1.2; }
.checklist { columns: 2; column-gap: 1.5em; padding-left: 0.5em; }
.checklist li { list-style: none; break-inside: avoid; }
.checklist li::before { content: "\\2610  "; }
a { color: HIGHLIGHT; }
footer { margin-top: 1em; font-size: 8pt; color: #333; border-top: 1px solid #999; }
@media screen { body { font-size: 11pt; } }
""".replace("TEXT", ROLE["text"]).replace("HIGHLIGHT", ROLE["highlight"]).replace(
    "ORANGE", OKABE_ITO["orange"])


def handout_filename(routine: Routine) -> str:
    """The handout's file name, e.g. ``"rebalance.html"``."""
    return f"{routine.id}.html"


def _cite(keys) -> str:
    return cite_html(keys)


def _label(label: str) -> str:
    return f'<span class="label">({escape(label)})</span>'


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>{body}"
            "</body></html>\n")


def _step_row(i: int, step: Step) -> str:
    """One row of a card's step table: the cue, then its source in small print."""
    text, colour = _PROVENANCE[step.provenance]
    if step.placement != "documented" and step.provenance != "course":
        text += "; placed here by the course"
    notes = [step.note] if step.note else []
    note_html = "".join(f" <small>Note: {escape(n)}</small>" for n in notes)
    estimate = "" if step.dose.source == "documented" else " <small>(estimate)</small>"
    return (f'<tr id="step-{i}"><td>{i}</td><td><b>{escape(step.name)}</b>{_side(step)}</td>'
            f"<td>{escape(step.dose.describe())}{estimate}</td>"
            f'<td class="what">{escape(step.instruction)}{note_html}'
            f'<span class="prov" style="border-left-color:{colour}">{escape(text)} '
            f"{_cite(step.refs)}</span></td></tr>")


def _side(step: Step) -> str:
    """The side a step is done on, as a line under its name (nothing for both sides)."""
    return "" if step.side == "both" else f"<br>{escape(step.side)} side"


def _repeat_row(run: list[tuple[int, Step, int]]) -> str:
    """One row for a run of steps done again (the other side, or a second time): each step
    keeps its number, name and time, and says which earlier step it repeats."""
    first, last = run[0][0], run[-1][0]
    number = f"{first}" if first == last else f"{first}–{last}"
    side = run[0][1].side
    where = f", on the {escape(side)} side" if side in ("left", "right") else ""
    items = " ".join(f'<span id="step-{i}">{i}. <b>{escape(step.name)}</b>, '
                     f"{escape(step.dose.describe())}. As step {earlier}.</span>"
                     for i, step, earlier in run)
    return (f'<tr class="again"><td>{number}</td><td colspan="3">The same cues again'
            f"{where}: {items}</td></tr>")


def render_handout(routine: Routine) -> str:
    """The handout for one routine, as a complete HTML page.

    Parameters
    ----------
    routine : Routine
        A routine from :func:`melt_course.content.routines.load`.
    """
    screen = load_safety_screen()
    steps = routine.steps()
    out = ['<p class="kicker">MELT routine handout · The psoas and NeuroCore course</p>',
           f"<h1>{escape(routine.name)}</h1>",
           f"<p>{escape(routine.summary)} <b>About {format_duration(routine.total_seconds())}"
           f"</b> by the course's timer ({len(steps)} step{'s' if len(steps) != 1 else ''})."
           "</p>",
           "<h2>What MELT says it does</h2>",
           f"<p>{escape(routine.purpose.text)} {_label(routine.purpose.label)} "
           f"{_cite(routine.purpose.refs)}</p>",
           "<p>This is what MELT teaches, not a tested finding.</p>"]
    if routine.about_minutes:
        out.append(f"<p>Length given by the source: about {routine.about_minutes:g} minutes "
                   f"{_cite(routine.about_minutes_refs)}.</p>")
    if routine.ties:
        out.append("<h2>How it ties to the course</h2><ul>")
        out += [f"<li><b>Lesson {int(t.lesson)}:</b> {escape(t.text)} {_label(t.label)} "
                f"{_cite(t.refs)}</li>" for t in routine.ties]
        out.append("</ul>")
    out += ["<h2>Equipment and starting position</h2><ul>",
            *[f"<li>{escape(item)}</li>" for item in routine.equipment],
            f"</ul><p><b>Starting position:</b> {escape(routine.starting_position)}</p>"]
    if routine.alternative:
        alt = routine.alternative
        out.append(f"<p><b>If getting down to the floor is hard ({escape(alt.position)} "
                   f"version):</b> {escape(alt.text)}</p>")
    out += ['<h2>Read this first: safety</h2><div class="box"><ul>',
            *[f"<li>{escape(note)}</li>" for note in routine.safety],
            "</ul>",
            f"<p><b>{escape(screen.title)}</b> — {escape(screen.intro)}</p>",
            '<ul class="checklist">',
            *[f"<li>{escape(item.text)}</li>" for item in screen.confirms],
            "</ul>",
            *[f"<p><b>{escape(head)}:</b> "
              + "; ".join(escape(i.short or i.text) for i in screen.flags if i.kind == kind)
              + ".</p>" for kind, head in _FLAG_HEADS.items()],
            f"<p>{escape(screen.stop_if)}</p><p><b>When to stop and get help:</b> "
            + " ".join(escape(rule) for rule in screen.stop_rules) + "</p></div>"]
    if routine.notes:
        out += ["<h2>Notes</h2><ul>", *[f"<li>{escape(n)}</li>" for n in routine.notes],
                "</ul>"]
    if routine.gaps:
        out.append(f"<h2>What the sources do not give</h2><p>{escape(routine.gaps)}</p>")
    parts = routine.includes()
    if parts and all(part.standalone for part in parts):
        # a routine composed of other routines: an overview; each part has its own card
        out += ["<h2>Its parts, in order</h2>",
                "<p>Each part has its own card with every step (follow the links); this page "
                "is the overview.</p>",
                "<table><thead><tr><th>#</th><th>Part</th><th>Time</th><th>Steps</th>"
                "</tr></thead><tbody>"]
        for i, part in enumerate(parts, 1):
            count = len(part.steps())
            link = f'<a href="{handout_filename(part)}">{escape(part.name)}</a>'
            out.append(f'<tr id="part-{i}"><td>{i}</td><td><b>{link}</b><br>'
                       f"<small>{escape(part.summary)}</small></td>"
                       f"<td>{format_duration(part.total_seconds())}</td>"
                       f"<td>{count} step{'s' if count != 1 else ''}</td></tr>")
        own = [e for e in routine.entries if isinstance(e, Step)]
        if own:
            out.append("</tbody></table><h2>Its own steps</h2><table><tbody>")
            for i, step in enumerate(own, 1):
                out.append(_step_row(i, step))
    else:
        out += ["<h2>Steps</h2>",
                "<table><thead><tr><th>#</th><th>Step (side)</th><th>Time</th>"
                "<th>What to do</th></tr></thead><tbody>"]
        seen: dict[tuple, int] = {}
        placement_notes: list[str] = []
        repeats: list[tuple[int, Step, int]] = []  # a run of steps done again, printed as one row
        for i, step in enumerate(steps, 1):
            key = (step.name, step.instruction, step.note, step.provenance)
            if key in seen:  # the same step again (the other side): print it once
                if repeats and (repeats[-1][0] != i - 1 or repeats[-1][1].side != step.side):
                    out.append(_repeat_row(repeats))
                    repeats = []
                repeats.append((i, step, seen[key]))
                continue
            if repeats:
                out.append(_repeat_row(repeats))
                repeats = []
            seen[key] = i
            placement_notes += [n for n in step.placement_notes if n not in placement_notes]
            out.append(_step_row(i, step))
        if repeats:
            out.append(_repeat_row(repeats))
        if placement_notes:
            out.append("</tbody></table><p><small>Order: "
                       + " ".join(escape(n) for n in placement_notes) + "</small></p><table>"
                       "<tbody>")
    out += ["</tbody></table>",
            f"<p><b>Timing.</b> {escape(timing_conventions())}</p>",
            "<p><b>Sources of each step.</b> <i>Documented</i>: a cited source describes it. "
            "<i>Not documented</i>: MELT has the step but no source the course found describes "
            "it; only its name and purpose are given — follow the official MELT On Demand "
            "video. <i>Course's own</i>: an addition of the course, not part of MELT.</p>",
            '<h2>References</h2><ol class="refs">']
    for key in dict.fromkeys([*routine.all_refs(), *screen.refs]):
        out.append(f'<li id="ref-{escape(key)}">'
                   f"{format_reference(get_reference(key), html=True, brief=True)}</li>")
    out += ["</ol>",
            f"<footer>{escape(screen.footer)} Made from the course's routine data, to print on "
            f"{PRINT_PROMISE}; "
            f'see the other handouts in the <a href="index.html">index</a>.</footer>']
    return _page(f"{routine.name} — MELT routine handout", "\n".join(out))


def render_index(routines: list[Routine]) -> str:
    """An index page linking every handout."""
    items = "".join(f'<li><a href="{handout_filename(r)}">{escape(r.name)}</a> — about '
                    f"{format_duration(r.total_seconds())}: {escape(r.summary)}</li>"
                    for r in routines)
    body = (f'<p class="kicker">The psoas and NeuroCore course</p><h1>MELT routine handouts</h1>'
            f"<p>One card per routine, for printing on {PRINT_PROMISE}; a composed routine "
            f"prints as an overview whose parts have cards of their own. Each card "
            f"says which steps are documented "
            f"by a source, which are not, and which are the course's own.</p><ul>{items}</ul>"
            f"<footer>{escape(load_safety_screen().footer)}</footer>")
    return _page("MELT routine handouts", body)


def find_chromium() -> str | None:
    """Path of a Chromium to print PDFs with: ``$MELT_CHROMIUM``, else ``chromium`` on the
    PATH, else ``/usr/bin/chromium``; None when there is none."""
    for candidate in (os.environ.get("MELT_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def html_to_pdf(html_path: Path, pdf_path: Path, chromium: str, timeout: float = 120.0) -> None:
    """Print an HTML file to PDF with headless Chromium.

    Raises
    ------
    RuntimeError
        When Chromium fails or writes no PDF (its output is included).
    """
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--no-pdf-header-footer",
           f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"Chromium did not finish printing {str(html_path)!r} within "
                           f"{timeout:g} s") from None
    if result.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise RuntimeError(f"Chromium could not print {str(html_path)!r} to PDF (exit "
                           f"{result.returncode}): {result.stderr.strip()[-800:]}")


def write_handouts(out: Path | str, pdf: bool | None = None) -> list[Path]:
    """Write one HTML handout per standalone routine, an ``index.html``, and PDFs.

    Parameters
    ----------
    out : path
        Folder to write into (created if missing).
    pdf : bool, optional
        True: print PDFs (fails without Chromium); False: HTML only; None (default): print
        PDFs when Chromium is found.

    Returns
    -------
    list of Path
        Every file written, HTML first, then PDFs.

    Raises
    ------
    FileNotFoundError
        When ``pdf=True`` and no Chromium is found.
    RuntimeError
        When Chromium fails to print a page.
    """
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"out={str(folder)!r} exists and is not a folder")
    chromium = find_chromium() if pdf is not False else None
    if pdf is True and chromium is None:
        raise FileNotFoundError("no Chromium found to print PDFs (set MELT_CHROMIUM, or "
                                "install Debian's 'chromium'); use pdf=False for HTML only")
    folder.mkdir(parents=True, exist_ok=True)
    routines = [r for r in library().values() if r.standalone]
    written = []
    for routine in routines:
        path = folder / handout_filename(routine)
        path.write_text(render_handout(routine), encoding="utf-8")
        written.append(path)
    index = folder / "index.html"
    index.write_text(render_index(routines), encoding="utf-8")
    written.append(index)
    if chromium:
        for path in written[:-1]:
            target = path.with_suffix(".pdf")
            html_to_pdf(path, target, chromium)
            written.append(target)
    return written
