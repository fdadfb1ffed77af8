"""docs/architecture.md matches the repository: every path it names exists, and every folder
of the package (and every top-level folder a newcomer works in) is in its table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"

#: A backticked word that names a file or folder (it has a slash; a bare file name such as
#: JupyterLab's ``custom.css`` is a name, not a path of this repository).
_PATH = re.compile(r"`([A-Za-z0-9_.\-/<>]+)`")
#: Folders at the top of the repository that the table must name.
TOP_FOLDERS = ("notebooks", "scripts", "benchmarks", "tests", "docs")


def named_paths(text: str) -> list[str]:
    """The paths a page names: backticked words with a slash, without placeholders
    (``<name>``, ``NN``) or wildcards."""
    out = []
    for word in _PATH.findall(text):
        word = word.rstrip(".,")
        if "/" not in word:
            continue
        if any(mark in word for mark in ("<", ">", "*", "NN")) or word.startswith("-"):
            continue
        out.append(word)
    return out


def generated_folders() -> set[str]:
    """Top-level folders that tools make and git ignores (``/test-artifacts/`` in .gitignore):
    a fresh clone does not have them until a test or a command writes them."""
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    return {line.strip("/") for line in lines
            if line.startswith("/") and line.endswith("/") and line.count("/") == 2}


def missing_paths(text: str) -> list[str]:
    """Named paths found neither from the repository root nor inside ``melt_course/`` (and not
    in a generated folder that git ignores)."""
    generated = generated_folders()
    return [path for path in named_paths(text)
            if not (ROOT / path).exists() and not (ROOT / "melt_course" / path).exists()
            and path.split("/", 1)[0] not in generated]


def test_every_path_the_page_names_exists():
    text = DOC.read_text(encoding="utf-8")
    assert len(named_paths(text)) >= 40, named_paths(text)
    assert missing_paths(text) == []


def test_a_path_that_does_not_exist_is_caught():
    planted = "Put it in `melt_course/widgets/live.py` and run `scripts/make_assets.py`."
    assert missing_paths(planted) == ["melt_course/widgets/live.py", "scripts/make_assets.py"]
    assert missing_paths("see `melt_course/widgets/<name>.py` or `notebooks/NN_slug.ipynb`") == []
    # A folder the tests make (ignored by git) need not exist in a fresh clone; a made-up
    # top-level folder must.
    assert "test-artifacts" in generated_folders()
    assert missing_paths("screenshots in `test-artifacts/` and `made-up-folder/x.png`") == [
        "made-up-folder/x.png"]


def test_every_package_folder_and_working_folder_is_in_the_table():
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("## Where does X go"):text.index("## Conventions")]
    folders = sorted(p.name for p in (ROOT / "melt_course").iterdir()
                     if p.is_dir() and (p / "__init__.py").exists())
    assert len(folders) >= 7, folders
    wanted = [f"melt_course/{name}/" for name in folders]
    wanted += ["melt_course/data/", "melt_course/data/schemas/", "scripts/", "benchmarks/",
               "tests/"]
    absent = [name for name in wanted if f"`{name}`" not in table]
    absent += [f"{name}/" for name in TOP_FOLDERS if f"`{name}/" not in text]
    assert absent == [], f"docs/architecture.md does not say what goes in {absent}"
