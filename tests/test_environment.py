"""environment.yml (conda, Binder) and pyproject.toml ask for the same runtime packages."""

import re
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
#: Packages whose conda-forge name differs from their PyPI name (PyPI name -> conda name).
CONDA_NAMES = {"isal": "python-isal"}


def _split(spec: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject_deps() -> dict[str, str]:
    """Runtime dependencies (conda name -> constraint) from pyproject.toml."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = dict(_split(s) for s in data["project"]["dependencies"])
    return {CONDA_NAMES.get(name, name): spec for name, spec in deps.items()}


def _conda_deps(text: str) -> tuple[dict[str, str], list[str]]:
    """Conda dependencies (name -> constraint) and the pip section, from environment.yml text."""
    conda, pip = {}, []
    for item in yaml.safe_load(text)["dependencies"]:
        if isinstance(item, dict):
            pip.extend(item.get("pip", []))
        else:
            name, constraint = _split(item)
            conda[name] = constraint
    return conda, pip


def _disagreements(pyproject: dict[str, str], conda: dict[str, str]) -> list[str]:
    problems = [f"{name}{spec} missing from environment.yml" for name, spec in pyproject.items()
                if name not in conda]
    problems += [f"{name}: pyproject says {spec!r}, environment.yml says {conda[name]!r}"
                 for name, spec in pyproject.items() if name in conda and conda[name] != spec]
    extra = set(conda) - set(pyproject) - {"python", "pip"}
    problems += [f"{name} in environment.yml but not in pyproject.toml" for name in sorted(extra)]
    return problems


def test_environment_yml_matches_pyproject():
    conda, pip = _conda_deps((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert _disagreements(_pyproject_deps(), conda) == []
    assert "-e ." in pip or "." in pip, "environment.yml must install the course package via pip"
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert conda["python"] == data["project"]["requires-python"]


def test_disagreement_is_detected():
    text = "channels:\n  - conda-forge\ndependencies:\n  - python>=3.10\n  - numpy>=1.20\n  - extra-pkg\n  - pip:\n      - -e .\n"
    conda, pip = _conda_deps(text)
    assert pip == ["-e ."]
    problems = _disagreements({"numpy": ">=1.24", "voila": ">=0.5"}, conda)
    assert problems == ["voila>=0.5 missing from environment.yml",
                        "numpy: pyproject says '>=1.24', environment.yml says '>=1.20'",
                        "extra-pkg in environment.yml but not in pyproject.toml"]
