"""Settings of the test run that must hold before pytest imports any test module (tests/conftest.py has the fixtures)."""
import sys

# Compiled modules, and pytest's rewritten test modules, are kept in __pycache__ (ignored by
# git) even where PYTHONDONTWRITEBYTECODE is set: compiling them all again costs every run ~2 s.
sys.dont_write_bytecode = False
