"""JupyterHub configuration for running the course for a class: one server per learner.

Read by JupyterHub (``jupyterhub -f deploy/jupyterhub_config.py``); ``melt-course hub`` (or
``./dev hub``) starts it for a workshop on one machine and sets the environment variables below.
See docs/hub.md. Three ways to run learners' servers, chosen with ``MELT_HUB_SPAWNER``:

``local`` (default; what ``melt-course hub`` uses)
    Every learner's server is a process on this machine, run from the course's own Python
    environment (the one running the hub), with its own home folder
    ``$MELT_HUB_STATE/homes/<name>`` holding a copy of the lessons and the learner's
    ``progress.json``. No system accounts are created: all servers run as the user who started
    the hub. The hub keeps learners out of each other's servers, but a learner who sets out to
    run code against the machine can read the other homes (see docs/hub.md, "Who can see what").
``systemd`` (run the hub as root)
    SystemdSpawner: one systemd unit per learner, each its own dynamic user (learners cannot
    read each other's files), running the course's virtual environment in ``MELT_COURSE_DIR``.
    Home and progress in ``/var/lib/private/<name>/`` on the host.
``docker``
    DockerSpawner: one container per learner from an image built from this repository with
    repo2docker, progress in a Docker volume per learner (``deploy/collect_progress.sh``).

The same in every mode:

- Login: JupyterHub's SharedPasswordAuthenticator with each learner's own password on top
  (deploy/classroom_auth.py). Learners type a name, the class password
  (``MELT_HUB_CLASS_PASSWORD``) and their own password, chosen at their first login, which
  keeps the name theirs. The facilitator (``MELT_HUB_FACILITATOR``,
  default ``facilitator``) is an admin declared here and can log in only with the separate
  facilitator password (``MELT_HUB_FACILITATOR_PASSWORD``, 32+ characters): someone who logs in
  first under the facilitator's name with the class password is refused, not made admin.
- The course opens at the start notebook, in JupyterLab (``MELT_HUB_APP=1``: in the course app).
- The idle culler runs with the hub's own interpreter (``sys.executable``), so it finds
  jupyterhub_idle_culler in the hub's environment.
- Local and systemd modes: the ``class-report`` service (deploy/class_report_service.py), open
  to the facilitator only, collects every learner's progress into the class report when opened.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
SPAWNER = os.environ.get("MELT_HUB_SPAWNER", "local")
COURSE_DIR = Path(os.environ.get("MELT_COURSE_DIR") or HERE.parent)
START = "notebooks/00_start_here.ipynb"
IDLE_SECONDS = int(os.environ.get("MELT_HUB_IDLE_SECONDS", "3600"))
CULL_EVERY = int(os.environ.get("MELT_HUB_CULL_EVERY", "300"))
STATE = Path(os.environ.get("MELT_HUB_STATE", "/srv/melt-hub"))
FACILITATOR = os.environ.get("MELT_HUB_FACILITATOR", "facilitator")
#: Names learners may log in with: lower-case letters, digits, '-' and '_' (they name folders).
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,31}$"
REPORT_SERVICE_PORT = int(os.environ.get("MELT_HUB_REPORT_PORT", "10101"))

# --------------------------------------------------------------------------- hub

c.JupyterHub.bind_url = os.environ.get("MELT_HUB_URL", "http://0.0.0.0:8000")
c.JupyterHub.hub_bind_url = os.environ.get("MELT_HUB_API_URL", "http://127.0.0.1:8081")
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
# The project's own configurable-http-proxy (package.json, installed by ./dev into node_modules).
_proxy = COURSE_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
if os.environ.get("MELT_HUB_PROXY"):
    c.ConfigurableHTTPProxy.command = [os.environ["MELT_HUB_PROXY"]]
elif _proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_proxy)]
c.ConfigurableHTTPProxy.api_url = os.environ.get("MELT_HUB_PROXY_API_URL",
                                                 "http://127.0.0.1:8001")
# Stop every learner's server and the proxy when the hub stops: nothing is left running.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --------------------------------------------------------------------------- login

_class_password = os.environ.get("MELT_HUB_CLASS_PASSWORD", "")
_facilitator_password = os.environ.get("MELT_HUB_FACILITATOR_PASSWORD", "")
if len(_class_password) < 8:
    raise ValueError("MELT_HUB_CLASS_PASSWORD must be set to the class password (at least 8 "
                     f"characters), got {len(_class_password)} characters")
if len(_facilitator_password) < 32:
    raise ValueError("MELT_HUB_FACILITATOR_PASSWORD must be set to the facilitator's password "
                     f"(at least 32 characters), got {len(_facilitator_password)} characters")
# JupyterHub's SharedPasswordAuthenticator plus each learner's own password, chosen at their
# first login, so that nobody else with the class password can take their name (and server).
sys.path.insert(0, str(HERE))
c.JupyterHub.authenticator_class = "classroom_auth.ClassroomAuthenticator"
c.JupyterHub.template_paths = [str(HERE / "templates")]  # the own password field is hidden
c.ClassroomAuthenticator.claims_file = str(STATE / "learner-passwords.json")
c.SharedPasswordAuthenticator.user_password = _class_password
c.SharedPasswordAuthenticator.admin_password = _facilitator_password
c.Authenticator.admin_users = {FACILITATOR}
c.Authenticator.allow_all = True  # anyone with the class password: a closed room
c.Authenticator.username_pattern = USERNAME_PATTERN

# --------------------------------------------------------------------------- learners' servers

APP_MODE = bool(os.environ.get("MELT_HUB_APP"))
if APP_MODE:
    c.Spawner.default_url = f"/voila/render/{START}"
else:
    c.Spawner.default_url = f"/lab/tree/{START}"


def app_template_path(prefix: Path | str) -> list[str]:
    """In app mode, where Voila finds the course's page template ("melt"; docs/architecture.md,
    "The page around a lesson"), for JUPYTER_PATH: Voila's own data folder first (Voila takes
    its themes from the first folder with a voila/ subfolder), then the package's. Docker
    images get the template installed by binder/postBuild instead."""
    if not APP_MODE:
        return []
    return [str(Path(prefix) / "share" / "jupyter"),
            str(COURSE_DIR / "melt_course" / "data" / "jupyter")]


c.Spawner.args = [
    # The course's JupyterLab defaults: widget state is never saved into a lesson.
    f"--LabApp.app_settings_dir={COURSE_DIR / 'melt_course' / 'data' / 'jupyterlab'}",
    "--VoilaConfiguration.show_tracebacks=False",
    "--VoilaConfiguration.strip_sources=True",
    # The course app waits up to a minute for a cell's outputs (Voila's default, 4 s, drops
    # widgets on a busy machine: docs/performance-load.md).
    "--NotebookClient.iopub_timeout=60",
    # The course's app page: the lesson in a main landmark, no lab-only cells, the course
    # stylesheet, nothing fetched from a CDN.
    *(["--VoilaConfiguration.template=melt"] if APP_MODE else []),
]
c.Spawner.mem_limit = os.environ.get("MELT_HUB_MEM", "1G")
c.Spawner.cpu_limit = float(os.environ.get("MELT_HUB_CPU", "1"))
c.Spawner.start_timeout = int(os.environ.get("MELT_HUB_START_TIMEOUT", "180"))
c.Spawner.http_timeout = int(os.environ.get("MELT_HUB_START_TIMEOUT", "180"))


def home_of(name: str) -> Path:
    """A learner's home folder in local mode."""
    return STATE / "homes" / name


