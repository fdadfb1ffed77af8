"""Kernel messages as a lesson page sends and receives them: Jupyter's v1 kernel websocket
protocol (``v1.kernel.websocket.jupyter.org``), one binary frame a message.

A frame is: the number of offsets (8 bytes, little-endian), the offsets (8 bytes each), then
the parts they point at: the channel name, header, parent header, metadata, content (JSON),
and any buffers. One definition for the tests (app, hub, kernel messages) and the load
benchmarks (which put this folder on ``sys.path``).
"""

from __future__ import annotations

import json
import struct
import time
import uuid

__all__ = ["SUBPROTOCOL", "decode", "encode"]

#: The websocket subprotocol JupyterLab's and Voilà's pages ask for.
SUBPROTOCOL = "v1.kernel.websocket.jupyter.org"

_NAMES = ("header", "parent_header", "metadata", "content")


def encode(msg_type: str, content: dict, session: str, *, msg_id: str | None = None,
           channel: str = "shell", metadata: dict | None = None,
           username: str = "test") -> bytes:
    """One message as a v1 websocket frame (no buffers).

    ``msg_id`` defaults to a fresh random id; read it back with ``decode(frame)["header"]``.
    """
    header = {"msg_id": msg_id or uuid.uuid4().hex, "msg_type": msg_type, "session": session,
              "username": username, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "version": "5.3"}
    parts = [channel.encode(),
             *(json.dumps(x).encode() for x in (header, {}, metadata or {}, content))]
    offsets, position = [], 8 * (len(parts) + 2)
    for part in parts:
        offsets.append(position)
        position += len(part)
    offsets.append(position)  # end of the last part: no buffers follow
    return struct.pack(f"<Q{len(offsets)}Q", len(offsets), *offsets) + b"".join(parts)


def decode(frame: bytes) -> dict:
    """A message from a v1 websocket frame: ``header``, ``parent_header``, ``metadata``,
    ``content``, ``channel`` and ``_nbuffers`` (how many non-empty buffers followed)."""
    count = struct.unpack("<Q", frame[:8])[0]
    offsets = [*struct.unpack(f"<{count}Q", frame[8:8 + 8 * count]), len(frame)]
    parts = [frame[offsets[i]:offsets[i + 1]] for i in range(count)]
    msg = {name: json.loads(part) for name, part in zip(_NAMES, parts[1:5], strict=True)}
    msg["channel"] = parts[0].decode()
    msg["_nbuffers"] = sum(1 for part in parts[5:] if part)
    return msg
