"""A front node answering garbage (issue 23, item 10): every driver error is the 503 naming the node, never a 500.

The node is a real TCP server on 127.0.0.1 speaking as much of the MySQL protocol as each
case needs (none, a handshake, a handshake and a login) and then bytes no SphinxQL node sends.
"""
import json
import socket
import struct
import threading
from contextlib import contextmanager

import pytest

from model.cluster.layout import Front, Layout, Replica, write_layout

from conftest import make_app

# The MySQL protocol's pieces the cases need.
PROTOCOL_VERSION = 10
SERVER_VERSION = b"2.2.11-id64-release\0"
CAPABILITIES = 0xF7FF  # protocol 4.1, secure connection, multi statements among them
UTF8_GENERAL = 33
OK = b"\x00\x00\x00\x02\x00\x00\x00"


def packet(sequence, payload):
    """Return one MySQL packet: its length in three bytes, its sequence number, its payload."""
    return struct.pack("<I", len(payload))[:3] + bytes([sequence]) + payload


def handshake():
    """Return a protocol 10 greeting as a Sphinx node sends it."""
    payload = (bytes([PROTOCOL_VERSION]) + SERVER_VERSION + struct.pack("<I", 1) + b"abcdefgh\0"
               + struct.pack("<HBHH", CAPABILITIES, UTF8_GENERAL, 2, 0x0008) + bytes([21]) + bytes(10)
               + b"ijklmnopqrst\0" + b"mysql_native_password\0")
    return packet(0, payload)


# What the node sends, in turn, for each thing the client sends (None: the connection opening).
CASES = {
    "garbage at once": [b"\xff\x00not mysql at all\x13\x37" * 4],
    "a packet out of sequence after the handshake": [handshake(), packet(7, OK)],
    "a truncated error packet for a query": [handshake(), packet(2, OK), packet(1, b"\xff\x01")],
    "an error no agent is named in": [handshake(), packet(2, OK), packet(1, b"\xff\x28\x04#42000garbage")],
    "a result cut off": [handshake(), packet(2, OK), packet(1, b"\xfe")],
    "a packet out of sequence for a query": [handshake(), packet(2, OK), packet(9, b"\x01")],
}


@contextmanager
def garbage_node(replies):
    """Serve a node on 127.0.0.1 that sends replies in turn (the first on connecting, each next after the client
    speaks) and then closes; yield its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    stopped = threading.Event()

    def answer(connection):
        """Send one connection its replies, reading the client between them."""
        with connection:
            try:
                for number, reply in enumerate(replies):
                    if number:
                        connection.recv(65536)
                    connection.sendall(reply)
                connection.recv(65536)
            except OSError:
                pass

    def serve():
        """Answer every connection until stopped."""
        while not stopped.is_set():
            try:
                connection, _address = listener.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopped.set()
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting (closing alone does not, on Linux)
        listener.close()
        thread.join()


def layout_for(folder, front_port=1, replica_port=1):
    """Write a layout of a front node and one shard of one replica at the SphinxQL ports given; return its path."""
    path = folder / "cluster.json"
    write_layout(Layout(path, Front("front", "127.0.0.1", front_port),
                        ((Replica("node0", "127.0.0.1", replica_port, 2),),)))
    return path


@pytest.mark.parametrize("case", CASES)
def test_a_front_node_answering_garbage_is_a_503_naming_it(tmp_path, case):
    with garbage_node(CASES[case]) as port:
        app = make_app({"TESTING": False, "SEARCH_BACKEND": "cluster", "SEARCH_CLUSTER": str(layout_for(tmp_path, port))})
        client = app.test_client()
        node = f"127.0.0.1:{port}"
        for _round in range(2):  # a broken connection is not used again: the next request says the same
            page = client.get("/search?q=法治")
            assert page.status_code == 503 and "检索集群无法访问" in page.get_data(as_text=True)
            api = client.get("/api/search?q=法治")
            said = json.loads(api.get_data(as_text=True))["error"]
            assert api.status_code == 503 and f"front node {node}" in said, said
            assert "Traceback" not in said
        assert client.get("/export.csv?q=法治").status_code == 503
        assert client.get("/corpus").status_code == 503


@pytest.mark.integration  # cleans a corpus
@pytest.mark.parametrize("case", ["garbage at once", "a truncated error packet for a query"])
def test_a_replica_answering_garbage_is_named_by_the_push_and_left_behind(corpus, tmp_path, case):
    from indexer.push import push
    from model.cluster.layout import read_layout
    from search.cluster.local import free_ports, start_node, stop_process, write_configs
    from conftest import quiet
    with garbage_node(CASES[case]) as port:
        # A real front node, which the push marks before it writes (model/cluster/stamp.py).
        layout = read_layout(layout_for(tmp_path, front_port=free_ports(1)[0], replica_port=port))
        write_configs(layout)
        front = start_node(layout, "front", tied=True)
        try:
            summary = push(corpus, layout.path, warn=quiet)
        finally:
            stop_process(front.pid)
    assert summary.unreachable == [f"node0 (127.0.0.1:{port}, shard 0)"]
    assert "NOT UPDATED" in summary.line() and not summary.settled


@pytest.mark.integration  # cleans a corpus
def test_a_push_whose_front_node_does_not_answer_is_refused_naming_it(corpus, tmp_path):
    from indexer.push import FrontUnmarked, push
    from conftest import quiet
    with garbage_node(CASES["garbage at once"]) as port:
        with pytest.raises(FrontUnmarked, match=f"front node front \\(127.0.0.1:{port}\\)"):
            push(corpus, layout_for(tmp_path, front_port=port, replica_port=port), warn=quiet)
