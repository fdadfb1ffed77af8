"""Write the lessons' citations in the form a learner reads: ``([Gray 1918a](#ref-gray1918))``.

JupyterLab renders a Markdown cell from its source, so the source itself must hold the readable
form. Authors may write a draft key, ``[@gray1918]``; this script rewrites every citation in
every lesson's Markdown cells from its keys (``bibliography.link_citations``), so it is
idempotent and brings the shown text up to date after a bibliography change.

    PYTHONPATH=$PWD .venv/bin/python scripts/cite_lessons.py          # rewrite in place
    PYTHONPATH=$PWD .venv/bin/python scripts/cite_lessons.py --check  # exit 1 if out of date

It also appends to the lesson's closing ``mc.references(...)`` cell every key the lesson cites
and does not list yet, in its prose or in its stored outputs (a table's sources), so that every
citation link has its target. Run ``scripts/store_notebooks.py --refresh`` afterwards, and this
script once more if a refresh brought new citations into the outputs.
``tests/test_citations.py`` fails on a lesson this script would change.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _shown_keys(nb: dict) -> list[str]:
    """Keys cited in the Markdown cells and in the stored outputs, in order of appearance."""
    from melt_course.content.bibliography import cited_keys

    texts = []
    for cell in nb.get("cells", []):
        texts.append(_source(cell) if cell.get("cell_type") == "markdown" else "")
        for out in cell.get("outputs", []):
            texts += ["".join(out.get("data", {}).get(m, "")) for m in ("text/markdown",)]
    return cited_keys("\n".join(texts))


def references_call(keys: list[str], name: str = "references") -> str:
    """The source of a lesson's ``mc.references(...)`` (or ``mc.glossary``) cell."""
    args = [json.dumps(k) for k in keys]
    width = max(84, len(", ".join(args)) // 3 + 12)   # three lines at most (a short code cell)
    lines = [""]
    for arg in args:                                # break only between arguments
        if lines[-1] and len(lines[-1]) + len(arg) + 2 > width:
            lines[-1] += ","
            lines.append("")
        lines[-1] += (", " if lines[-1] else "") + arg
    indent = " " * len(f"mc.{name}(")
    return f"mc.{name}(" + f"\n{indent}".join(lines) + ")"


#: Markdown cells that are not the lesson's prose: navigation and JupyterLab-only cells.
SKIP_TAGS = ("lesson-nav", "lab-only")


def prose_cells(nb: dict) -> list[dict]:
    """The lesson's prose cells, in order: Markdown cells except navigation, JupyterLab-only
    and raw-HTML cells and the Overview (its objectives are the course map's own words)."""
    return [c for c in nb.get("cells", []) if c.get("cell_type") == "markdown"
            and not set(SKIP_TAGS) & set(c.get("metadata", {}).get("tags", []))
            and not _source(c).lstrip().startswith(("<", "## Overview"))]


def _call_cell(nb: dict, name: str) -> dict | None:
    cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"
             and re.match(rf"\s*mc\.{name}\(", _source(c))]
    return cells[0] if cells else None


def lesson_terms(nb: dict) -> list[str]:
    """Glossary terms the lesson uses: in its prose and in what its cells print (not counting
    its reference list and glossary), by their glossary names in alphabetical order."""
    from melt_course.content.glossary import find_term, terms_used

    texts = [_source(c) for c in prose_cells(nb)]
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and not re.match(
                r"\s*mc\.(references|glossary)\(", _source(cell)):
            texts += ["".join(out.get("data", {}).get(m, "")) for out in cell.get("outputs", [])
                      for m in ("text/markdown", "text/plain", "text/html")]
    return sorted({find_term(k).term for k in terms_used("\n\n".join(texts))}, key=str.lower)


def _glossary_keys(nb: dict) -> list[str]:
    from melt_course.content.glossary import find_term

    cell = _call_cell(nb, "glossary")
    return [k for t in (_listed(_source(cell)) if cell else []) for k in find_term(t).refs]


def _glossary(nb: dict) -> int:
    """Link each term at its first use in the prose, and list the lesson's terms in its
    glossary cell (added before the References when missing). Returns cells changed."""
    from melt_course.content.glossary import link_first_uses

    changed = 0
    cells = prose_cells(nb)
    for cell, new in zip(cells, link_first_uses([_source(c) for c in cells]), strict=True):
        if new != _source(cell):
            cell["source"] = new.splitlines(keepends=True)
            changed += 1
    terms = lesson_terms(nb)
    if not terms:
        return changed
    source = references_call(terms, "glossary")
    cell = _call_cell(nb, "glossary")
    if cell is None:
        at = next(i for i, c in enumerate(nb["cells"]) if c.get("cell_type") == "markdown"
                  and _source(c).lstrip().startswith("## References"))
        nb["cells"][at:at] = [
            {"cell_type": "markdown", "id": "melt-glossary-heading", "metadata": {},
             "source": ["## Glossary\n", "\n",
                        "Terms this lesson uses; each is linked where it first appears."]},
            {"cell_type": "code", "execution_count": None, "id": "melt-glossary",
             "metadata": {}, "outputs": [], "source": source.splitlines(keepends=True)}]
        return changed + 2
    if _source(cell) != source:
        cell["source"] = source.splitlines(keepends=True)
        changed += 1
    return changed


def _listed(source: str) -> list[str]:
    call = ast.parse(source.strip()).body[0].value
    return [arg.value for arg in call.args]


def rewrite(nb: dict) -> int:
    """Rewrite the citations of notebook ``nb`` (nbformat 4 JSON) in place and list what it
    cites in its references cell; return how many cells changed."""
    from melt_course.content.bibliography import link_citations

    changed = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        old = _source(cell)
        new = link_citations(old)
        if new != old:
            cell["source"] = new.splitlines(keepends=True)
            changed += 1
    changed += _glossary(nb)
    refs = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"
            and re.match(r"\s*mc\.references\(", _source(c))]
    if len(refs) == 1:
        listed = _listed(_source(refs[0]))
        keys = list(dict.fromkeys([*listed, *_shown_keys(nb), *_glossary_keys(nb)]))
        if keys != listed:
            refs[0]["source"] = references_call(keys).splitlines(keepends=True)
            changed += 1
    return changed


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` only report) every lesson notebook's citations."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, do not write")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        default=sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")))
    args = parser.parse_args(argv)
    stale = []
    for path in args.notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        if rewrite(nb):
            stale.append(path.name)
            if not args.check:
                path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                encoding="utf-8")
    verb = "would change" if args.check else "changed"
    print(f"{verb}: {', '.join(stale) or 'nothing'}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
