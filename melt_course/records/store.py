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
    Every change happens under a file lock (``filelock``; a second notebook waits). A file
    smaller than 256 KB (:data:`APPEND_ABOVE`) is rewritten whole: a temporary file in the same
    folder is written, flushed, fsync'ed and moved over the old one with ``os.replace``
    (atomic): a crash or a kill mid-write leaves the previous file intact. A bigger file is not
    rewritten per record: each record is appended, as one line, to ``<name>.log`` beside it
    (fsync'ed; an append cut short by a kill is an unfinished last line, which is ignored and
    cut off before the next append), and the log is folded into the file (the same atomic
    rewrite) once it holds a quarter of the file's size, so the work per record stays
    proportional to the record. Records carry unique ids, so a kill between the rewrite and
    the log's removal only leaves duplicates that reading drops. Readers (and
    :func:`load_export`) merge the file and its log.

    A file that cannot be read (bad JSON, wrong shape, nested too deeply, absurd numbers) is
    moved aside to ``<name>.corrupt-<UTC time>``, never deleted; a warning says where, and the
    new file lists it under ``recovered_from``; a log with a bad line is moved aside the same
    way, after its good records are kept. A file of a newer ``schema_version`` or bigger than
    :data:`MAX_FILE_BYTES` is refused and left as it is. A UTF-8 byte-order mark is accepted.
    The lock file must not be a symbolic link (``filelock`` 3.20.1 and later refuse one).

Nothing is read or written until a method needs it; :func:`open_store` touches no file.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import json
import numbers
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

from melt_course.content.loader import DataError, load_schema, parse_json, validate
from melt_course.content.schema import brief, iter_issues

__all__ = [
    "APPEND_ABOVE",
    "ENV_VAR",
    "FORMAT",
    "KINDS",
    "MAX_FILE_BYTES",
    "SCHEMA_VERSION",
    "ProgressFileRecovered",
    "ProgressStore",
    "check_export",
    "load_export",
    "open_store",
    "read_limited",
    "store_path",
]

#: Environment variable naming the progress file or folder.
ENV_VAR = "MELT_COURSE_PROGRESS"
#: Value of the file's ``format`` field.
FORMAT = "melt-course-progress"
#: Version of the file layout this code writes.
SCHEMA_VERSION = 1
#: The kinds of record.
KINDS = ("quiz_attempt", "routine_session", "self_assessment")

#: Biggest progress file (or export) read, in bytes; a bigger one is refused, not changed.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Files at least this big get new records appended to a log instead of being rewritten.
APPEND_ABOVE = 256 * 1024

_LOCK_TIMEOUT = 30.0
_HEAD_BYTES = 64 * 1024


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
        raise ValueError(f"record kind {brief(kind)} is not known; expected one of {list(KINDS)}")
    if not isinstance(data, dict):
        raise ValueError(f"{kind} data {brief(data)} is not a dict")
    try:
        data = parse_json(json.dumps(data, allow_nan=False), f"{kind} data")
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"{kind} data {brief(data)} is not plain JSON data "
                         f"({brief(str(exc), 200)[1:-1]})") from None
    schema = load_schema("progress")
    issue = next(iter_issues(data, schema["$defs"][kind], root=schema), None)
    if issue is not None:
        where = "/".join(str(p) for p in (*issue.path, *filter(None, [issue.missing])))
        field = f"field {where!r}: " if where else ""
        raise ValueError(f"{kind} data is not valid: {field}{issue.message}")
    return data


def read_limited(path: str | os.PathLike) -> bytes:
    """A progress file's (or export's) bytes.

    Raises
    ------
    DataError
        Naming the file, when it cannot be read or is bigger than :data:`MAX_FILE_BYTES`.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise DataError(str(path), f"is {size / 1e6:.0f} MB; a progress file or export "
                                f"may be at most {MAX_FILE_BYTES / 1e6:.0f} MB (nothing was "
                                "changed)")
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DataError(str(path), f"cannot be read ({exc.strerror or exc})") from None


def _log_of(path: Path) -> Path:
    return path.with_name(path.name + ".log")


def _read_log(log: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[list[dict], list[str]]:
    """The records of a progress file's log, and a description of each bad line.

    An unfinished last line (an append cut short) is not a record and not a problem.
    """
    try:
        raw = read_limited(log)
    except DataError as exc:
        if isinstance(exc.__context__, FileNotFoundError) or not log.exists():
            return [], []
        return [], [str(exc)]
    schema = load_schema("progress")
    records, problems = [], []
    for number, line in enumerate(raw[:raw.rfind(b"\n") + 1].splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = parse_json(line, f"line {number}")
        except DataError as exc:
            problems.append(str(exc))
            continue
        issue = next(iter_issues(record, schema["$defs"]["record"], root=schema), None)
        if issue is not None:
            problems.append(f"line {number}: not a valid record ({issue.message})")
        else:
            records.append(record)
    return records, problems


def _merge(doc: dict, records: list[dict]) -> dict:
    """``doc`` with the log's records appended (those already in it dropped)."""
    if records:
        known = {rec["id"] for rec in doc["records"]}
        doc["records"].extend(rec for rec in records if rec["id"] not in known
                              and not known.add(rec["id"]))
    return doc


