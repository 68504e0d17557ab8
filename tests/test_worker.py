"""The server's worker uses gunicorn's internals: any gunicorn but the pinned one is refused, clearly, at start."""
import os
import subprocess
import sys

import gunicorn
import pytest

from web.worker import SUPPORTED_GUNICORN, UnsupportedGunicorn, require_supported_gunicorn

from conftest import PROJECT

# Starts gunicorn as `make run` does, with gunicorn claiming another version.
START_WITH_ANOTHER_VERSION = """
import sys, gunicorn
gunicorn.__version__ = "99.0.0"
sys.argv = ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "127.0.0.1:0", "app:create_app()"]
from gunicorn.app.wsgiapp import run
run()
"""


def test_the_pinned_gunicorn_is_the_supported_one():
    assert gunicorn.__version__ == SUPPORTED_GUNICORN
    require_supported_gunicorn()


def test_another_gunicorn_is_refused_naming_both_versions_and_the_fix():
    with pytest.raises(UnsupportedGunicorn, match=r"gunicorn 27\.1\.0 is installed.*gunicorn==27\.0\.1"):
        require_supported_gunicorn("27.1.0")


@pytest.mark.integration
def test_the_server_does_not_start_on_another_gunicorn(tmp_path):
    done = subprocess.run([sys.executable, "-c", START_WITH_ANOTHER_VERSION], cwd=PROJECT, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, INDEX_DIR=str(tmp_path / "index")))
    assert done.returncode != 0
    assert "gunicorn 99.0.0 is installed, but the site's worker (web/worker.py)" in done.stderr
    assert "Booting worker" not in done.stderr
