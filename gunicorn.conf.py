"""Gunicorn settings for `make run`: workers that slow clients cannot hold, the index read once before forking."""
import gc

from model.text import prepare_for_queries

preload_app = True
# Threads per worker. The worker's event loop reads every request's headers itself, within a
# deadline, so a slow client holds no thread (web/worker.py); up to worker_connections
# clients per worker can be connecting at once. Searches are CPU work under one GIL, so
# threads add no speed, but an export streaming or waiting for its turn holds one
# (web/export.py: one running and up to 24 waiting per worker): the rest stay for searches.
worker_class = "web.worker.HeaderReadingWorker"
threads = 32
# Each connection is a file descriptor, as are each thread's searcher's files (some 4): kept
# well within the usual limit of 1,024 per process.
worker_connections = 500
# A worker whose event loop stops answering the master for this long is killed and replaced.
timeout = 30
# Seconds a kept-alive connection may stay idle between requests.
keepalive = 2
# No limit of gunicorn's own on the request line: the worker's event loop bounds a request's
# line and headers together (64 KB, answered 431), and a long URL reaches the app, which
# reads what it can (a query is cut at 200 characters, with a notice) instead of a bare 414.
limit_request_line = 0


def on_starting(server):
    """Load jieba's dictionary, prepared for queries, in the master so every worker shares it."""
    prepare_for_queries()


def when_ready(server):
    """Read the index's arrays in the master, once, so the forked workers share them."""
    engine = server.app.wsgi().extensions.get("search_engine")
    if engine is not None and not engine.warm():
        server.log.info("no search index yet: workers will read it on their first query")
    # What the master holds now (the app, the columns, the reports, jieba's words) is never
    # freed: kept out of the cycle collector's passes, whose writes into every object it
    # visits would copy the workers' shared pages one by one (gc.freeze's documented use).
    gc.freeze()


def post_worker_init(worker):
    """Open the worker's own searcher before its first request (the master's cannot be shared)."""
    engine = worker.app.wsgi().extensions.get("search_engine")
    if engine is not None:
        engine.open()