def copy_course_into_home(spawner) -> None:
    """Before a learner's first start: their own copy of the lessons (kept afterwards)."""
    home = home_of(spawner.user.name)
    home.mkdir(parents=True, exist_ok=True)
    for folder in ("notebooks",):
        if (COURSE_DIR / folder).is_dir() and not (home / folder).exists():
            shutil.copytree(COURSE_DIR / folder, home / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


def local_progress_file(spawner) -> str:
    """The learner's progress file in local mode: ``progress.json`` in their home."""
    return str(home_of(spawner.user.name) / "progress.json")


def progress_in_state_directory(spawner) -> str:
    """The learner's progress file as their systemd unit sees it (/var/lib/<name>/...)."""
    return f"/var/lib/{spawner.user.name}/progress.json"


def docker_gateway(network: str) -> str:
    """The address of this machine on a Docker network (its gateway): where containers reach a
    hub that runs on the host."""
    try:
        out = subprocess.run(
            ["docker", "network", "inspect", network, "--format",
             "{{(index .IPAM.Config 0).Gateway}}"],
            capture_output=True, text=True, timeout=20, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        raise ValueError(f"could not find the gateway of Docker network {network!r} ({exc}); "
                         f"create it (docker network create {network}) or set "
                         "MELT_HUB_CONNECT_IP to this machine's address on it") from None
    if not out:
        raise ValueError(f"Docker network {network!r} has no gateway address; set "
                         "MELT_HUB_CONNECT_IP")
    return out


HOMES_FOLDER = None  # where the class-report service finds progress files (local, systemd)
# The course's python3 kernel (a hint instead of a traceback when a cell runs before the
# setup cell: melt_course/cli/kernel_hint.py), found first on learners' servers' JUPYTER_PATH.
KERNEL_DIR = str(COURSE_DIR / "melt_course" / "data" / "kernel")
if SPAWNER == "local":
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
    c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
    c.Spawner.notebook_dir = str(STATE / "homes" / "{username}")
    c.Spawner.pre_spawn_hook = copy_course_into_home
    c.Spawner.environment = {"MELT_COURSE_PROGRESS": local_progress_file,
                             "JUPYTER_PATH": os.pathsep.join(
                                 [KERNEL_DIR, *app_template_path(sys.prefix)])}
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        c.Spawner.args.append("--allow-root")  # containers and CI machines often run as root
    HOMES_FOLDER = STATE / "homes"
elif SPAWNER == "systemd":
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.cmd = [f"{COURSE_DIR}/.venv/bin/jupyterhub-singleuser"]
    c.SystemdSpawner.notebook_dir = str(COURSE_DIR)  # the lessons, read by every learner
    c.SystemdSpawner.environment = {
        "PATH": f"{COURSE_DIR}/.venv/bin:/usr/bin:/bin",
        # A callable is called with the spawner (JupyterHub's Spawner.environment): the
        # learner's own file in their dynamic user's state directory, kept between sessions.
        "MELT_COURSE_PROGRESS": progress_in_state_directory,
        "JUPYTER_PATH": os.pathsep.join([KERNEL_DIR,
                                         *app_template_path(COURSE_DIR / ".venv")]),
    }
    HOMES_FOLDER = Path("/var/lib/private")
elif SPAWNER == "docker":
    network = os.environ.get("MELT_HUB_NETWORK", "melt-hub")
    c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
    c.DockerSpawner.image = os.environ.get("MELT_HUB_IMAGE", "melt-course:latest")
    c.DockerSpawner.cmd = ["jupyterhub-singleuser"]
    c.DockerSpawner.notebook_dir = "/home/jovyan"
    c.DockerSpawner.network_name = network
    c.DockerSpawner.use_internal_ip = True
    c.DockerSpawner.remove = True  # containers are disposable; the progress volume is not
    c.DockerSpawner.volumes = {"melt-progress-{username}": "/home/jovyan/progress"}
    c.DockerSpawner.environment = {
        "MELT_COURSE_PROGRESS": "/home/jovyan/progress/progress.json"}
    # The hub runs on this machine (not in a container): containers reach it at the network's
    # gateway, so its API listens on every interface (the proxy's public port is separate).
    c.JupyterHub.hub_bind_url = "http://0.0.0.0:8081"
    c.JupyterHub.hub_connect_ip = (os.environ.get("MELT_HUB_CONNECT_IP")
                                   or docker_gateway(network))
else:
    raise ValueError(f"MELT_HUB_SPAWNER={SPAWNER!r}: expected 'local', 'systemd' or 'docker'")

# --------------------------------------------------------------------------- services

c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
]
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        # The hub's own interpreter: `python3` on PATH may be another Python without the culler.
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={IDLE_SECONDS}", f"--cull-every={CULL_EVERY}"],
    },
]
if HOMES_FOLDER is not None:
    c.JupyterHub.load_roles.append({
        "name": "class-report",
        "scopes": ["list:users", "read:users"],
        "services": ["class-report"],
    })
    c.JupyterHub.services.append({
        "name": "class-report",
        "display": True,
        "oauth_no_confirm": True,
        "url": f"http://127.0.0.1:{REPORT_SERVICE_PORT}",
        "command": [sys.executable, str(HERE / "class_report_service.py")],
        "environment": {
            "MELT_HUB_HOMES": str(HOMES_FOLDER),
            "MELT_HUB_REPORTS": str(STATE / "class-reports"),
            "MELT_HUB_HOME_PROGRESS": "progress.json",
            "PYTHONPATH": str(COURSE_DIR),
        },
    })
