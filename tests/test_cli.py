"""The melt-course command line."""

import subprocess
import sys
import urllib.request

import pytest

from melt_course.cli import main as cli
from melt_course.cli import servers


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
