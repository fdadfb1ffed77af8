"""Keep the lesson notebooks stored as source: text outputs only, no widget state, no images.

The lessons' pictures live in the package (``melt_course/data/frames/``) and are drawn when a
lesson runs; a notebook in git keeps only what nbval checks (text outputs) and what a reader of
the file needs. Saved widget state and base64 PNGs would duplicate the package's frames, make
every diff unreadable and conflict on ``git pull`` after a learner's run.

    PYTHONPATH=$PWD .venv/bin/python scripts/store_notebooks.py            # strip in place
    PYTHONPATH=$PWD .venv/bin/python scripts/store_notebooks.py --refresh  # run, then strip
    PYTHONPATH=$PWD .venv/bin/python scripts/store_notebooks.py --check    # exit 1 if not stored

``--refresh`` executes each lesson in a fresh kernel (with an empty, temporary progress store)
and stores its new text outputs: run it after changing what a lesson prints.
``tests/test_notebook_storage.py`` fails when a notebook carries what this script removes.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

#: Output data kept in a stored notebook; everything else (images, widget views, HTML twins of a
#: widget) is dropped. nbval compares text/plain, text/markdown and text/html when present.
KEPT_DATA = ("text/plain", "text/markdown", "text/html")
#: Notebook metadata kept; ``widgets`` (saved widget state) is dropped.
KEPT_METADATA = ("kernelspec", "language_info")
#: Largest stored notebook, in bytes.
MAX_BYTES = 150_000


def strip(nb: dict) -> dict:
    """A copy of notebook ``nb`` (nbformat 4 JSON) stored as source.

    Keeps cells, their source and their text outputs; drops saved widget state, image and
    widget-view outputs, output metadata and cell execution timing.

    Parameters
    ----------
    nb : dict
        A notebook as read with :func:`json.load`.

    Returns
    -------
    dict
        The stripped notebook (``nb`` is not changed).
    """
    out = copy.deepcopy(nb)
    out["metadata"] = {k: v for k, v in out.get("metadata", {}).items() if k in KEPT_METADATA}
    for cell in out.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        if cell.get("cell_type") != "code":
            cell.pop("attachments", None)
            continue
        outputs = []
        for output in cell.get("outputs", []):
            if "data" in output:
                data = {k: v for k, v in output["data"].items() if k in KEPT_DATA}
                if not data:
                    continue
                output["data"] = data
                output["metadata"] = {}
            outputs.append(output)
        cell["outputs"] = outputs
    return out


def problems(path: Path) -> list[str]:
    """What keeps the notebook at ``path`` from being stored as source (empty when it is).

    Parameters
    ----------
    path : Path
        A ``.ipynb`` file.

    Returns
    -------
    list of str
        One line per problem, naming the notebook.
    """
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    found = []
    if len(text.encode("utf-8")) > MAX_BYTES:
        found.append(f"{path.name}: {len(text.encode('utf-8')):,} bytes, more than {MAX_BYTES:,}")
    if "widgets" in nb.get("metadata", {}):
        found.append(f"{path.name}: saved widget state in its metadata")
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []):
            extra = sorted(set(output.get("data", {})) - set(KEPT_DATA))
            if extra:
                found.append(f"{path.name} cell {index}: stored output {', '.join(extra)}")
    return found


def _write(path: Path, nb: dict) -> None:
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _refresh(path: Path) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        env_before = os.environ.get("MELT_COURSE_PROGRESS")
        os.environ["MELT_COURSE_PROGRESS"] = str(Path(tmp) / "progress.json")
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        finally:
            if env_before is None:
                os.environ.pop("MELT_COURSE_PROGRESS", None)
            else:
                os.environ["MELT_COURSE_PROGRESS"] = env_before
    return json.loads(nbformat.writes(nb))


def main(argv: list[str] | None = None) -> int:
    """Strip (default), refresh or check the lesson notebooks; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to process (default: every notebooks/NN_*.ipynb)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--refresh", action="store_true", help="run each notebook first")
    mode.add_argument("--check", action="store_true", help="only report; exit 1 on a problem")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.check:
        found = [line for path in paths for line in problems(path)]
        print("\n".join(found) or "every notebook is stored as source")
        return 1 if found else 0
    for path in paths:
        nb = _refresh(path) if args.refresh else json.loads(path.read_text(encoding="utf-8"))
        _write(path, strip(nb))
        print(f"{path.name}: {path.stat().st_size:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
