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
import textwrap
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


def references_call(keys: list[str]) -> str:
    """The source of a lesson's ``mc.references(...)`` cell listing ``keys``."""
    args = ", ".join(json.dumps(k) for k in keys)
    width = max(84, len(args) // 3 + 12)           # three lines at most (a short code cell)
    lines = textwrap.wrap(args, width=width, break_on_hyphens=False, break_long_words=False) or [""]
    indent = " " * len("mc.references(")
    return "mc.references(" + f"\n{indent}".join(lines) + ")"


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
    refs = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"
            and re.match(r"\s*mc\.references\(", _source(c))]
    if len(refs) == 1:
        listed = _listed(_source(refs[0]))
        missing = [k for k in _shown_keys(nb) if k not in listed]
        if missing:
            refs[0]["source"] = references_call(listed + missing).splitlines(keepends=True)
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
