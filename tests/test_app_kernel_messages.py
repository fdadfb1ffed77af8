"""The app's kernels hear only widget messages from a browser, and never send it a traceback.

Checked over a real ``melt-course app`` server's kernel websocket, as a page (or anyone with the
token) would talk to it: every message type the Jupyter messaging protocol defines, on the shell
and the control channel, plus unreadable frames; and a malformed widget update.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid

import pytest
from kernel_ws import SUBPROTOCOL, decode, encode

from melt_course.cli import servers

#: Every message type of the Jupyter messaging protocol (5.4), requests, replies and iopub.
PROTOCOL_MESSAGES = (
    # shell
    "execute_request", "execute_reply", "inspect_request", "inspect_reply", "complete_request",
    "complete_reply", "history_request", "history_reply", "is_complete_request",
    "is_complete_reply", "connect_request", "connect_reply", "comm_info_request",
    "comm_info_reply", "kernel_info_request", "kernel_info_reply",
    # control
    "shutdown_request", "shutdown_reply", "interrupt_request", "interrupt_reply",
    "debug_request", "debug_reply",
    # iopub
    "stream", "display_data", "update_display_data", "execute_input", "execute_result",
    "error", "status", "clear_output", "debug_event",
    # stdin
    "input_request", "input_reply",
    # comms (shell and iopub)
    "comm_open", "comm_msg", "comm_close",
)
CHANNELS = ("shell", "control", "stdin")


def _content(msg_type: str, marker) -> dict:
    code = f"open({str(marker)!r}, 'w').write('code ran')"
    return {
        "execute_request": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False,
                            "stop_on_error": True},
        "shutdown_request": {"restart": False},
        "comm_open": {"comm_id": uuid.uuid4().hex, "target_name": "no-such-target",
                      "data": {}},
        "comm_msg": {"comm_id": uuid.uuid4().hex, "data": {}},
        "comm_close": {"comm_id": uuid.uuid4().hex, "data": {}},
        "input_reply": {"value": code},
    }.get(msg_type, {})


def _frame(channel: str, msg_type: str, content: dict, session: str, msg_id: str) -> bytes:
    return encode(msg_type, content, session, msg_id=msg_id, channel=channel)


def _open_lesson(server, notebook="00_start_here.ipynb"):
    import websocket

    with urllib.request.urlopen(server.render_url(notebook), timeout=600) as resp:
        page = resp.read().decode()
    kernel = re.search(r'kernelId": "([0-9a-f-]{36})"', page).group(1)
    session = uuid.uuid4().hex
    ws = websocket.create_connection(
        f"{server.url.replace('http', 'ws', 1)}/api/kernels/{kernel}/channels"
        f"?session_id={session}&token={server.token}", timeout=120,
        subprotocols=[SUBPROTOCOL])
    return page, ws, session


def _until_reply(ws, reply_to: str, limit: float = 120.0) -> list[dict]:
    """Every message received until the reply to ``reply_to`` (a msg_id)."""

    seen = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        msg = decode(ws.recv())
        seen.append(msg)
        if msg["parent_header"].get("msg_id") == reply_to and \
                msg["header"]["msg_type"].endswith("_reply"):
            return seen
    raise AssertionError(f"no reply to {reply_to} within {limit} s")


def test_only_widget_messages_reach_a_lessons_kernel(voila_server, tmp_path):
    """Every protocol message type on every channel a browser can send on: the course's five
    on shell pass, everything else is refused (logged), the kernel keeps running and runs no
    code."""
    marker = tmp_path / "ran.txt"
    _, ws, session = _open_lesson(voila_server)
    sent = []
    try:
        for channel in CHANNELS:
            for msg_type in PROTOCOL_MESSAGES:
                msg_id = f"{channel}-{msg_type}-{uuid.uuid4().hex[:8]}"
                ws.send_binary(_frame(channel, msg_type, _content(msg_type, marker), session,
                                      msg_id))
                sent.append((channel, msg_type))
        ws.send_binary(b"\x01\x00\x00\x00\x00\x00\x00\x00garbage")  # unreadable frames
        ws.send_binary(b"")
        ws.send_binary(b"\xff" * 64)  # 2**64 parts: would block the server's event loop
        probe = f"alive-{uuid.uuid4().hex}"
        ws.send_binary(_frame("shell", "kernel_info_request", {}, session, probe))
        replies = _until_reply(ws, probe)
    finally:
        ws.close()
    got = {m["header"]["msg_type"] for m in replies}
    assert "execute_reply" not in got and "execute_input" not in got and "shutdown_reply" \
        not in got
    assert "comm_info_reply" in got  # an allowed request was answered
    assert not marker.exists()
    log = voila_server.log_text()
    refused = {(c, t) for c, t in sent
               if f'refused a "{t}" message on the "{c}" channel' in log}
    allowed = {(c, t) for c, t in sent
               if c in ("shell",) and t in servers.ALLOWED_MESSAGES}
    assert refused == set(sent) - allowed
    assert allowed == {("shell", t) for t in servers.ALLOWED_MESSAGES}
    assert log.count("refused a message from a browser: unreadable frame") >= 3
    # the kernel still runs: the page's widgets still work after all that
    _, ws2, session2 = _open_lesson(voila_server)
    try:
        probe = f"again-{uuid.uuid4().hex}"
        ws2.send_binary(_frame("shell", "kernel_info_request", {}, session2, probe))
        assert _until_reply(ws2, probe)
    finally:
        ws2.close()
    print(f"message types x channels sent: {len(sent)}; refused: {len(refused)}; "
          f"passed: {len(allowed)}")


def _widget_ids(page: str, model: str) -> list[str]:
    state = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>',
                      page, re.S)
    if state:
        models = json.loads(state.group(1))["state"]
        return [mid for mid, m in models.items() if m.get("model_name") == model]
    return re.findall(r'"model_id": "([0-9a-f]{32})"', page)


@pytest.mark.parametrize("state", [{"value": "not a number"}, {"no_such_trait": 1},
                                   {"layout": "IPY_MODEL_doesnotexist"}])
def test_a_malformed_widget_update_sends_no_traceback_to_the_browser(voila_server, state):
    page, ws, session = _open_lesson(voila_server)
    ids = _widget_ids(page, "FloatSliderModel") or _widget_ids(page, "IntSliderModel") \
        or re.findall(r'"model_id": "([0-9a-f]{32})"', page)
    assert ids, "the start lesson shows no widget to update"
    try:
        for model_id in ids[:3]:
            ws.send_binary(_frame("shell", "comm_msg", {
                "comm_id": model_id, "data": {"method": "update", "state": state,
                                              "buffer_paths": []}},
                session, uuid.uuid4().hex))
        probe = f"after-{uuid.uuid4().hex}"
        ws.send_binary(_frame("shell", "kernel_info_request", {}, session, probe))
        received = _until_reply(ws, probe)
        time.sleep(1.0)  # stray output after the reply
        ws.settimeout(2)
        try:

            while True:
                received.append(decode(ws.recv()))
        except Exception:  # the timeout ends the wait
            pass
    finally:
        ws.close()
    text = json.dumps([m["content"] for m in received])
    assert "Traceback" not in text and "site-packages" not in text and 'File \\"' not in text
    assert str(voila_server.root) not in text
    assert not [m for m in received if m["header"]["msg_type"] == "stream"
                and m["content"].get("name") == "stderr"]


def test_the_app_gives_voila_the_courses_connection_class(tmp_path):
    from melt_course.cli.app_kernel import CourseKernelConnection

    cmd = servers.app_command(tmp_path, 9123, "secret-token", lan=False)
    flags = [a for a in cmd if a.startswith("--Voila.kernel_websocket_connection_class=")]
    assert flags == [f"--Voila.kernel_websocket_connection_class={servers.KERNEL_CONNECTION}"]
    module, _, name = servers.KERNEL_CONNECTION.rpartition(".")
    assert getattr(__import__(module, fromlist=[name]), name) is CourseKernelConnection
    # Voila's own list, which overrides --MappingKernelManager.allowed_message_types, is
    # not relied on
    assert not [a for a in cmd if "allowed_message_types" in a]


@pytest.mark.parametrize("frame", [b"", b"\x00" * 7, b"\x05" + b"\x00" * 7 + b"xx", "{}",
                                   '{"header": 5}', "not json", b"\xff" * 64,
                                   b"\x7f\xff\xff\xff" + b"\x00" * 60])
def test_unreadable_frames_are_named_errors(frame):
    from melt_course.cli.app_kernel import incoming_type

    for protocol in ("v1.kernel.websocket.jupyter.org", None):
        with pytest.raises(ValueError, match="unreadable frame"):
            incoming_type(frame, protocol)
