"""A lesson cell run before the setup cell shows a hint naming the setup cell, not a traceback.

The hint is an IPython extension (melt_course/cli/kernel_hint.py) loaded by the course's
``python3`` kernel spec (melt_course/data/kernel), which ``melt-course lab`` and the hub put
first on ``JUPYTER_PATH``. The main test starts that kernel for real (nbclient) the way
JupyterLab would: by the kernel name the lessons carry.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from test_deploy import _load_hub_config

from melt_course.cli import main as cli_main
from melt_course.cli.kernel_hint import HINT_TEXT
from melt_course.cli.servers import kernel_dir, lab_environment


def _run(cells: list[str], env: dict[str, str]) -> list[list[dict]]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    old = {name: os.environ.get(name) for name in env}
    os.environ.update(env)  # the kernel spec is looked up, and the kernel started, with it
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return [cell.outputs for cell in nb.cells]


def _text(outputs: list[dict]) -> str:
    parts = []
    for out in outputs:
        parts += [out.get("text", ""), out.get("ename", ""), out.get("evalue", ""),
                  *out.get("traceback", [])]
        parts += [str(v) for v in out.get("data", {}).values()]
    return "\n".join(parts)


@pytest.mark.server
def test_a_widget_cell_before_setup_shows_the_hint_and_no_traceback():
    before, bare, setup, after = _run(
        ["mc.hip_demo()", "not_a_name_anywhere + 1",
         "from melt_course import notebook as mc", "mc.course_map()"], lab_environment())
    text = _text(before)
    assert [out["output_type"] for out in before] == ["display_data"]
    assert before[0]["data"]["text/plain"] == HINT_TEXT
    assert "Setup" in text and "from melt_course import notebook as mc" in text
    assert "Run All Cells" in before[0]["data"]["text/markdown"]
    assert "Traceback" not in text and "NameError" not in text and "\x1b[" not in text
    # Any other mistake keeps Python's own message.
    assert [out["output_type"] for out in bare] == ["error"]
    assert bare[0]["ename"] == "NameError" and "not_a_name_anywhere" in bare[0]["evalue"]
    # After the setup cell, the same call works.
    assert setup == [] and "Start here" in _text(after)


@pytest.mark.server
def test_without_the_course_kernel_the_traceback_is_what_a_learner_would_get():
    """The control: the same cell in ipykernel's own python3 kernel (no JUPYTER_PATH)."""
    env = {"JUPYTER_PATH": os.pathsep.join(
        p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
        if p and p != str(kernel_dir()))}
    [before] = _run(["mc.hip_demo()"], env)
    assert [out["output_type"] for out in before] == ["error"]
    assert before[0]["ename"] == "NameError"


def test_lab_environment_puts_the_course_kernel_first_and_keeps_the_rest():
    env = lab_environment({"JUPYTER_PATH": os.pathsep.join(["/x", str(kernel_dir())])})
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(kernel_dir()), "/x"]
    spec = kernel_dir() / "kernels" / "python3" / "kernel.json"
    assert "--IPKernelApp.extensions=melt_course.cli.kernel_hint" in spec.read_text()


def test_melt_course_lab_starts_jupyterlab_with_the_course_kernel(monkeypatch):
    seen = {}

    def fake_execve(path, argv, env):
        seen.update(path=path, argv=argv, env=env)
        raise SystemExit(0)

    monkeypatch.setattr(cli_main.os, "execve", fake_execve)
    with pytest.raises(SystemExit):
        cli_main.main(["lab", "--no-browser", "--port", "8999"])
    assert "jupyterlab" in seen["argv"]
    assert seen["env"]["JUPYTER_PATH"].split(os.pathsep)[0] == str(kernel_dir())


def test_hub_learners_servers_use_the_course_kernel(monkeypatch, tmp_path):
    c = _load_hub_config(monkeypatch, MELT_HUB_STATE=str(tmp_path))
    assert c.Spawner.environment["JUPYTER_PATH"] == str(kernel_dir())
    c = _load_hub_config(monkeypatch, MELT_HUB_SPAWNER="systemd", MELT_COURSE_DIR="/opt/course")
    assert c.SystemdSpawner.environment["JUPYTER_PATH"] == \
        "/opt/course/melt_course/data/kernel"


def test_hint_handler_ignores_other_names_and_loads_and_unloads():
    from melt_course.cli import kernel_hint

    calls = []
    shell = SimpleNamespace(set_custom_exc=lambda exc, handler: calls.append((exc, handler)),
                            showtraceback=lambda *a, **k: calls.append("traceback"))
    kernel_hint.load_ipython_extension(shell)
    kernel_hint.unload_ipython_extension(shell)
    assert calls[0][0] == (NameError,) and calls[1] == ((), None)
    err = NameError("name 'x' is not defined", name="x")
    assert kernel_hint._handler(shell, NameError, err, None) == []
    assert calls[-1] == "traceback"
    assert kernel_hint._is_missing_helper(NameError("name 'mc' is not defined"))


def test_binder_and_docker_image_install_the_course_kernel(tmp_path):
    """binder/postBuild (Binder, and the hub's Docker image) installs the spec as python3; the
    same command, into a scratch prefix, gives a spec that loads the hint."""
    root = Path(__file__).resolve().parent.parent
    post = (root / "binder" / "postBuild").read_text(encoding="utf-8")
    match = re.search(r"jupyter kernelspec install --sys-prefix --replace --name python3 \\\s+"
                      r"(\S+)", post)
    assert match and (root / match.group(1)).resolve() == kernel_dir() / "kernels" / "python3"
    subprocess.run([sys.executable, "-m", "jupyter", "kernelspec", "install", "--prefix",
                    str(tmp_path), "--replace", "--name", "python3",
                    str(root / match.group(1))], check=True, capture_output=True)
    manager = KernelSpecManager(kernel_dirs=[str(tmp_path / "share" / "jupyter" / "kernels")],
                                ensure_native_kernel=False)
    spec = manager.get_kernel_spec("python3")
    assert "--IPKernelApp.extensions=melt_course.cli.kernel_hint" in spec.argv
