"""The tests' kernel websocket codec agrees with Jupyter Server's own v1 protocol code."""

import json

from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from kernel_ws import decode, encode


def test_a_frame_we_send_is_what_jupyter_server_reads():
    frame = encode("comm_msg", {"comm_id": "c1", "data": {"method": "update", "x": "é"}},
                   "session-1", msg_id="m1", channel="control", metadata={"version": "2"})
    channel, parts = deserialize_msg_from_ws_v1(frame)
    header, parent, metadata, content = (json.loads(p) for p in parts)
    assert channel == "control"
    assert (header["msg_id"], header["msg_type"], header["session"]) == ("m1", "comm_msg",
                                                                        "session-1")
    assert header["date"].endswith("Z") and header["version"] == "5.3"
    assert (parent, metadata) == ({}, {"version": "2"})
    assert content == {"comm_id": "c1", "data": {"method": "update", "x": "é"}}


def test_a_frame_jupyter_server_sends_decodes_with_its_buffers():
    msg = [json.dumps(x).encode() for x in (
        {"msg_id": "r1", "msg_type": "comm_msg"}, {"msg_id": "m1"}, {}, {"comm_id": "img"})]
    frame = serialize_msg_to_ws_v1([*msg, b"\x89PNG", b"more"], "iopub")
    got = decode(frame)
    assert got["channel"] == "iopub" and got["_nbuffers"] == 2
    assert got["header"]["msg_id"] == "r1" and got["parent_header"] == {"msg_id": "m1"}
    assert got["content"] == {"comm_id": "img"}
    assert decode(serialize_msg_to_ws_v1(msg, "shell"))["_nbuffers"] == 0


def test_each_message_gets_its_own_id_unless_given():
    ids = {decode(encode("kernel_info_request", {}, "s"))["header"]["msg_id"] for _ in range(5)}
    assert len(ids) == 5
