"""The Zero to JupyterHub values file (deploy/kubernetes/config.yaml), checked against the
chart's own values schema (copied from the chart's 4.4.0 release, deploy/kubernetes/z2jh-4.4.0/)
the way Helm checks it: the file is merged over the chart's defaults, then validated."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
VALUES = ROOT / "deploy" / "kubernetes" / "config.yaml"
CHART = ROOT / "deploy" / "kubernetes" / "z2jh-4.4.0"
START = "notebooks/00_start_here.ipynb"


def helm_merge(defaults, overrides):
    """Helm's merge of user values over a chart's defaults: maps merge key by key, anything
    else replaces, and null deletes the key."""
    if not (isinstance(defaults, dict) and isinstance(overrides, dict)):
        return copy.deepcopy(overrides)
    out = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        elif key in out:
            out[key] = helm_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _schema_errors(values: dict) -> list[str]:
    schema = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    merged = helm_merge(defaults, values)
    return sorted(f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(merged))


#: What the documented install command gives with --set-file (the files' contents).
SET_FILES = {"classroom-auth": ROOT / "deploy" / "classroom_auth.py",
             "login-template": ROOT / "deploy" / "templates" / "login.html"}


@pytest.fixture(scope="module")
def values() -> dict:
    """The values file plus what the install command's --set-file options add."""
    text = VALUES.read_text(encoding="utf-8")
    for name in SET_FILES:
        assert f"--set-file hub.extraFiles.{name}.stringData=" in text  # documented
    given = {"hub": {"extraFiles": {name: {"stringData": path.read_text(encoding="utf-8")}
                                    for name, path in SET_FILES.items()}}}
    return helm_merge(yaml.safe_load(text), given)


def test_the_values_file_alone_needs_the_set_file_options():
    alone = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    assert any(e.startswith("hub.extraFiles.classroom-auth:") for e in _schema_errors(alone))


def test_the_values_file_is_valid_for_the_chart(values):
    assert _schema_errors(values) == []


@pytest.mark.parametrize(("change", "expected"), [
    ({"cull": {"timout": 3600}}, "cull: Additional properties are not allowed ('timout'"),
    ({"singleuser": {"storage": {"capacity": 1}}}, "singleuser.storage.capacity: 1 is not"),
    ({"hub": {"config": {"authenticator": {}}}}, "hub.config: 'authenticator' does not match"),
])
def test_the_schema_check_catches_a_mistake(values, change, expected):
    errors = _schema_errors(helm_merge(values, change))
    assert any(e.startswith(expected) for e in errors), errors


def test_the_chart_defaults_pass_and_the_schema_is_the_charts():
    defaults = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    assert _schema_errors({}) == []
    schema = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
    assert set(schema["required"]) <= set(defaults)
    assert "BSD 3-Clause" in (CHART / "LICENSE").read_text(encoding="utf-8")


def test_it_does_what_the_one_machine_hub_does(values):
    hub = values["hub"]["config"]
    # The same classroom login as on one machine, mounted where extraConfig puts it on the path.
    module, cls = hub["JupyterHub"]["authenticator_class"].split(".")
    files = values["hub"]["extraFiles"]
    auth_dir = str(Path(files["classroom-auth"]["mountPath"]).parent)
    assert Path(files["classroom-auth"]["mountPath"]).name == f"{module}.py"
    assert f"class {cls}(SharedPasswordAuthenticator)" in files["classroom-auth"]["stringData"]
    assert f'sys.path.insert(0, "{auth_dir}")' in \
        values["hub"]["extraConfig"]["melt-classroom-login"]
    [templates] = hub["JupyterHub"]["template_paths"]
    assert files["login-template"]["mountPath"] == f"{templates}/login.html"
    assert hub["ClassroomAuthenticator"]["claims_file"].startswith("/srv/jupyterhub/")
    assert hub["Authenticator"]["admin_users"] == ["facilitator"]
    pattern = hub["Authenticator"]["username_pattern"]
    assert re.match(pattern, "ada") and not re.match(pattern, "../ada")
    # No password is committed: they are passed with --set at install time.
    assert "SharedPasswordAuthenticator" not in hub
    single = values["singleuser"]
    home = single["storage"]["homeMountPath"]
    assert single["storage"]["type"] == "dynamic"  # a volume per learner
    assert single["extraEnv"]["MELT_COURSE_PROGRESS"].startswith(home + "/")
    assert single["defaultUrl"] == f"/lab/tree/{Path(home).name}/{START}"
    assert f"/home/jovyan/notebooks {home}/" in \
        single["lifecycleHooks"]["postStart"]["exec"]["command"][-1]
    assert (ROOT / START).is_file()
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
