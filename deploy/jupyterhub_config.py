"""JupyterHub configuration for running the course for many learners on one server or more.

Each learner logs in, gets a single-user server with the course's environment, lands in the
course app (Voilà) at the start lesson, and keeps their own progress file across sessions.
Idle servers are stopped by jupyterhub-idle-culler.

Two ways to run learners' servers, chosen with the environment variable MELT_HUB_SPAWNER:

``docker`` (default): DockerSpawner, one container per learner from an image built from this
    repository with repo2docker (which reads ``binder/``)::

        pip install jupyterhub dockerspawner jupyterhub-idle-culler \\
            jupyterhub-firstuseauthenticator jupyter-repo2docker
        jupyter-repo2docker --no-run --user-id 1000 --user-name jovyan \\
            --image-name melt-course:latest .
        docker network create melt-hub
        MELT_HUB_SPAWNER=docker jupyterhub -f deploy/jupyterhub_config.py

    Progress: a Docker volume per learner, ``melt-progress-<name>``, mounted at
    ``/home/jovyan/progress``; ``deploy/collect_progress.sh OUT`` copies every learner's file
    out for ``melt-course class-report OUT --out report``.

``systemd``: SystemdSpawner, one systemd unit per learner on this machine, running the
    course's own virtual environment (``./dev lab`` creates it) as a dynamic user::

        pip install jupyterhub jupyterhub-systemdspawner jupyterhub-idle-culler \\
            jupyterhub-firstuseauthenticator
        sudo MELT_HUB_SPAWNER=systemd MELT_COURSE_DIR=/opt/melt-course \\
            jupyterhub -f /opt/melt-course/deploy/jupyterhub_config.py

    Progress: ``/var/lib/<name>/melt-progress.json`` inside the learner's unit, which is
    ``/var/lib/private/<name>/melt-progress.json`` on the host (systemd's DynamicUser state
    directory); ``sudo melt-course class-report /var/lib/private/*/melt-progress.json --out
    report``.

Both use FirstUseAuthenticator (a learner picks a name and password at first login); set
MELT_HUB_LAB=1 to land learners in JupyterLab instead of the app. tests/test_deploy.py loads
this file with JupyterHub's own config loader (traitlets) and checks what it sets.
"""

import os

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

SPAWNER = os.environ.get("MELT_HUB_SPAWNER", "docker")
COURSE_DIR = os.environ.get("MELT_COURSE_DIR", "/opt/melt-course")
START = "notebooks/00_start_here.ipynb"
IDLE_SECONDS = int(os.environ.get("MELT_HUB_IDLE_SECONDS", "3600"))

# --------------------------------------------------------------------------- hub

c.JupyterHub.bind_url = os.environ.get("MELT_HUB_URL", "http://0.0.0.0:8000")
c.JupyterHub.cookie_secret_file = os.environ.get("MELT_HUB_COOKIE_SECRET",
                                                 "/srv/jupyterhub/jupyterhub_cookie_secret")
c.JupyterHub.db_url = os.environ.get("MELT_HUB_DB", "sqlite:////srv/jupyterhub/jupyterhub.sqlite")

c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
c.FirstUseAuthenticator.create_users = True
c.FirstUseAuthenticator.min_password_length = 8
c.Authenticator.admin_users = set(filter(None, os.environ.get("MELT_HUB_ADMINS", "").split(",")))
c.Authenticator.allow_all = True  # anyone who reaches the hub may sign up (a closed room)

# --------------------------------------------------------------------------- learners' servers


def progress_in_state_directory(spawner):
    """The learner's progress file as their systemd unit sees it (/var/lib/<name>/...)."""
    return f"/var/lib/{spawner.user.name}/melt-progress.json"


# Land in the course app (code hidden, widgets live), or in JupyterLab with MELT_HUB_LAB=1.
c.Spawner.default_url = (f"/lab/tree/{START}" if os.environ.get("MELT_HUB_LAB")
                         else f"/voila/render/{START}")
c.Spawner.mem_limit = os.environ.get("MELT_HUB_MEM", "1G")
c.Spawner.cpu_limit = float(os.environ.get("MELT_HUB_CPU", "1"))
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120

if SPAWNER == "docker":
    c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
    c.DockerSpawner.image = os.environ.get("MELT_HUB_IMAGE", "melt-course:latest")
    c.DockerSpawner.cmd = ["jupyterhub-singleuser"]
    c.DockerSpawner.notebook_dir = "/home/jovyan"
    c.DockerSpawner.network_name = os.environ.get("MELT_HUB_NETWORK", "melt-hub")
    c.DockerSpawner.use_internal_ip = True
    c.DockerSpawner.remove = True  # containers are disposable; the progress volume is not
    c.DockerSpawner.volumes = {"melt-progress-{username}": "/home/jovyan/progress"}
    c.DockerSpawner.environment = {
        "MELT_COURSE_PROGRESS": "/home/jovyan/progress/progress.json"}
    c.JupyterHub.hub_ip = "0.0.0.0"  # reachable from the containers on the Docker network
    c.JupyterHub.hub_connect_ip = os.environ.get("MELT_HUB_CONNECT_IP", "jupyterhub")
elif SPAWNER == "systemd":
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.cmd = [f"{COURSE_DIR}/.venv/bin/jupyterhub-singleuser"]
    c.SystemdSpawner.notebook_dir = COURSE_DIR  # the lessons, read by every learner
    c.SystemdSpawner.environment = {
        "PATH": f"{COURSE_DIR}/.venv/bin:/usr/bin:/bin",
        # A callable is called with the spawner (JupyterHub's Spawner.environment): the
        # learner's own file in their dynamic user's state directory, kept between sessions.
        "MELT_COURSE_PROGRESS": progress_in_state_directory,
    }
else:
    raise ValueError(f"MELT_HUB_SPAWNER={SPAWNER!r}: expected 'docker' or 'systemd'")

# --------------------------------------------------------------------------- idle culler

c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": ["python3", "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_SECONDS}",
                "--cull-every=300"],
}]
