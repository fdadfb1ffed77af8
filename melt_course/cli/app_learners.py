"""One progress file per learner when a whole class uses one app server (``melt-course app --lan``).

All the kernels of a Voilà server run as the facilitator, so without help every learner's quiz
answers would go into the same progress file. ``melt-course app --lan`` therefore:

- names the login cookie :data:`COOKIE_NAME` and signs it with a secret kept in the class
  folder (so a learner keeps the same identity across a server restart);
- passes each page request's ``Cookie`` header to its kernel (Voilà's ``http_header_envs``);
- starts every kernel with :func:`adopt_learner_store` (an IPython start-up file), which reads
  the signed cookie, checks the signature, and points ``MELT_COURSE_PROGRESS`` at
  ``<class folder>/learner-<id>.json`` for that browser.

A request without a valid cookie (a learner who opened a lesson link with ``?token=`` as the
very first page) gets a file of its own, ``unidentified-<random>.json``, so answers are never
mixed; the facilitator kit tells learners to open the lesson list first. After class,
``melt-course class-report <class folder> --out report`` reads the files directly.

Pure Python (tornado's signed-cookie helper only): no plotting, no widgets.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import MutableMapping
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

__all__ = ["CLASS_DIR_ENV", "COOKIE_NAME", "SECRET_FILE", "adopt_learner_store",
           "ensure_secret", "learner_from_cookie", "startup_source"]

#: Name of the signed login cookie the app sets (``IdentityProvider.cookie_name``).
COOKIE_NAME = "melt-course-learner"
#: Environment variable naming the class folder (set by ``melt-course app --lan``).
CLASS_DIR_ENV = "MELT_COURSE_CLASS_DIR"
#: File in the class folder holding the cookie-signing secret.
SECRET_FILE = ".app-cookie-secret"

_ID = re.compile(r"^[0-9a-f]{32}$")


def ensure_secret(class_dir: str | os.PathLike) -> bytes:
    """The class folder's cookie secret, made (readable by its owner only) on first use."""
    folder = Path(class_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_FILE
    if not path.is_file():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip().encode("ascii")


def learner_from_cookie(cookie_header: str, secret: bytes) -> str | None:
    """The learner id in a request's ``Cookie`` header, if its signature is valid.

    Parameters
    ----------
    cookie_header : str
        The raw header, e.g. ``"_xsrf=...; melt-course-learner=2|1:0|..."``.
    secret : bytes
        The secret the server signs cookies with.

    Returns
    -------
    str or None
        The 32-hex-digit id jupyter_server gave this browser, or None when the cookie is
        missing, forged, expired or malformed.
    """
    from tornado.web import decode_signed_value

    try:
        jar = SimpleCookie()
        jar.load(cookie_header or "")
    except CookieError:
        return None
    morsel = jar.get(COOKIE_NAME)
    if morsel is None:
        return None
    raw = decode_signed_value(secret, COOKIE_NAME, morsel.value, max_age_days=31)
    if raw is None:
        return None
    try:
        user = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    username = user.get("username") if isinstance(user, dict) else None
    return username if isinstance(username, str) and _ID.match(username) else None


def adopt_learner_store(environ: MutableMapping[str, str] | None = None) -> Path | None:
    """Point ``MELT_COURSE_PROGRESS`` at this browser's own file in the class folder.

    Does nothing (returns None) outside a ``--lan`` app, i.e. when ``MELT_COURSE_CLASS_DIR``
    is not set.

    Parameters
    ----------
    environ : mapping, optional
        The environment to read and change (default ``os.environ``).

    Returns
    -------
    pathlib.Path or None
        The progress file chosen.
    """
    env = os.environ if environ is None else environ
    folder = env.get(CLASS_DIR_ENV)
    if not folder:
        return None
    learner = None
    secret_path = Path(folder) / SECRET_FILE
    if secret_path.is_file():
        secret = secret_path.read_text(encoding="ascii").strip().encode("ascii")
        learner = learner_from_cookie(env.get("HTTP_COOKIE", ""), secret)
    name = (f"learner-{learner}.json" if learner
            else f"unidentified-{secrets.token_hex(8)}.json")
    path = Path(folder) / name
    env["MELT_COURSE_PROGRESS"] = str(path)
    return path


def startup_source() -> str:
    """The IPython start-up file that runs :func:`adopt_learner_store` in every kernel
    (it leaves no name behind in the learner's namespace)."""
    return ('__import__("melt_course.cli.app_learners", fromlist=["adopt_learner_store"])'
            ".adopt_learner_store()\n")
