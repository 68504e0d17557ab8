"""Gunicorn settings for `make run`: load the app and jieba's dictionary once, before forking."""
import jieba

preload_app = True


def on_starting(server):
    """Load jieba's dictionary in the master so every worker answers its first query fast."""
    jieba.initialize()
