"""Processes and ports, as the tests and the benchmarks read them (Linux: from /proc).

One definition for tests/conftest.py, tests/hub_helpers.py and the benchmarks (which put this
folder on ``sys.path``). Every reader answers for a process that is gone: '' , 0 or False.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

__all__ = ["alive", "cmdline", "cpu_seconds", "free_port", "process_tree", "rss_mb",
           "tree_rss_mb"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stat_fields(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (which may hold spaces)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, parents before their children."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(_stat_fields(int(entry.name))[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def cmdline(pid: int) -> str:
    """A process's command line, arguments separated by spaces ('' when it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        state = _stat_fields(pid)[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB (0 when it is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    return sum(rss_mb(p) for p in process_tree(pid))


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of one process so far (0 when it is gone).

    CPU time only grows, so a sampler keeps ``max(last seen, cpu_seconds(pid))`` to count a
    process that ended between two samples.
    """
    try:
        fields = _stat_fields(pid)
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