def check_export(doc: Any, path: str | os.PathLike) -> dict:
    """Check a parsed progress file or export and merge its log (see :func:`load_export`).

    Raises
    ------
    DataError
        Naming ``path``, when the document is of a newer version or invalid, or its log has
        a bad line.
    """
    path = Path(path)
    _check_version(doc, str(path))
    validate(doc, "progress", str(path))
    records, problems = _read_log(_log_of(path))
    if problems:
        raise DataError(str(_log_of(path)), f"has {len(problems)} bad line(s): {problems[0]}")
    return _merge(doc, records)


def load_export(path: str | os.PathLike) -> dict:
    """Read and validate a progress file or export (e.g. one a learner handed in).

    Unlike the store, this never moves a file: a bad file is refused. A progress file's log
    (``<name>.log`` beside it, see the module docstring) is merged when there is one.

    Raises
    ------
    DataError
        Naming the file, when it is missing, too big, not JSON, of a newer version, or invalid.
    """
    return check_export(parse_json(read_limited(path), str(path)), path)


def _check_version(doc: Any, source: str) -> None:
    if isinstance(doc, dict):
        version = doc.get("schema_version")
        if isinstance(version, numbers.Real) and not isinstance(version, bool) \
                and version > SCHEMA_VERSION:
            raise DataError(source, f"schema_version {brief(version)} is newer than this "
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
        self._log = _log_of(self.path)
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
        """(document, None), (None, None) when there is no file, or (None, reason).

        Raises DataError, leaving the file as it is, when it is too big or of a newer version.
        """
        if not self.path.exists():
            return None, None
        raw = read_limited(self.path)
        try:
            doc = parse_json(raw, str(self.path))
        except DataError as exc:
            return None, str(exc).removeprefix(f"{self.path}: ")
        _check_version(doc, str(self.path))
        try:
            validate(doc, "progress", str(self.path))
        except DataError as exc:
            return None, f"not a valid progress file ({str(exc).removeprefix(f'{self.path}: ')})"
        return doc, None

    def _aside_name(self, path: Path, moment: datetime) -> Path:
        aside = path.with_name(
            f"{path.name}.corrupt-{moment.astimezone(timezone.utc):%Y%m%dT%H%M%S%fZ}")
        counter = 1
        while aside.exists():
            aside = aside.with_name(f"{aside.name}-{counter}")
            counter += 1
        return aside

    def _move_aside(self, reason: str) -> dict:
        """Rename the unreadable file and start a new document that says so (lock held)."""
        moment = self._clock()
        aside = self._aside_name(self.path, moment)
        os.replace(self.path, aside)
        reason = brief(reason, 300)[1:-1]
        doc = self._new_document([{"file": aside.name, "time": _stamp(moment),
                                   "reason": reason}])
        self._write(doc)
        self._warn(self.path, reason, aside)
        return doc

    @staticmethod
    def _warn(path: Path, reason: str, aside: Path) -> None:
        warnings.warn(ProgressFileRecovered(
            f"Your progress file {str(path)!r} could not be read: {reason}. It was moved "
            f"to {str(aside)!r} (nothing was deleted) and a new progress file was started. "
            "Show both files to your facilitator if you want the old records back."),
            stacklevel=4)

    def _load_locked(self) -> dict:
        """The document with its log merged; bad files moved aside, the log folded in when it
        had a bad line (lock held)."""
        doc, problem = self._parse()
        if problem is not None:
            doc = self._move_aside(problem)
        doc = doc if doc is not None else self._new_document()
        records, problems = _read_log(self._log)
        _merge(doc, records)
        if problems:
            moment = self._clock()
            aside = self._aside_name(self._log, moment)
            os.replace(self._log, aside)
            reason = brief(f"{len(problems)} bad line(s), e.g. {problems[0]}", 300)[1:-1]
            doc.setdefault("recovered_from", []).append(
                {"file": aside.name, "time": _stamp(moment), "reason": reason})
            self._write(doc)
            warnings.warn(ProgressFileRecovered(
                f"Part of your progress file's log {str(self._log)!r} could not be read "
                f"({reason}). Its good records were kept; the log was moved to {str(aside)!r} "
                "(nothing was deleted)."), stacklevel=3)
        return doc

    def _load(self) -> dict:
        doc, problem = self._parse()
        records, problems = _read_log(self._log)
        if problem is None and not problems:
            return _merge(doc, records) if doc is not None else \
                _merge(self._new_document(), records)
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
        lock = Path(self._lock.lock_file)
        refused = OSError(errno.ELOOP, f"the lock file {str(lock)!r} is a symbolic link; the "
                          "progress store will not lock through one (that could damage the "
                          "file it points to). Remove the link and try again")
        if lock.is_symlink():
            raise refused
        try:
            self._lock.acquire()
        except Timeout:
            raise TimeoutError(f"progress file {str(self.path)!r} stayed locked for "
                               f"{_LOCK_TIMEOUT:g} s by another notebook or process; "
                               "try again") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise refused from None
            raise
        try:
            yield
        finally:
            self._lock.release()

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
            size = self._append_size()
            if size is None:
                doc = self._load_locked()
                self._claim_learner(doc)
                record = self._new_record(kind, clean)
                doc["records"].append(record)
                self._write(doc)
                self._drop_log()
            else:
                record = self._new_record(kind, clean)
                self._append(record)
                if self._log.stat().st_size > size // 4:
                    self._write(self._load_locked())
                    self._drop_log()
        return copy.deepcopy(record)

    def _new_record(self, kind: str, data: dict) -> dict:
        return {"id": uuid.uuid4().hex, "kind": kind, "time": _stamp(self._clock()),
                "data": data}

    def _drop_log(self) -> None:
        """Remove the log after its records were written into the file (lock held)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._log)

    def _append_size(self) -> int | None:
        """The file's size when a record may be appended to its log without reading the file:
        it is big enough, and its head (format, version, learner) is as this code writes it
        and fits this store. None: load and rewrite the whole file (lock held)."""
        try:
            with open(self.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size < APPEND_ABOVE:
                    return None
                head = handle.read(_HEAD_BYTES).decode("utf-8-sig", errors="replace")
        except FileNotFoundError:
            return None
        members = _head_members(head)
        if members is None or members.get("format") != FORMAT:
            return None
        _check_version(members, str(self.path))
        learner = members.get("learner")
        if members.get("schema_version") != SCHEMA_VERSION or not isinstance(learner, dict):
            return None
        if self.learner_name is not None and learner.get("name") != self.learner_name:
            return None  # claimed, or refused, by the full path
        log_size = self._log.stat().st_size if self._log.exists() else 0
        if size + log_size > MAX_FILE_BYTES:
            raise DataError(str(self.path), f"and its log hold {(size + log_size) / 1e6:.0f} "
                            f"MB; a progress file may be at most {MAX_FILE_BYTES / 1e6:.0f} MB. "
                            "Export it for your facilitator and start a new one (nothing was "
                            "changed)")
        return size

    def _append(self, record: dict) -> None:
        """Append one record to the log as a line, durably (lock held)."""
        line = (json.dumps(record, ensure_ascii=False, allow_nan=False,
                           separators=(",", ":")) + "\n").encode("utf-8")
        fd = os.open(self._log, os.O_RDWR | os.O_CREAT | os.O_APPEND
                     | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            end = os.lseek(fd, 0, os.SEEK_END)
            if end and os.pread(fd, 1, end - 1) != b"\n":  # an append was cut short: cut it off
                start = max(0, end - 1024 * 1024)
                tail = os.pread(fd, end - start, start)
                os.ftruncate(fd, start + tail.rfind(b"\n") + 1 if b"\n" in tail else start)
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)

    def set_learner_name(self, name: str) -> None:
        """Save (or change) the learner's name in the file."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"learner name {brief(name)} must be a non-empty string")
        with self._locked():
            doc = self._load_locked()
            doc["learner"]["name"] = name.strip()[:100]
            self._write(doc)
            self._drop_log()
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


def _head_members(text: str) -> dict | None:
    """The top-level members of a JSON object that come before its ``"records"``, read from
    the start of the text (None when it does not look like that)."""
    decoder = json.JSONDecoder(parse_constant=lambda name: None)
    ws = re.compile(r"[ \t\n\r]*")
    pos = ws.match(text, 0).end()
    if not text.startswith("{", pos):
        return None
    members: dict = {}
    pos += 1
    try:
        while True:
            pos = ws.match(text, pos).end()
            key, pos = decoder.raw_decode(text, pos)
            pos = ws.match(text, pos).end()
            if not isinstance(key, str) or not text.startswith(":", pos):
                return None
            if key == "records":
                return members
            value, pos = decoder.raw_decode(text, ws.match(text, pos + 1).end())
            members[key] = value
            pos = ws.match(text, pos).end()
            if not text.startswith(",", pos):
                return None
            pos += 1
    except (ValueError, RecursionError):
        return None


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
