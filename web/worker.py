"""The gunicorn worker the site runs in: gunicorn's threaded worker, reading requests in its event loop.

gunicorn's gthread worker hands a connection to one of its threads as soon as the first
byte arrives, and that thread then reads the rest of the request with no time limit: a
client sending one header byte a second holds a thread for as long as it likes, and a few
dozen such clients hold every thread of every worker. Here the worker's event loop reads
each request's line and headers itself, without blocking, from as many connections as
it allows (worker_connections); a thread gets the connection only once its headers are
complete, and a client that has not sent them within HEADER_SECONDS of its first byte
(or of connecting) is answered 408 and disconnected. A request body is never waited for
by the site (every route is a GET; gunicorn drains any body within its own 5 s bound),
and a response that a client will not read fails after SEND_SECONDS per write. Every
error the worker or gunicorn answers itself (408, 414, 431, a malformed request) is the
site's own Chinese error page, or its JSON error under /api/ (web/errors.py).

The worker overrides methods and reads attributes that are gunicorn 27.0.1's own, not its
public API (the threaded worker's poller, keepalived_conns, nr_conns, accept, enqueue_req,
handle, murder_pending; a connection's parser.unreader): this is the only module that
touches them, and importing it with another gunicorn fails, so the server refuses to start
with a clear message instead of misreading requests.
"""
import os
import selectors
import socket
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import gunicorn
from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker, TConn

from .errors import answers_in_json, raw_error

SUPPORTED_GUNICORN = "27.0.1"


class UnsupportedGunicorn(RuntimeError):
    """The installed gunicorn is not the version whose threaded worker's internals this module overrides."""


def require_supported_gunicorn(found=gunicorn.__version__):
    """Raise UnsupportedGunicorn unless the installed gunicorn is the supported version."""
    if found != SUPPORTED_GUNICORN:
        raise UnsupportedGunicorn(
            f"gunicorn {found} is installed, but the site's worker (web/worker.py) overrides gunicorn"
            f" {SUPPORTED_GUNICORN}'s threaded worker internals; install gunicorn=={SUPPORTED_GUNICORN}"
            " (pinned in requirements.txt: make install)")


require_supported_gunicorn()

# Seconds a client has to send a request's line and headers.
HEADER_SECONDS = 10.0
# The most a request's line and headers may hold; nginx allows 32 KB by default.
HEADER_MAX_BYTES = 64 * 1024
# Seconds one write of a response may wait for a client that does not read.
SEND_SECONDS = 30.0
END_OF_HEADERS = b"\r\n\r\n"
# Bare line feeds end headers too as far as waiting goes: gunicorn's parser then answers them.
BARE_END_OF_HEADERS = b"\n\n"
READ_SIZE = 16 * 1024


class Captured:
    """A stand-in for a client socket that keeps what gunicorn would send it: the status it chose."""

    def __init__(self):
        self.sent = b""

    def gettimeout(self):
        """Say the socket does not block, so gunicorn writes to it directly."""
        return 0.0

    def sendall(self, data):
        """Keep the bytes gunicorn sends."""
        self.sent += data

    def status(self):
        """Return the status of the response gunicorn wrote, 500 when it wrote none."""
        parts = self.sent.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 500


def request_path(head):
    """Return the path a request's first line names ("/" when it cannot be read)."""
    parts = bytes(head).split(b"\r\n", 1)[0].split(b" ")
    path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
    return path if path.startswith("/") else "/"


def site_root():
    """Return the path the site is served under: $SCRIPT_NAME, as gunicorn reads it ("" at the host's root)."""
    return os.environ.get("SCRIPT_NAME", "").rstrip("/")


def site_path(path, root):
    """Return a requested path as the site sees it: without the root it is served under and the query string."""
    path = path.split("?", 1)[0]
    if root and (path == root or path.startswith(root + "/")):
        return path[len(root):] or "/"
    return path


# Threads that close finished connections gracefully (which waits up to 2 s for the client to
# close its side) off the event loop, which must never wait on a client.
CLOSING_THREADS = 2


def header_seconds():
    """Return the header deadline: $HEADER_SECONDS when set to a positive number, else HEADER_SECONDS."""
    try:
        value = float(os.environ.get("HEADER_SECONDS", ""))
    except ValueError:
        return HEADER_SECONDS
    return value if value > 0 else HEADER_SECONDS


def headers_end(head, start=0):
    """Tell whether the bytes read hold the end of a request's headers (from start on)."""
    return head.find(END_OF_HEADERS, start) != -1 or head.find(BARE_END_OF_HEADERS, start) != -1


# Seconds a connection answered with an error is drained before it is closed.
DRAIN_SECONDS = 2.0


def answer(sock, response):
    """Send a short error answer without waiting on the client, and say no more will come."""
    try:
        sock.setblocking(False)
        sock.send(response)
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def drain_and_close(sock):
    """Read (and drop) what the client is still sending, for a while, then close the connection.

    Closing a socket with unread bytes sends a reset, which may destroy the answer before the
    client reads it; a client still sending its oversized headers is let finish first.
    """
    deadline = time.monotonic() + DRAIN_SECONDS
    try:
        sock.setblocking(True)
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            if not sock.recv(READ_SIZE):
                break
    except OSError:
        pass
    util.close(sock)


