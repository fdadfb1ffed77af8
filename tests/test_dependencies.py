"""Every outside package the code imports is declared, and the code runs on the oldest Python
the project claims (``requires-python``)."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: Import name -> distribution name, where they differ.
DISTRIBUTION = {"PIL": "pillow", "yaml": "pyyaml", "IPython": "ipython",
                "websocket": "websocket-client", "jupyterlab": "jupyterlab",
                "opensim": "opensim"}
#: Imported by dependencies' own packages, always present with them (not declared separately).
BUNDLED = {"matplotlib": set(), "traitlets": {"ipywidgets"}, "jupyter_client": {"nbclient"},
           "jupyter_server": {"jupyterlab"}, "_pytest": {"pytest"}}


def _names(specs) -> set[str]:
    return {re.match(r"[A-Za-z0-9_.\-]+", s).group(0).lower().replace("_", "-") for s in specs}


RUNTIME = _names(PYPROJECT["project"]["dependencies"])
EXTRAS = {extra: _names(specs)
          for extra, specs in PYPROJECT["project"].get("optional-dependencies", {}).items()}


def _top_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _undeclared(files, allowed: set[str]) -> list[str]:
    local = {p.stem for p in (ROOT / "tests").glob("*.py")} | {
        p.stem for p in (ROOT / "benchmarks").glob("*.py")} | {"melt_course", "conftest"}
    stdlib = set(sys.stdlib_module_names)
    missing = set()
    for path in files:
        for name in _top_imports(path):
            if name in stdlib or name in local or name in BUNDLED:
                continue
            dist = DISTRIBUTION.get(name, name).lower().replace("_", "-")
            if dist not in allowed:
                missing.add(f"{path.relative_to(ROOT)} imports {name} ({dist} is not declared)")
    return sorted(missing)


def test_the_package_imports_only_declared_runtime_dependencies():
    files = sorted((ROOT / "melt_course").rglob("*.py"))
    assert _undeclared(files, RUNTIME) == []


def test_tests_scripts_and_benchmarks_import_only_declared_packages():
    files = [*sorted((ROOT / "tests").glob("*.py")), *sorted((ROOT / "scripts").glob("*.py")),
             *sorted((ROOT / "benchmarks").glob("*.py"))]
    allowed = RUNTIME | set().union(*EXTRAS.values())
    assert _undeclared(files, allowed) == []


def test_an_undeclared_import_is_caught(tmp_path):
    probe = ROOT / "melt_course" / "content" / "_probe_undeclared.py"
    try:
        probe.write_text("import requests\nimport json\nfrom numpy import pi\n", encoding="utf-8")
        assert _undeclared([probe], RUNTIME) == [
            "melt_course/content/_probe_undeclared.py imports requests "
            "(requests is not declared)"]
    finally:
        probe.unlink()


# Names of the standard library that are newer than Python 3.10.
_NEWER_STDLIB = {"tomllib": "3.11", "wsgiref.types": "3.11"}
_NEWER_ATTRIBUTES = {("datetime", "UTC"): "3.11", ("enum", "StrEnum"): "3.11",
                     ("typing", "Self"): "3.11", ("typing", "LiteralString"): "3.11",
                     ("typing", "Never"): "3.11", ("asyncio", "TaskGroup"): "3.11",
                     ("typing", "override"): "3.12", ("itertools", "batched"): "3.12"}


def _newer_than_floor(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    guarded = {id(n) for t in ast.walk(tree) if isinstance(t, ast.Try)
               for h in t.handlers for n in ast.walk(t)
               if h.type is not None and "ModuleNotFoundError" in ast.unparse(h.type)}
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            found += [f"{path.name}: import {a.name} (Python {_NEWER_STDLIB[a.name]})"
                      for a in node.names if a.name in _NEWER_STDLIB]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [f"{path.name}: from {node.module} import {a.name} "
                      f"(Python {_NEWER_ATTRIBUTES[(node.module, a.name)]})"
                      for a in node.names if (node.module, a.name) in _NEWER_ATTRIBUTES]
            if node.module in _NEWER_STDLIB:
                found.append(f"{path.name}: from {node.module} (Python 3.11)")
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and (node.value.id, node.attr) in _NEWER_ATTRIBUTES):
            found.append(f"{path.name}: {node.value.id}.{node.attr} "
                         f"(Python {_NEWER_ATTRIBUTES[(node.value.id, node.attr)]})")
    return found


ALL_CODE = sorted([*(ROOT / "melt_course").rglob("*.py"), *(ROOT / "tests").glob("*.py"),
                   *(ROOT / "scripts").glob("*.py"), *(ROOT / "benchmarks").glob("*.py")])


def test_requires_python_is_3_10():
    assert PYPROJECT["project"]["requires-python"] == ">=3.10"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py310"


def test_no_standard_library_name_newer_than_python_3_10():
    assert [line for path in ALL_CODE for line in _newer_than_floor(path)] == []


def test_a_newer_standard_library_name_is_caught(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import tomllib\nimport datetime\nnow = datetime.UTC\n"
                     "try:\n    import tomllib\nexcept ModuleNotFoundError:\n    pass\n",
                     encoding="utf-8")
    assert _newer_than_floor(probe) == ["probe.py: import tomllib (Python 3.11)",
                                        "probe.py: datetime.UTC (Python 3.11)"]


def _python_3_10() -> str | None:
    """A working Python 3.10 interpreter (pyenv's shim alone may refuse to run), or None."""
    candidates = [*sorted(Path("/root/.pyenv/versions").glob("3.10*/bin/python3.10")),
                  shutil.which("python3.10")]
    for candidate in filter(None, candidates):
        result = subprocess.run([str(candidate), "-c", "import sys; print(sys.version_info[:2])"],
                                capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip() == "(3, 10)":
            return str(candidate)
    return None


PYTHON_3_10 = _python_3_10()


@pytest.mark.skipif(PYTHON_3_10 is None, reason="no Python 3.10 interpreter on this machine")
def test_every_module_compiles_with_python_3_10(tmp_path):
    # The real 3.10 parser: catches syntax newer than the floor (except*, PEP 695 generics,
    # f-string nesting of 3.12) that ruff's py310 target does not reject.
    result = subprocess.run(
        [PYTHON_3_10, "-c",
         "import sys, pathlib\n"
         "bad = []\n"
         "for p in sys.argv[1:]:\n"
         "    try:\n"
         "        compile(pathlib.Path(p).read_text(encoding='utf-8'), p, 'exec')\n"
         "    except SyntaxError as e:\n"
         "        bad.append(f'{p}:{e.lineno}: {e.msg}')\n"
         "print('\\n'.join(bad)); sys.exit(1 if bad else 0)\n",
         *map(str, ALL_CODE)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
