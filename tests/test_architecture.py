"""The package's layers import only downward, and importing it does nothing heavy."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "melt_course"

# The package's folders are its layers, bottom first. A module may import from its own folder and
# from the folders listed for it; nothing imports upward.
LAYERS = {
    "content": set(),
    "models": {"content"},
    "records": {"content", "models"},
    "figures": {"content", "models", "records"},
    "widgets": {"content", "models", "records", "figures"},
    "teaching": {"content", "models", "records", "figures"},
    "top": {"content", "models", "records", "figures", "widgets", "teaching", "cli"},
}
#: Modules at the top of the package (the facade and the entry point); ``cli/`` is the top too.
TOP_FILES = {"__init__.py", "__main__.py", "notebook.py"}

# Outside libraries a layer may not import.
FORBIDDEN_EXTERNAL = {
    "content": {"matplotlib", "ipywidgets", "IPython"},
    "models": {"matplotlib", "ipywidgets", "IPython"},
    "records": {"matplotlib", "ipywidgets", "IPython"},
    "figures": {"ipywidgets", "IPython", "matplotlib.pyplot"},
    "widgets": {"matplotlib.pyplot"},
    "teaching": {"ipywidgets", "matplotlib.pyplot"},
    "top": {"matplotlib.pyplot"},
}


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    if len(rel.parts) == 1 or rel.parts[0] == "cli":
        return "top"
    return rel.parts[0]


def _imports(path: Path) -> set[str]:
    """Absolute module names imported by a file (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg_parts = ["melt_course", *path.relative_to(PACKAGE).parent.parts]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg_parts[: len(pkg_parts) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _violations(path: Path) -> list[str]:
    layer = _layer(path)
    allowed = LAYERS[layer] | ({layer} if layer != "top" else set())
    bad = []
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "melt_course":
            if (len(parts) > 1 and parts[1] in LAYERS and parts[1] not in allowed) or (len(parts) > 1 and parts[1] == "notebook" and layer != "top"):
                bad.append(name)
        elif any(name == b or name.startswith(b + ".") for b in FORBIDDEN_EXTERNAL[layer]):
            bad.append(name)
    return sorted(bad)


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_lower_layers(path):
    assert _violations(path) == [], f"{path.name} ({_layer(path)} layer) imports upward"


def test_every_module_sits_in_a_layer_folder():
    stray = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in TOP_FILES)
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert stray == [], f"modules at the top of the package, outside a layer folder: {stray}"
    assert folders == (set(LAYERS) - {"top"}) | {"cli"}, sorted(folders)


def test_checker_catches_an_upward_import(tmp_path, monkeypatch):
    fake = PACKAGE / "figures" / "_probe_for_test.py"
    source = "from ..widgets.base import CourseWidget\nimport matplotlib.pyplot as plt\n"
    try:
        fake.write_text(source, encoding="utf-8")
        assert _violations(fake) == ["matplotlib.pyplot", "melt_course.widgets.base",
                                     "melt_course.widgets.base.CourseWidget"]
    finally:
        fake.unlink()


def test_checker_catches_an_import_from_a_higher_folder():
    fake = PACKAGE / "content" / "_probe_for_test.py"
    source = ("from melt_course.models import biomech\n"
              "from ..records.store import open_store\nfrom .loader import load_json\n")
    try:
        fake.write_text(source, encoding="utf-8")
        assert _violations(fake) == ["melt_course.models", "melt_course.models.biomech",
                                     "melt_course.records.store",
                                     "melt_course.records.store.open_store"]
    finally:
        fake.unlink()


def _run_python(code: str) -> None:
    """Run ``code`` in a fresh interpreter (nothing imported yet); fail with its stderr."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_import_is_light_and_changes_no_global_state():
    code = (
        "import sys, matplotlib\n"
        "snap = lambda: {k: dict.__getitem__(matplotlib.rcParams, k) for k in matplotlib.rcParams}\n"
        "before = snap()\n"
        "import melt_course, melt_course.content.bibliography, melt_course.content.course, melt_course.content.glossary\n"
        "heavy = [m for m in ('ipywidgets', 'matplotlib.pyplot', 'IPython', 'jupyterlab')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "import melt_course.notebook\n"
        "assert snap() == before, 'rcParams changed on import'\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    _run_python(code)


def test_the_start_notebook_opens_without_numpy_or_matplotlib():
    # Its one diagram opens on a stored frame: numpy and matplotlib (about 0.1 and 0.5 s to
    # import) wait for the first move of the slider.
    code = (
        "import sys\n"
        "from melt_course import notebook as mc\n"
        "demo = mc.hip_demo()\n"
        "loaded = [m for m in ('numpy', 'matplotlib') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "demo.slider.value = 30\n"
        "assert 'matplotlib' in sys.modules and demo.picture.background_draws == 1\n"
    )
    _run_python(code)
