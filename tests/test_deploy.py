"""Growing past one machine: the JupyterHub configuration loads with JupyterHub's own config
loader and sets what the course needs; the Binder files agree with the environment."""

import os
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
HUB_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
START = "notebooks/00_start_here.ipynb"


def _load_hub_config(monkeypatch, **env) -> Config:
    """Run deploy/jupyterhub_config.py as JupyterHub does: with get_config() in scope."""
    for name in [n for n in os.environ if n.startswith("MELT_HUB_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(HUB_CONFIG)}
    exec(compile(HUB_CONFIG.read_text(encoding="utf-8"), str(HUB_CONFIG), "exec"), namespace)
    return config


def test_docker_hub_gives_each_learner_the_course_app_and_a_progress_volume(monkeypatch):
    c = _load_hub_config(monkeypatch)
    assert c.JupyterHub.spawner_class == "dockerspawner.DockerSpawner"
    assert c.DockerSpawner.image == "melt-course:latest"
    assert c.Spawner.default_url == f"/voila/render/{START}"
    assert (ROOT / START).is_file()
    [(volume, mount)] = c.DockerSpawner.volumes.items()
    assert "{username}" in volume  # one volume per learner
    progress = c.DockerSpawner.environment["MELT_COURSE_PROGRESS"]
    assert progress.startswith(mount + "/") and progress.endswith(".json")
    assert c.DockerSpawner.cmd == ["jupyterhub-singleuser"]
    assert c.Spawner.mem_limit and c.Spawner.cpu_limit > 0


def test_systemd_hub_runs_the_course_environment_with_a_file_per_learner(monkeypatch):
    c = _load_hub_config(monkeypatch, MELT_HUB_SPAWNER="systemd",
                         MELT_COURSE_DIR="/opt/course")
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert c.SystemdSpawner.cmd == ["/opt/course/.venv/bin/jupyterhub-singleuser"]
    assert c.SystemdSpawner.dynamic_users is True
    progress = c.SystemdSpawner.environment["MELT_COURSE_PROGRESS"]
    ada = progress(SimpleNamespace(user=SimpleNamespace(name="ada")))
    ben = progress(SimpleNamespace(user=SimpleNamespace(name="ben")))
    assert ada != ben and ada.endswith("ada/melt-progress.json")


def test_lab_mode_and_bad_spawner(monkeypatch):
    assert _load_hub_config(monkeypatch, MELT_HUB_LAB="1").Spawner.default_url == \
        f"/lab/tree/{START}"
    with pytest.raises(ValueError, match=r"MELT_HUB_SPAWNER='kubernetes': expected"):
        _load_hub_config(monkeypatch, MELT_HUB_SPAWNER="kubernetes")


def test_idle_culler_is_a_service_with_the_scopes_it_needs(monkeypatch):
    c = _load_hub_config(monkeypatch, MELT_HUB_IDLE_SECONDS="1800")
    [service] = c.JupyterHub.services
    assert service["command"][:3] == ["python3", "-m", "jupyterhub_idle_culler"]
    assert "--timeout=1800" in service["command"]
    [role] = c.JupyterHub.load_roles
    assert role["services"] == [service["name"]]
    assert {"list:users", "read:users:activity", "read:servers", "delete:servers"} <= \
        set(role["scopes"])


def test_collect_script_and_post_build_are_valid_shell():
    for script in (ROOT / "deploy" / "collect_progress.sh", ROOT / "binder" / "postBuild"):
        assert os.access(script, os.X_OK), f"{script} is not executable"
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def _deps(path: Path) -> tuple[list[str], list]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    conda = [d for d in data["dependencies"] if isinstance(d, str)]
    pip = [d for d in data["dependencies"] if isinstance(d, dict)]
    return conda, pip


def test_binder_environment_is_the_root_one_without_installing_the_course():
    root_conda, root_pip = _deps(ROOT / "environment.yml")
    binder_conda, binder_pip = _deps(ROOT / "binder" / "environment.yml")
    assert binder_conda == root_conda
    assert root_pip and binder_pip == []  # the source is not in the image yet at that step
    post = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-e \.", post)


def test_readme_has_a_binder_link_to_the_app():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"mybinder\.org/v2/gh/[^ )]+\?urlpath=voila/render/notebooks/"
                     r"00_start_here\.ipynb", readme)
