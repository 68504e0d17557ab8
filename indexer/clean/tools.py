"""Debian's command-line readers (pdftoppm, tesseract, antiword, catdoc), run within the file's budget.

Each runs as a child of the cleaning worker: it dies with the worker (a worker stopped for
its budget takes its tools along), may use no more memory than the worker's budget, and
is stopped after the seconds it is given. A tool that is missing, fails or runs out of time
raises BadPage naming the tool and why.
"""
import os
import resource
import shutil
import subprocess

from .errors import BadPage
from .limits import PAGE_MEMORY_MB, configured, die_with

# Threads a tool may start (tesseract's OpenMP): the cleaning runs beside the index writers.
TOOL_THREADS = "1"


def missing(*names):
    """Return the first of the named programs not installed, or ""."""
    return next((name for name in names if shutil.which(name) is None), "")


def limit_child(parent, memory_mb):
    """Return the function run in a tool's process before it starts: die with the worker, bounded memory."""
    def limit():
        """Tie the tool to the worker's life and cap its address space."""
        die_with(parent)
        size = int(memory_mb * 2**20)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    return limit


def run_tool(args, seconds, what):
    """Run a tool and return its standard output (bytes); raise BadPage when it cannot do its work."""
    name = missing(args[0])
    if name:
        raise BadPage(f"cannot read {what}: {name} is not installed")
    environment = dict(os.environ, OMP_THREAD_LIMIT=TOOL_THREADS)
    try:
        done = subprocess.run(args, capture_output=True, timeout=seconds, env=environment,
                              preexec_fn=limit_child(os.getpid(), configured("PAGE_MEMORY_MB", PAGE_MEMORY_MB)))
    except subprocess.TimeoutExpired:
        raise BadPage(f"cannot read {what}: {args[0]} took longer than {seconds:g} s") from None
    except OSError as error:
        raise BadPage(f"cannot read {what}: {args[0]} did not start ({error.strerror or error})") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BadPage(f"cannot read {what}: {args[0]} failed ({said[-1] if said else f'exit status {done.returncode}'})")
    return done.stdout
