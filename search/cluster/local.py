"""A cluster on this machine, for tests and demos: two shard nodes, a mirror of both and a front node.

    python -m search.cluster.local start [--folder DIR] [--shards N]   # prints the layout's path
    python -m search.cluster.local stop LAYOUT

Every node is Debian's searchd (package sphinxsearch) listening on free loopback ports, with
its configuration, data and logs in one folder (a new temporary folder by default). Tests use
LocalCluster, which stops every node it started, by its process id, however the test ends.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from model.cluster.layout import HA_STRATEGY, Front, Layout, Replica, read_layout, write_layout
from model.cluster.schema import node_config, node_names

SEARCHD = "searchd"
LAYOUT_FILE = "cluster.json"
HOST = "127.0.0.1"
FRONT, MIRROR = "front", "mirror"
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10


def free_ports(count):
    """Return count loopback ports that are free now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def local_layout(folder, shards=2, mirror=True):
    """Return the layout of a cluster in folder: a node per shard, one mirror node holding every shard, a front node."""
    ports = iter(free_ports(1 + 2 * shards + (1 + shards if mirror else 0)))
    front = Front(FRONT, HOST, next(ports))
    mirror_sql = next(ports) if mirror else None
    replicas = []
    for number in range(shards):
        own = [Replica(f"node{number}", HOST, next(ports), next(ports))]
        if mirror:
            own.append(Replica(MIRROR, HOST, mirror_sql, next(ports)))
        replicas.append(tuple(own))
    return Layout(Path(folder) / LAYOUT_FILE, front, tuple(replicas), HA_STRATEGY)


def node_folder(layout, node):
    """Return the folder of one node of a local cluster: its configuration, data and logs."""
    return Path(layout.path).parent / node


def write_configs(layout):
    """Write the layout and every node's sphinx.conf beside it; return {node: configuration path}."""
    write_layout(layout)
    paths = {}
    for node in node_names(layout):
        folder = node_folder(layout, node)
        folder.mkdir(parents=True, exist_ok=True)
        paths[node] = folder / "sphinx.conf"
        paths[node].write_text(node_config(layout, node, folder), encoding="utf-8")
    return paths


def sql_address(layout, node):
    """Return the (host, SphinxQL port) of a node."""
    if node == layout.front.node:
        return layout.front.host, layout.front.sql_port
    replica = layout.nodes()[node][0][1]
    return replica.host, replica.sql_port


def wait_listening(address, process, timeout=START_TIMEOUT_S):
    """Wait until a node accepts connections; raises RuntimeError when it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"searchd at {address[0]}:{address[1]} exited with status {process.returncode}")
        try:
            socket.create_connection(address, timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"searchd at {address[0]}:{address[1]} did not start within {timeout} s")


def die_with_parent():
    """Ask Linux to stop this (child) process when its parent dies, so that a killed test run leaves no node behind."""
    import ctypes
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_node(layout, node, tied=False):
    """Start one node's searchd in the foreground of a new session; return its process once it listens.

    tied: the node stops when the process that started it dies (tests), instead of living on (make cluster).
    """
    if shutil.which(SEARCHD) is None:
        raise RuntimeError("searchd is missing: install Debian's sphinxsearch (make cluster does, with apt)")
    folder = node_folder(layout, node)
    log = open(folder / "console.log", "ab")
    process = subprocess.Popen([SEARCHD, "--config", str(folder / "sphinx.conf"), "--nodetach"],
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True, cwd=folder, preexec_fn=die_with_parent if tied else None)
    log.close()
    try:
        wait_listening(sql_address(layout, node), process)
    except RuntimeError:
        stop_process(process.pid, signal.SIGKILL)
        raise
    return process


def stop_process(pid, how=signal.SIGTERM, timeout=STOP_TIMEOUT_S):
    """Stop one process by its id and wait until it is gone (SIGKILL after timeout)."""
    try:
        os.kill(pid, how)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            finished, _status = os.waitpid(pid, os.WNOHANG)
            if finished:
                return
        except ChildProcessError:
            # Not our child (started by another command): gone once it no longer exists.
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


class LocalCluster:
    """A local cluster whose nodes this object started, stopped by process id when it closes."""

    def __init__(self, folder=None, shards=2, mirror=True, tied=True):
        folder = Path(folder or tempfile.mkdtemp(prefix="sphinx-cluster-"))
        self.tied = tied
        self.layout = local_layout(folder, shards, mirror)
        write_configs(self.layout)
        self.processes = {}

    def start(self, nodes=None):
        """Start the given nodes (all, shard nodes first, by default); return the layout."""
        try:
            for node in nodes or node_names(self.layout):
                self.processes[node] = start_node(self.layout, node, self.tied)
        except BaseException:
            self.stop()
            raise
        return self.layout

    def kill(self, node):
        """Kill one node at once (SIGKILL), as a crash would."""
        process = self.processes.pop(node)
        stop_process(process.pid, signal.SIGKILL)

    def stop(self):
        """Stop every node this object started."""
        while self.processes:
            _node, process = self.processes.popitem()
            stop_process(process.pid)

    def __enter__(self):
        """Start every node."""
        self.start()
        return self

    def __exit__(self, *_exc):
        """Stop every node."""
        self.stop()


def stop_folder(layout):
    """Stop the nodes of a local cluster started by another command, by the process ids in their pid files."""
    for node in node_names(layout):
        pid_file = node_folder(layout, node) / "searchd.pid"
        if pid_file.is_file():
            pid = int(pid_file.read_text().strip() or 0)
            if pid:
                stop_process(pid)
                print(f"stopped {node} (process {pid})")


def main(argv=None):
    """Start or stop a local cluster; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m search.cluster.local", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="start a local cluster and print its layout's path")
    start.add_argument("--folder", help="folder of the cluster (default: a new temporary folder)")
    start.add_argument("--shards", type=int, default=2, help="shard nodes (default 2), each mirrored on one mirror node")
    stop = commands.add_parser("stop", help="stop the nodes of a local cluster")
    stop.add_argument("layout", help=f"the cluster's {LAYOUT_FILE}")
    args = parser.parse_args(argv)
    if args.command == "stop":
        stop_folder(read_layout(args.layout))
        return 0
    cluster = LocalCluster(args.folder, args.shards, tied=False)
    try:
        cluster.start()
    except RuntimeError as error:
        print(f"cluster: {error}", file=sys.stderr)
        return 1
    for node, process in cluster.processes.items():
        print(f"started {node} (process {process.pid})", file=sys.stderr)
    print(cluster.layout.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
