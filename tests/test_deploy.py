"""Growing past one machine: the JupyterHub configuration loads with JupyterHub's own config
loader and sets what the course needs; the Binder files agree with the environment."""

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
HUB_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
START = "notebooks/00_start_here.ipynb"


#: What `melt-course hub` passes: the two passwords (the config refuses to load without them).
PASSWORDS = {"MELT_HUB_CLASS_PASSWORD": "class-room-7",
             "MELT_HUB_FACILITATOR_PASSWORD": "f" * 40}


def _load_hub_config(monkeypatch, **env) -> Config:
    """Run deploy/jupyterhub_config.py as JupyterHub does: with get_config() in scope."""
    for name in [n for n in os.environ if n.startswith("MELT_HUB_")]:
        monkeypatch.delenv(name)
    for name, value in {**PASSWORDS, **env}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(HUB_CONFIG)}
    exec(compile(HUB_CONFIG.read_text(encoding="utf-8"), str(HUB_CONFIG), "exec"), namespace)
    config._namespace = namespace
    return config


def test_local_hub_gives_each_learner_a_home_a_progress_file_and_the_start_notebook(
        monkeypatch, tmp_path):
    c = _load_hub_config(monkeypatch, MELT_HUB_STATE=str(tmp_path))
    assert c.JupyterHub.spawner_class == "jupyterhub.spawner.SimpleLocalProcessSpawner"
    assert c.Spawner.default_url == f"/lab/tree/{START}"
    assert (ROOT / START).is_file()
    assert c.Spawner.cmd == [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
    spawner = SimpleNamespace(user=SimpleNamespace(name="ada"))
    c.Spawner.pre_spawn_hook(spawner)
    home = tmp_path / "homes" / "ada"
    assert (home / START).is_file()
    assert c.Spawner.environment["MELT_COURSE_PROGRESS"](spawner) == str(home / "progress.json")
    # A learner's own copy of the lessons is kept on the next start.
    (home / START).write_text("{}", encoding="utf-8")
    c.Spawner.pre_spawn_hook(spawner)
    assert (home / START).read_text(encoding="utf-8") == "{}"


def test_login_is_the_shared_password_with_a_facilitator_who_cannot_be_locked_out(monkeypatch):
    c = _load_hub_config(monkeypatch, MELT_HUB_FACILITATOR="maria")
    # JupyterHub's shared-password login, plus each learner's own password (classroom_auth).
    assert c.JupyterHub.authenticator_class == "classroom_auth.ClassroomAuthenticator"
    module = __import__("classroom_auth")  # the config put deploy/ on the path, as in the hub
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
    assert issubclass(module.ClassroomAuthenticator, SharedPasswordAuthenticator)
    assert c.JupyterHub.template_paths == [str(ROOT / "deploy" / "templates")]
    assert c.SharedPasswordAuthenticator.user_password == "class-room-7"
    assert c.SharedPasswordAuthenticator.admin_password == "f" * 40
    assert c.Authenticator.admin_users == {"maria"}
    assert re.match(c.Authenticator.username_pattern, "ada-2")
    for bad in ("../x", "Ada", "a b", ""):
        assert not re.match(c.Authenticator.username_pattern, bad), bad


def test_the_hub_refuses_to_start_without_its_passwords(monkeypatch):
    with pytest.raises(ValueError, match=r"MELT_HUB_CLASS_PASSWORD .* got 5 characters"):
        _load_hub_config(monkeypatch, MELT_HUB_CLASS_PASSWORD="short")
    with pytest.raises(ValueError, match=r"MELT_HUB_FACILITATOR_PASSWORD .* got 0 characters"):
        _load_hub_config(monkeypatch, MELT_HUB_FACILITATOR_PASSWORD=None)


def test_docker_hub_gives_each_learner_the_course_and_a_progress_volume(monkeypatch):
    c = _load_hub_config(monkeypatch, MELT_HUB_SPAWNER="docker",
                         MELT_HUB_CONNECT_IP="172.18.0.1")
    assert c.JupyterHub.spawner_class == "dockerspawner.DockerSpawner"
    assert c.DockerSpawner.image == "melt-course:latest"
    [(volume, mount)] = c.DockerSpawner.volumes.items()
    assert "{username}" in volume  # one volume per learner
    progress = c.DockerSpawner.environment["MELT_COURSE_PROGRESS"]
    assert progress.startswith(mount + "/") and progress.endswith(".json")
    assert c.DockerSpawner.cmd == ["jupyterhub-singleuser"]
    assert c.Spawner.mem_limit and c.Spawner.cpu_limit > 0
    # The hub runs on the host: containers reach it at the Docker network's gateway.
    assert c.JupyterHub.hub_connect_ip == "172.18.0.1"
    assert c.JupyterHub.hub_bind_url.startswith("http://0.0.0.0:")


def test_docker_hub_finds_the_networks_gateway_or_says_what_to_do(monkeypatch, tmp_path):
    fake = tmp_path / "docker"
    fake.write_text("#!/bin/sh\necho 172.30.0.1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    c = _load_hub_config(monkeypatch, MELT_HUB_SPAWNER="docker")
    assert c.JupyterHub.hub_connect_ip == "172.30.0.1"
    fake.write_text("#!/bin/sh\necho 'no such network' >&2\nexit 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gateway of Docker network 'melt-hub'.*"
                                         r"MELT_HUB_CONNECT_IP"):
        _load_hub_config(monkeypatch, MELT_HUB_SPAWNER="docker")


def test_systemd_hub_runs_the_course_environment_with_a_file_per_learner(monkeypatch):
    c = _load_hub_config(monkeypatch, MELT_HUB_SPAWNER="systemd",
                         MELT_COURSE_DIR="/opt/course")
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert c.SystemdSpawner.cmd == ["/opt/course/.venv/bin/jupyterhub-singleuser"]
    assert c.SystemdSpawner.dynamic_users is True
    progress = c.SystemdSpawner.environment["MELT_COURSE_PROGRESS"]
    ada = progress(SimpleNamespace(user=SimpleNamespace(name="ada")))
    ben = progress(SimpleNamespace(user=SimpleNamespace(name="ben")))
    assert ada != ben and ada.endswith("ada/progress.json")


def test_app_mode_and_bad_spawner(monkeypatch):
    assert _load_hub_config(monkeypatch, MELT_HUB_APP="1").Spawner.default_url == \
        f"/voila/render/{START}"
    with pytest.raises(ValueError, match=r"MELT_HUB_SPAWNER='kubernetes': expected"):
        _load_hub_config(monkeypatch, MELT_HUB_SPAWNER="kubernetes")


def test_idle_culler_runs_with_the_hubs_own_python_and_the_scopes_it_needs(monkeypatch):
    c = _load_hub_config(monkeypatch, MELT_HUB_IDLE_SECONDS="1800")
    services = {s["name"]: s for s in c.JupyterHub.services}
    culler = services["idle-culler"]
    # sys.executable as the config sees it is the hub's own interpreter, never `python3`.
    assert culler["command"][:3] == [sys.executable, "-m", "jupyterhub_idle_culler"]
    assert "--timeout=1800" in culler["command"]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["idle-culler"]["services"] == ["idle-culler"]
    assert {"list:users", "read:users:activity", "read:servers", "delete:servers"} <= \
        set(roles["idle-culler"]["scopes"])
    report = services["class-report"]
    assert report["command"][0] == sys.executable
    assert Path(report["command"][1]).is_file()
    assert roles["class-report"]["services"] == ["class-report"]


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
