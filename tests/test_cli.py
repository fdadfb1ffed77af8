"""The melt-course command line."""

import argparse
import json
import subprocess
import sys
import urllib.request

import pytest

from melt_course.cli import hub, servers
from melt_course.cli import main as cli


def test_lab_command_binds_loopback_with_token_and_opens_start_notebook(tmp_path):
    cmd = servers.lab_command(tmp_path, 9123, "secret", open_browser=False)
    assert "--ServerApp.ip=127.0.0.1" in cmd
    assert "--ServerApp.port=9123" in cmd and "--IdentityProvider.token=secret" in cmd
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--ServerApp.default_url=/lab/tree/notebooks/00_start_here.ipynb" in cmd
    assert "--ServerApp.open_browser=False" in cmd
    assert "--ServerApp.open_browser=True" in servers.lab_command(tmp_path, 1, "t", open_browser=True)


def test_find_course_root_walks_up_and_explains_failure(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "00_start_here.ipynb").write_text("{}")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert servers.find_course_root(deep) == tmp_path


@pytest.mark.parametrize(("port", "message"), [("abc", "whole number, got 'abc'"),
                                                ("70000", "between 1 and 65535, got 70000")])
def test_bad_port_is_refused_with_the_value(port, message, capsys):
    with pytest.raises(SystemExit):
        cli.main(["lab", "--port", port])
    assert message in capsys.readouterr().err


def test_lab_serves_the_start_notebook_on_loopback(lab_server):
    assert lab_server.url.startswith("http://127.0.0.1:")
    url = f"{lab_server.url}/api/contents/notebooks/00_start_here.ipynb?token={lab_server.token}"
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.status == 200
    with pytest.raises(urllib.error.HTTPError) as info:  # no token, no entry
        urllib.request.urlopen(f"{lab_server.url}/api/contents/notebooks", timeout=10)
    assert info.value.code == 403


def test_melt_course_command_is_installed():
    result = subprocess.run([sys.executable, "-m", "melt_course", "--help"], capture_output=True,
                            text=True)
    assert result.returncode == 0 and "lab" in result.stdout


#: Every sub-command, with the fewest arguments it parses, and the function that runs it.
_COMMANDS = {"lab": ["lab"], "app": ["app"], "progress": ["progress", "where"],
             "handouts": ["handouts", "--out", "o"],
             "class-report": ["class-report", "f", "--out", "o"],
             "export-html": ["export-html", "--out", "o"],
             "facilitator-kit": ["facilitator-kit", "--out", "o"], "hub": ["hub"]}
_RUNNERS = {"lab": (cli, "_run_lab"), "app": (cli, "_run_app"), "progress": (cli, "_progress"),
            "handouts": (cli, "handouts_command"), "class-report": (cli, "_run_class_report"),
            "export-html": (cli, "_run_export_html"),
            "facilitator-kit": (cli, "_run_facilitator_kit"), "hub": (hub, "run_hub")}


def test_every_command_is_tested_here():
    sub = next(a for a in cli._build_parser()._actions
               if isinstance(a, argparse._SubParsersAction))
    assert sorted(sub.choices) == sorted(_COMMANDS)


@pytest.mark.parametrize("command", sorted(_COMMANDS))
def test_main_runs_the_code_of_the_command_given_and_returns_its_status(command, monkeypatch):
    ran = []
    for name, (module, attr) in _RUNNERS.items():
        monkeypatch.setattr(module, attr, lambda *args, name=name: ran.append(name) or 7)
    assert cli.main(_COMMANDS[command]) == 7
    assert ran == [command]


def test_lab_loads_the_one_course_stylesheet_at_page_load(tmp_path):
    """JupyterLab's custom CSS is on and served from the folder of the package's stylesheet:
    the file it serves is the file the app links (no copy to drift)."""
    from importlib import resources

    from melt_course.content.page import STYLESHEET_PARTS

    cmd = servers.lab_command(tmp_path, 9123, "secret", open_browser=False)
    assert "--LabApp.custom_css=True" in cmd
    (settings,) = [a.split("=", 1)[1] for a in cmd if a.startswith("--ServerApp.tornado_settings=")]
    served = servers.stylesheet_dir() / "custom.css"
    assert json.loads(settings) == {"static_custom_path": [str(servers.stylesheet_dir())]}
    assert served.samefile(str(resources.files("melt_course").joinpath(*STYLESHEET_PARTS)))
