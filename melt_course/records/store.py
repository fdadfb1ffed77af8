"""The learner's progress store: one JSON file per learner, written safely.

Where the file is
    :func:`store_path` decides: an explicit ``path``, else the environment variable
    ``MELT_COURSE_PROGRESS``, else the user data folder (``platformdirs``, e.g.
    ``~/.local/share/melt-course`` on Linux). A path ending in ``.json`` is the file itself;
    any other path is a folder holding ``progress.json`` (or ``progress-<learner>.json`` when
    a learner name is given), so a shared classroom machine can keep one file per student,
    e.g. ``MELT_COURSE_PROGRESS=/srv/class/progress`` and ``open_store(learner="Ada")``.

What it holds
    ``{"format": "melt-course-progress", "schema_version": 1, "learner": {...},
    "created": ..., "records": [...]}`` (``data/schemas/progress.schema.json``). Each record is
    ``{"id", "kind", "time", "data"}``; ``kind`` is one of :data:`KINDS` and ``data`` is
    validated per kind:

    - ``quiz_attempt``: ``question``, ``lesson``, ``answer``, ``correct`` (required);
      ``type``, ``answer_text``, ``attempt``, ``mode``.
    - ``routine_session``: ``routines`` (list of names), ``seconds`` (required);
      ``completed``, ``steps_completed``, ``steps_total``, ``session``, ``note``.
    - ``self_assessment``: ``ratings`` (region -> number 0 to 10; required); ``phase``
      (``"before"``/``"after"``), ``routine``, ``session``, ``note``.

How it is written
    Every change happens under a file lock (``filelock``; a second notebook waits), reads the
    current file, appends, and writes a temporary file in the same folder that is flushed,
    fsync'ed and moved over the old one with ``os.replace`` (atomic): a crash or a kill
    mid-write leaves the previous file intact. A file that cannot be read (bad JSON, wrong
    shape) is moved aside to ``<name>.corrupt-<UTC time>``, never deleted; a warning says
    where, and the new file lists it under ``recovered_from``.

Nothing is read or written until a method needs it; :func:`open_store` touches no file.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import tempfile
import uuid
import warnings
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from melt_course.content.loader import DataError, load_schema, validate
from melt_course.content.schema import iter_issues

__all__ = ["ENV_VAR", "FORMAT", "KINDS", "SCHEMA_VERSION", "ProgressFileRecovered",
           "ProgressStore", "load_export", "open_store", "store_path"]

#: Environment variable naming the progress file or folder.
ENV_VAR = "MELT_COURSE_PROGRESS"
#: Value of the file's ``format`` field.
FORMAT = "melt-course-progress"
#: Version of the file layout this code writes.
SCHEMA_VERSION = 1
#: The kinds of record.
KINDS = ("quiz_attempt", "routine_session", "self_assessment")

_LOCK_TIMEOUT = 30.0


class ProgressFileRecovered(UserWarning):
    """An unreadable progress file was moved aside and a new one started."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    if not slug:
        raise ValueError(f"learner name {name!r} has no letters or digits to name a file by")
    return slug[:60]


def store_path(path: str | os.PathLike | None = None, learner: str | None = None) -> Path:
    """Where a learner's progress file is.

    Parameters
    ----------
    path : str or path-like, optional
        A file (``*.json``) or a folder. Default: ``$MELT_COURSE_PROGRESS``, else the user
        data folder.
    learner : str, optional
        Learner name; in a folder, the file is ``progress-<name>.json`` instead of
        ``progress.json``.

    Returns
    -------
    pathlib.Path
        The file (it need not exist yet).
    """
    target = path if path is not None else (os.environ.get(ENV_VAR) or None)
    if target is None:
        import platformdirs

        folder = platformdirs.user_data_path("melt-course", appauthor=False)
    else:
        given = Path(target).expanduser()
        if given.suffix.lower() == ".json" and not given.is_dir():
            return given
        folder = given
    name = "progress.json" if learner is None else f"progress-{_slug(learner)}.json"
    return folder / name