class Connection(TConn):
    """A client connection, with the request bytes read so far by the event loop."""

    def __init__(self, cfg, sock, client, server, closer):
        """Start with nothing read; closer runs graceful closes off the event loop."""
        super().__init__(cfg, sock, client, server)
        self.head = bytearray()
        self.deadline = None
        self.closer = closer

    def close(self, graceful=False):
        """Close the connection; a graceful close lingers for the client, so it runs in the closing threads."""
        if graceful:
            self.closer.submit(super().close, True)
        else:
            super().close()


class HeaderReadingWorker(ThreadWorker):
    """gunicorn's threaded worker, whose event loop reads request headers before a thread takes them."""

    def __init__(self, *args, **kwargs):
        """Start with no connection being read."""
        super().__init__(*args, **kwargs)
        self.reading = deque()  # connections whose headers are being read, oldest deadline first
        self.header_seconds = header_seconds()
        self.closer = None
        self.answers = {}  # (status, answered in JSON) -> the whole error response, made once
        self.serving = threading.local()  # the path of the request each thread serves
        self.root = site_root()

    def error_answer(self, status, path):
        """Return the site's whole error response for a status, JSON for the API's paths (made once each)."""
        key = (status, answers_in_json(site_path(path, self.root)))
        if key not in self.answers:
            self.answers[key] = raw_error(self.wsgi, status, "/api/" if key[1] else "/", self.root)
        return self.answers[key]

    def handle_error(self, req, client, addr, exc):
        """Answer what gunicorn found wrong with a request (or a failure) with the site's Chinese error."""
        captured = Captured()
        # gunicorn logs the error and chooses its status; the site's page replaces its English one.
        super().handle_error(req, captured, addr, exc)
        path = req.path if req is not None else getattr(self.serving, "path", "/")
        try:
            util.write_nonblock(client, self.error_answer(captured.status(), path))
        except Exception:  # noqa: BLE001 (the client may be gone; nothing is left to tell it)
            self.log.debug("failed to send an error answer")

    def init_process(self):
        """Start the closing threads, then gunicorn's worker (which runs until the worker stops)."""
        self.closer = ThreadPoolExecutor(max_workers=CLOSING_THREADS, thread_name_prefix="closing")
        super().init_process()

    def accept(self, listener):
        """Accept a connection and start reading its request in the event loop."""
        try:
            client_sock, client_addr = listener.accept()
        except OSError:
            return  # another worker took it, or the client gave up
        self.nr_conns += 1
        conn = Connection(self.cfg, client_sock, client_addr, listener.getsockname(), self.closer)
        self.read_request(conn)

    def on_client_socket_readable(self, conn, client):
        """A kept-alive connection has a new request coming: read it in the event loop too."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self.read_request(conn)

    def read_request(self, conn, buffered=b""):
        """Wait in the event loop for the request's headers, within the header deadline."""
        conn.sock.setblocking(False)
        conn.head = bytearray(buffered)
        conn.deadline = time.monotonic() + self.header_seconds
        self.reading.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_request_bytes, conn))

    def stop_reading(self, conn):
        """Take a connection out of the event loop's reading."""
        self.poller.unregister(conn.sock)
        self.reading.remove(conn)

    def drop(self, conn, response=None, drain=False):
        """Stop reading a connection and close it, first sending a short answer when given.

        drain lets a client still sending finish first (off the event loop, which never
        waits), so that its answer is not lost; a slow client is cut off at once.
        """
        self.stop_reading(conn)
        self.nr_conns -= 1
        if response:
            answer(conn.sock, response)
        if drain:
            self.closer.submit(drain_and_close, conn.sock)
        else:
            util.close(conn.sock)

    def on_request_bytes(self, conn, client):
        """Read what the client sent; hand the connection to a thread once its headers are complete."""
        try:
            data = conn.sock.recv(READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.drop(conn)  # the client went away
            return
        # The end of the headers may straddle two reads: look from just before the new bytes.
        start = max(len(conn.head) - len(END_OF_HEADERS) + 1, 0)
        conn.head += data
        if headers_end(conn.head, start):
            self.stop_reading(conn)
            self.enqueue_req(conn)
        elif len(conn.head) > HEADER_MAX_BYTES:
            self.drop(conn, self.error_answer(431, request_path(conn.head)), drain=True)

    def enqueue_req(self, conn):
        """Give a connection to a thread; one whose buffered bytes are not a whole request is read first."""
        buffered = conn.parser.unreader.take_buffered() if conn.parser is not None else b""
        if buffered and not headers_end(buffered):
            self.read_request(conn, buffered)  # a pipelined request, cut short: read its end first
            return
        if buffered:
            conn.parser.unreader.unread(buffered)
        super().enqueue_req(conn)

    def handle(self, conn):
        """In a thread: give the parser the bytes the event loop read, then serve the request."""
        conn.data_ready = True  # the event loop waited for the data already
        self.serving.path = request_path(conn.head)
        if conn.head:
            conn.init()
            conn.parser.unreader.unread(bytes(conn.head))
            conn.head = bytearray()
        return super().handle(conn)

    def handle_request(self, req, conn):
        """Serve a request; each write of its response may wait SEND_SECONDS for the client."""
        conn.sock.settimeout(SEND_SECONDS)
        return super().handle_request(req, conn)

    def murder_pending(self):
        """Close the connections past their header deadline (answered 408), besides gunicorn's own.

        A stopping worker closes them all at once: none of them is a request yet.
        """
        super().murder_pending()
        now = time.monotonic()
        while self.reading and (self.reading[0].deadline <= now or not self.alive):
            self.drop(self.reading[0], self.error_answer(408, request_path(self.reading[0].head)))
