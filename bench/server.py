"""Our server as `make run` starts it (gunicorn, 2 workers); the query mix through GET /api/search."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from indexer.paths import PROJECT_DIR

from .measure import BenchError, memory_mb, process_tree
from .queries import PAGE_SIZE

WORKERS = 2
HOST = "127.0.0.1"
# Bounds: one request, the wait for the first answer, the wait for a clean shutdown.
HTTP_TIMEOUT_S = 60
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 15
# Pause between attempts while the server is starting: the resolution of the start time.
RETRY_SECONDS = 0.02
LOG_TAIL_CHARS = 2000


def free_port():
    """Return a TCP port on HOST that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def search_path(query, fold=True):
    """Return the GET /api/search path of a query of the mix, folding near-identical hits or not."""
    params = [("q", query.q), ("limit", PAGE_SIZE), ("page", query.page), *query.filters]
    return "/api/search?" + urllib.parse.urlencode(params + ([] if fold else [("fold", "0")]))


class Server:
    """A gunicorn server over an index, started on entry and always stopped on exit."""

    def __init__(self, index_dir, corpus_dir, log_path, env=None):
        """Remember where the index, the corpus and the server log are, and settings for its environment."""
        self.env = dict(os.environ, INDEX_DIR=str(index_dir), CORPUS_DIR=str(corpus_dir), **(env or {}))
        self.log_path = Path(log_path)
        self.process = None
        self.started = None
        self.base = None

    def __enter__(self):
        """Start gunicorn the way `make run` does, on a free port."""
        port = free_port()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [str(gunicorn), "--config", "gunicorn.conf.py", "--workers", str(WORKERS),
                   "--bind", f"{HOST}:{port}", "app:create_app()"]
        self.base = f"http://{HOST}:{port}"
        with open(self.log_path, "wb") as log:
            self.started = time.perf_counter()
            self.process = subprocess.Popen(command, cwd=PROJECT_DIR, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def __exit__(self, *exc):
        """Stop the server: SIGTERM to its process group, SIGKILL if it does not go."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT_S)

    def log_tail(self):
        """Return the end of the server log, for error messages."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL_CHARS:]

    def get(self, path):
        """GET a path; return (status, JSON body or None)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=HTTP_TIMEOUT_S) as response:
                return response.status, json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return error.code, None

    def first_answer(self, path):
        """Return the seconds from the start until GET path first answers 200."""
        while time.perf_counter() - self.started < START_TIMEOUT_S:
            if self.process.poll() is not None:
                raise BenchError(f"the server exited with status {self.process.returncode}\n"
                                 + self.log_tail())
            try:
                status, _ = self.get(path)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                status = None  # not listening yet
            if status == 200:
                return time.perf_counter() - self.started
            time.sleep(RETRY_SECONDS)
        raise BenchError(f"the server did not answer {path} within {START_TIMEOUT_S} s\n"
                         + self.log_tail())

    def run_mix(self, mix, repeat, folds=(True,)):
        """Send the mix repeat times, one request after another, each query once per folding setting (their
        order alternating by round, so neither takes the cold requests); return latencies by setting, and totals."""
        latencies, totals = {fold: [] for fold in folds}, {}
        for round_number in range(repeat):
            for query in mix:
                for fold in (folds if round_number % 2 == 0 else tuple(reversed(folds))):
                    path = search_path(query, fold)
                    started = time.perf_counter()
                    status, body = self.get(path)
                    latencies[fold].append((time.perf_counter() - started) * 1000)
                    if status != 200:
                        raise BenchError(f"GET {path} answered {status}\n" + self.log_tail())
                    totals[query.key] = body["total"]
        return latencies, totals

    def memory_mb(self):
        """Return (resident, proportional) MB of the master and its workers."""
        return memory_mb(process_tree(self.process.pid))
