"""The classroom login: the class password lets a learner in; their own password keeps the name
theirs.

JupyterHub's SharedPasswordAuthenticator on its own lets anyone with the class password log in
under any learner's name, and so into that learner's server. This subclass adds a second field
to the login form, the learner's own password: the first login under a name chooses it (4+
characters), every later login under that name needs it. Only a salted scrypt hash is kept, in
``learner-passwords.json`` in the hub's state folder (readable by the hub's account only).

The facilitator (an admin) logs in as before, with the facilitator's password alone; the own
password field is ignored for admins. A learner who forgets their own password: the facilitator
deletes that user on the hub's Admin page (their home folder and progress stay on disk), and the
learner logs in again, choosing a new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import tempfile
from hmac import compare_digest
from pathlib import Path

from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
from traitlets import Integer, Unicode

#: scrypt parameters (about 16 MB and a few tens of milliseconds per login).
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def _hash(password: str, salt: bytes) -> str:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT).hex()


class ClassroomAuthenticator(SharedPasswordAuthenticator):
    """Class password to get in, the learner's own password to keep their name."""

    claims_file = Unicode(
        "learner-passwords.json", config=True,
        help="Where the learners' own password hashes are kept (relative: to the hub's "
             "working directory, its state folder).")
    own_password_min_length = Integer(4, config=True,
                                      help="Shortest own password a learner may choose.")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.request_otp = True
        self.otp_prompt = (f"Your own password (learners; the first time, choose one of "
                           f"{self.own_password_min_length}+ characters and keep it):")

    # ------------------------------------------------------------------ the claims file

    def _claims(self) -> dict:
        try:
            return json.loads(Path(self.claims_file).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _save(self, claims: dict) -> None:
        path = Path(self.claims_file).resolve()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(claims, handle, indent=1)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    # ------------------------------------------------------------------ login

    async def authenticate(self, handler, data):
        """The facilitator: the admin password. A learner: the class password, and their own
        password (chosen at their first login)."""
        model = await super().authenticate(handler, data)
        if model is None or model.get("admin"):
            return model
        name = model["name"]
        own = data.get("otp") or ""
        if len(own) < self.own_password_min_length:
            self.log.warning("login as %r refused: no own password of %d+ characters", name,
                             self.own_password_min_length)
            return None
        claims = self._claims()
        claim = claims.get(name)
        if claim is None:
            salt = secrets.token_bytes(16)
            claims[name] = {"salt": salt.hex(), "hash": _hash(own, salt)}
            self._save(claims)
            self.log.info("learner %r chose their own password", name)
            return model
        if compare_digest(_hash(own, bytes.fromhex(claim["salt"])), claim["hash"]):
            return model
        self.log.warning("login as %r refused: wrong own password", name)
        return None

    def delete_user(self, user) -> None:
        """A deleted user's name is free again (the facilitator's reset)."""
        super().delete_user(user)
        claims = self._claims()
        if claims.pop(user.name, None) is not None:
            self._save(claims)
