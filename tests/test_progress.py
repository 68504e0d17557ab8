"""Rebuild progress: a periodic line in logs, a bar on a terminal, never on stdout."""
import io

from indexer.progress import BarProgress, LogProgress, progress_display


class Clock:
    """A clock the test moves by hand, so that the interval between lines is exact."""

    def __init__(self):
        """Start at zero seconds."""
        self.now = 0.0

    def __call__(self):
        """Return the current time in seconds."""
        return self.now


def test_log_progress_writes_counts_and_rate_once_per_interval():
    stream, clock = io.StringIO(), Clock()
    display = LogProgress("cleaning", 3335, "pages", stream, interval=5.0, clock=clock)
    clock.now = 2.0
    display.update(600)
    assert stream.getvalue() == ""
    clock.now = 5.0
    display.update(1200)
    clock.now = 7.0
    display.update(1700)
    clock.now = 10.0
    display.update(2000)
    display.close()
    assert stream.getvalue().splitlines() == ["cleaning 1200/3335 pages, 240 pages/s",
                                              "cleaning 2000/3335 pages, 200 pages/s"]


def test_a_stream_that_is_not_a_terminal_gets_lines_and_a_terminal_a_bar():
    class Terminal(io.StringIO):
        """A text stream that says it is a terminal."""

        def isatty(self):
            """Claim to be a TTY."""
            return True

    assert isinstance(progress_display(io.StringIO())("indexing", 10, "reports"), LogProgress)
    terminal = Terminal()
    bar = progress_display(terminal)("indexing", 10, "reports")
    assert isinstance(bar, BarProgress)
    bar.update(4)
    bar.bar.refresh()  # tqdm redraws at most every 0.1 s by itself
    assert "indexing" in terminal.getvalue() and "4/10" in terminal.getvalue()
    bar.close()
