"""What a browser may say to a lesson's kernel in the app, and what it hears back.

Voilà builds its kernel manager with its own ``allowed_message_types`` (including
``shutdown_request``), which overrides ``--MappingKernelManager.allowed_message_types``, so the
course enforces its own list here, in the kernel websocket connection that ``melt-course app``
gives Voilà (``--Voila.kernel_websocket_connection_class``, see
:func:`melt_course.cli.servers.app_command`):

- incoming: only :data:`~melt_course.cli.servers.ALLOWED_MESSAGES` (the comm messages widgets
  need, and the two info requests the page makes), only on the ``shell`` channel; anything
  else, including a frame that cannot be read, is dropped and logged on the server with its
  type (at most 40 characters). A binary frame announcing more than 64 parts is refused
  before jupyter_server reads it (it would loop over the announced count, up to 2**64,
  blocking the server);
- outgoing: a traceback never reaches the browser. An ``error`` message keeps its place (so a
  widget's output area can say something went wrong) but its name, value and traceback are
  replaced by :data:`ERROR_NOTE`; ``stderr`` output is not sent. Both are logged on the server
  in full, for the facilitator.

Runs inside the Voilà server process (jupyter_server's connection class); no widgets.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from jupyter_client.session import DELIM
from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
)
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from melt_course.cli.servers import ALLOWED_MESSAGES

__all__ = ["ALLOWED_CHANNELS", "ALLOWED_MESSAGES", "ERROR_NOTE", "CourseKernelConnection",
           "incoming_type"]

#: Channels a browser may send on.
ALLOWED_CHANNELS = ("shell",)
#: What an error from the lesson's kernel says in the browser instead of its traceback.
ERROR_NOTE = ("Something went wrong in the lesson's kernel. Reload the page; if it happens "
              "again, tell your facilitator (the details are in the server's log).")

_V1 = "v1.kernel.websocket.jupyter.org"
_MAX_PARTS = 64  # channel, header, parent, metadata, content and buffers


def incoming_type(frame: bytes | str, subprotocol: str | None) -> tuple[str, str]:
    """``(channel, msg_type)`` of a frame a browser sent, in either websocket protocol.

    Raises
    ------
    ValueError
        When the frame cannot be read (it is then dropped).
    """
    try:
        if subprotocol == _V1:
            if not isinstance(frame, bytes) or len(frame) < 8:
                raise ValueError("not a v1 binary frame")
            if not 2 <= int.from_bytes(frame[:8], "little") <= _MAX_PARTS:
                raise ValueError("not a v1 binary frame")  # jupyter_server would loop
            channel, parts = deserialize_msg_from_ws_v1(frame)
            header = json.loads(parts[0])
        else:
            if isinstance(frame, bytes) and not (
                    len(frame) >= 4 and 1 <= int.from_bytes(frame[:4], "big") <= _MAX_PARTS):
                raise ValueError("not a binary frame")  # jupyter_server would allocate it
            msg = deserialize_binary_message(frame) if isinstance(frame, bytes) \
                else json.loads(frame)
            channel = msg.get("channel") or "shell"
            header = msg["header"]
        msg_type = header["msg_type"]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, UnicodeDecodeError,
            struct.error, OverflowError, MemoryError, RecursionError) as exc:
        raise ValueError(f"unreadable frame ({type(exc).__name__})") from None
    if not isinstance(channel, str) or not isinstance(msg_type, str):
        raise ValueError("unreadable frame (channel or type is not text)")
    return channel, msg_type


class CourseKernelConnection(ZMQChannelsWebsocketConnection):
    """The kernel websocket connection of ``melt-course app`` (see the module docstring)."""

    def handle_incoming_message(self, incoming_msg: Any) -> None:
        """Pass on a browser's message only when it is of an allowed type and channel."""
        try:
            channel, msg_type = incoming_type(incoming_msg, self.subprotocol)
        except ValueError as exc:
            self.log.warning("melt-course app: refused a message from a browser: %s", exc)
            return
        if channel not in ALLOWED_CHANNELS or msg_type not in ALLOWED_MESSAGES:
            self.log.warning('melt-course app: refused a "%s" message on the "%s" channel from '
                             "a browser (lessons accept only widget messages)",
                             msg_type[:40], channel[:20])
            return
        super().handle_incoming_message(incoming_msg)

    def handle_outgoing_message(self, stream: Any, outgoing_msg: list) -> None:
        """Pass on the kernel's message, without tracebacks or stderr."""
        try:
            outgoing_msg = self._without_tracebacks(outgoing_msg)
        except Exception:  # never let a filter failure pass a message unfiltered
            self.log.warning("melt-course app: dropped a kernel message that could not be read")
            return
        if outgoing_msg is not None:
            super().handle_outgoing_message(stream, outgoing_msg)

    def _without_tracebacks(self, msg_list: list) -> list | None:
        idents, parts = self.session.feed_identities(msg_list)
        header = json.loads(parts[1])
        msg_type = header.get("msg_type")
        if msg_type not in ("error", "stream"):
            return msg_list
        content = json.loads(parts[4])
        if msg_type == "stream":
            if content.get("name") != "stderr":
                return msg_list
            self.log.warning("melt-course app: kernel stderr (not sent to the browser): %s",
                             str(content.get("text", ""))[:4000])
            return None
        self.log.warning("melt-course app: kernel error (not sent to the browser): %s: %s\n%s",
                         content.get("ename"), content.get("evalue"),
                         "\n".join(map(str, content.get("traceback", [])))[:8000])
        content = {"ename": "Error", "evalue": ERROR_NOTE, "traceback": [ERROR_NOTE]}
        parts = [*parts]
        parts[4] = self.session.pack(content)
        parts[0] = self.session.sign(parts[1:5])
        return [*idents, DELIM, *parts]