def _check_data(kind: Any, data: Any) -> dict:
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"record kind {kind!r} is not known; expected one of {list(KINDS)}")
    if not isinstance(data, dict):
        raise ValueError(f"{kind} data {data!r} is not a dict")
    try:
        data = json.loads(json.dumps(data, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{kind} data {data!r} is not plain JSON data ({exc})") from None
    schema = load_schema("progress")
    issue = next(iter_issues(data, schema["$defs"][kind], root=schema), None)
    if issue is not None:
        where = "/".join(str(p) for p in (*issue.path, *filter(None, [issue.missing])))
        field = f"field {where!r}: " if where else ""
        raise ValueError(f"{kind} data is not valid: {field}{issue.message}")
    return data


def load_export(path: str | os.PathLike) -> dict:
    """Read and validate a progress file or export (e.g. one a learner handed in).

    Unlike the store, this never moves a file: a bad file is refused.

    Raises
    ------
    DataError
        Naming the file, when it is missing, not JSON, of a newer version, or invalid.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(str(path), f"not valid JSON (line {exc.lineno}, column "
                        f"{exc.colno}: {exc.msg})") from None
    _check_version(doc, str(path))
    return validate(doc, "progress", str(path))


def _check_version(doc: Any, source: str) -> None:
    if isinstance(doc, dict):
        version = doc.get("schema_version")
        if isinstance(version, int) and not isinstance(version, bool) \
                and version > SCHEMA_VERSION:
            raise DataError(source, f"schema_version {version!r} is newer than this "
                            f"melt-course understands ({SCHEMA_VERSION}); update melt-course")


class ProgressStore:
    """One learner's progress file. Get one with :func:`open_store`.

    Parameters
    ----------
    path : pathlib.Path
        The JSON file (created at the first record).
    learner : str, optional
        The learner's name, saved in the file when it is created (or when it has none).
    clock : callable, optional
        Returns the current time (timezone-aware); for tests.
    """

    def __init__(self, path: Path, learner: str | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        if learner is not None and (not isinstance(learner, str) or not learner.strip()):
            raise ValueError(f"learner {learner!r} must be a non-empty name")
        self.path = Path(path)
        self.learner_name = learner.strip() if learner else None
        self._clock = clock or _now
        self._pending_id = uuid.uuid4().hex  # the learner id, if this store creates the file
        self._lock = FileLock(str(self.path) + ".lock", timeout=_LOCK_TIMEOUT)

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path)!r})"

    # ---------------------------------------------------------------- reading

    def _new_document(self, recovered: list | None = None) -> dict:
        doc = {"format": FORMAT, "schema_version": SCHEMA_VERSION,
               "learner": {"id": self._pending_id, "name": self.learner_name},
               "created": _stamp(self._clock()), "records": []}
        if recovered:
            doc["recovered_from"] = recovered
        return doc

    def _parse(self) -> tuple[dict | None, str | None]:
        """(document, None), (None, None) when there is no file, or (None, reason)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None, None
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return None, f"not valid JSON ({exc})"
        _check_version(doc, str(self.path))
        try:
            validate(doc, "progress", str(self.path))
        except DataError as exc:
            return None, f"not a valid progress file ({exc})"
        return doc, None

    def _move_aside(self, reason: str) -> dict:
        """Rename the unreadable file and start a new document that says so (lock held)."""
        moment = self._clock()
        aside = self.path.with_name(
            f"{self.path.name}.corrupt-{moment.astimezone(timezone.utc):%Y%m%dT%H%M%S%fZ}")
        counter = 1
        while aside.exists():
            aside = aside.with_name(f"{aside.name}-{counter}")
            counter += 1
        os.replace(self.path, aside)
        doc = self._new_document([{"file": aside.name, "time": _stamp(moment),
                                   "reason": reason[:500]}])
        self._write(doc)
        warnings.warn(ProgressFileRecovered(
            f"Your progress file {str(self.path)!r} could not be read: {reason}. It was moved "
            f"to {str(aside)!r} (nothing was deleted) and a new progress file was started. "
            "Show both files to your facilitator if you want the old records back."),
            stacklevel=3)
        return doc

    def _load_locked(self) -> dict:
        doc, problem = self._parse()
        if problem is not None:
            return self._move_aside(problem)
        return doc if doc is not None else self._new_document()

    def _load(self) -> dict:
        doc, problem = self._parse()
        if problem is None:
            return doc if doc is not None else self._new_document()
        with self._locked():
            return self._load_locked()

    def document(self) -> dict:
        """The whole file as a dict (a fresh, empty document when there is no file yet)."""
        return copy.deepcopy(self._load())

    def records(self, kind: str | None = None) -> list[dict]:
        """The records, oldest first, optionally of one kind.

        Raises
        ------
        ValueError
            For an unknown kind.
        """
        if kind is not None and kind not in KINDS:
            raise ValueError(f"record kind {kind!r} is not known; expected one of "
                             f"{list(KINDS)}")
        return [rec for rec in self.document()["records"]
                if kind is None or rec["kind"] == kind]

    @property
    def learner(self) -> dict:
        """``{"id": ..., "name": ...}`` of the file (or of the file about to be created)."""
        return self.document()["learner"]

    # ---------------------------------------------------------------- writing

    @contextlib.contextmanager
    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._lock:
                yield
        except Timeout:
            raise TimeoutError(f"progress file {str(self.path)!r} stayed locked for "
                               f"{_LOCK_TIMEOUT:g} s by another notebook or process; "
                               "try again") from None

    def _write(self, doc: dict) -> None:
        text = json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                   suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename itself durable
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def _claim_learner(self, doc: dict) -> None:
        name = doc["learner"]["name"]
        if self.learner_name is None:
            return
        if name is None:
            doc["learner"]["name"] = self.learner_name
        elif name != self.learner_name:
            raise ValueError(f"progress file {str(self.path)!r} belongs to learner {name!r}, "
                             f"not {self.learner_name!r}; use another file or folder")

    def add_record(self, kind: str, data: dict) -> dict:
        """Append one record, with a timestamp, and save the file.

        Parameters
        ----------
        kind : str
            One of :data:`KINDS`.
        data : dict
            The record's data, valid for its kind (see the module docstring).

        Returns
        -------
        dict
            The record as saved: ``{"id", "kind", "time", "data"}``.

        Raises
        ------
        ValueError
            When the kind is unknown or the data is not valid for it (naming the field),
            or the file belongs to another learner.
        TimeoutError
            When another process holds the lock for too long.
        """
        clean = _check_data(kind, data)
        with self._locked():
            doc = self._load_locked()
            self._claim_learner(doc)
            record = {"id": uuid.uuid4().hex, "kind": kind, "time": _stamp(self._clock()),
                      "data": clean}
            doc["records"].append(record)
            self._write(doc)
        return copy.deepcopy(record)

    def set_learner_name(self, name: str) -> None:
        """Save (or change) the learner's name in the file."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"learner name {name!r} must be a non-empty string")
        with self._locked():
            doc = self._load_locked()
            doc["learner"]["name"] = name.strip()[:100]
            self._write(doc)
        self.learner_name = name.strip()[:100]

    def export(self, out: str | os.PathLike) -> Path:
        """Write a copy of the progress, stamped ``exported_at``, for a facilitator.

        Parameters
        ----------
        out : str or path-like
            The file to write (its folder is created if needed).

        Returns
        -------
        pathlib.Path
            ``out``.
        """
        out = Path(out)
        if out.resolve() == self.path.resolve():
            raise ValueError(f"out={str(out)!r} is the progress file itself; choose another "
                             "file name")
        doc = self.document()
        doc["exported_at"] = _stamp(self._clock())
        validate(doc, "progress", str(out))
        out.parent.mkdir(parents=True, exist_ok=True)
        ProgressStore(out)._write(doc)
        return out


def open_store(path: str | os.PathLike | None = None, learner: str | None = None,
               clock: Callable[[], datetime] | None = None) -> ProgressStore:
    """Open a learner's progress store (no file is touched until it is needed).

    Parameters
    ----------
    path : str or path-like, optional
        File or folder; default ``$MELT_COURSE_PROGRESS``, else the user data folder
        (see :func:`store_path`).
    learner : str, optional
        The learner's name: names the file inside a folder and is saved in the file.
    clock : callable, optional
        Returns the current time (timezone-aware); for tests.

    Returns
    -------
    ProgressStore
        With ``add_record(kind, data) -> dict`` and ``records(kind=None) -> list[dict]``.
    """
    return ProgressStore(store_path(path, learner), learner=learner, clock=clock)
