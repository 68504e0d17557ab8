"""Settings of the test run that must hold before pytest imports any test module (tests/conftest.py has the fixtures)."""
import gc
import os
import sys
from pathlib import Path

# Compiled modules, and pytest's rewritten test modules, are kept in __pycache__ (ignored by
# git) even where PYTHONDONTWRITEBYTECODE is set: compiling them all again costs every run ~2 s.
sys.dont_write_bytecode = False

# The run holds many long-lived objects (every library's modules, pypinyin's 47,000 phrases as
# lists, the seed app's caches) and makes much short-lived cyclic garbage (parsed pages): at Python's default
# thresholds (700, 10, 10) the cycle collector walked the whole heap a dozen times, 3-4 s of CPU in
# a fast run; collecting the young generation less often lets most pages die before they are
# promoted, and the whole heap is walked half as often (~1 s less, memory no higher).
gc.set_threshold(5000, 20, 100)

# What the project keeps between runs (model/cachefile.py: the gazetteer, jieba's dictionary, opened
# generations, the cluster's answers) goes to this checkout's own folder during tests, never to the
# user's: a test run neither reads what another checkout or the user's server kept nor fills their
# cache. Set here, before any import, so servers and rebuilds the tests start inherit it.
os.environ["XDG_CACHE_HOME"] = str(Path(__file__).resolve().parent / ".cache" / "tests")
