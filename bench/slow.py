"""Slow clients: sockets holding connections to the server open by trickling header bytes.

Each client opens a connection, sends the start of a request one byte every
TRICKLE_SECONDS and never ends its headers; when the server cuts it off (with a 408 or
by closing), it connects again at once, so the server faces that many of them for the
whole run. They are what took the site down in issue 13: a worker thread reading such a
request's headers is held until the client stops.
"""
import socket
import threading
from dataclasses import dataclass, field

TRICKLE_SECONDS = 1.0
CONNECT_TIMEOUT_S = 5.0
# A request that never ends: a request line, then one header line growing forever.
START = b"GET /api/search?q=%E6%B3%95%E6%B2%BB HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: "
FILLER = b"a"


@dataclass
class SlowTally:
    """What the slow clients saw: connections opened, and how the server ended them."""

    opened: int = 0
    answered_408: int = 0
    closed: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, name):
        """Add one to a counter."""
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)

    def summary(self):
        """Return the counts as a dict."""
        return {"opened": self.opened, "answered_408": self.answered_408, "closed": self.closed,
                "refused": self.refused}


def trickle_once(host, port, stop, tally, interval):
    """Hold one connection by trickling bytes until the server ends it or stop is set."""
    try:
        sock = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S)
    except OSError:
        tally.count("refused")
        stop.wait(interval)
        return
    tally.count("opened")
    sent = 0
    with sock:
        sock.settimeout(interval)
        try:
            while not stop.is_set():
                sock.sendall(START[sent:sent + 1] if sent < len(START) else FILLER)
                sent += 1
                try:
                    answer = sock.recv(1024)  # waits one interval for the server to end it
                except socket.timeout:
                    continue
                tally.count("answered_408" if answer.startswith(b"HTTP/1.1 408") else "closed")
                return
        except OSError:
            tally.count("closed")


class SlowClients:
    """n slow clients, started on entry and stopped on exit; tally counts what they saw."""

    def __init__(self, host, port, n, interval=TRICKLE_SECONDS):
        """Remember the server and how many clients to run."""
        self.host, self.port, self.n, self.interval = host, port, n, interval
        self.stop = threading.Event()
        self.tally = SlowTally()
        self.threads = []

    def run(self):
        """Keep one slow connection open, opening another whenever the server ends it."""
        while not self.stop.is_set():
            trickle_once(self.host, self.port, self.stop, self.tally, self.interval)

    def __enter__(self):
        """Start the clients."""
        self.threads = [threading.Thread(target=self.run, name=f"slow-client-{k}", daemon=True)
                        for k in range(self.n)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        """Stop the clients; each notices within one interval."""
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=self.interval + CONNECT_TIMEOUT_S + 1)
