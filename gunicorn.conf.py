"""Gunicorn settings for `make run`: load the app and jieba's dictionary once, before forking."""
import jieba

preload_app = True


def on_starting(server):
    """Load jieba's dictionary in the master so every worker answers its first query fast."""
    jieba.initialize()


def when_ready(server):
    """Read the index's arrays in the master, once, so the forked workers share them."""
    engine = server.app.wsgi().extensions.get("search_engine")
    if engine is not None and not engine.warm():
        server.log.info("no search index yet: workers will read it on their first query")


def post_worker_init(worker):
    """Open the worker's own searcher before its first request (the master's cannot be shared)."""
    engine = worker.app.wsgi().extensions.get("search_engine")
    if engine is not None:
        engine.open()
