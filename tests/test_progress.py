"""Rebuild progress: a periodic line in logs, a bar on a terminal, never on stdout."""
import io

from indexer.progress import BarProgress, LogProgress, progress_display, timed


class Clock:
    """A clock the test moves by hand, so that the interval between lines is exact."""

    def __init__(self):
        """Start at zero seconds."""
        self.now = 0.0

    def __call__(self):
        """Return the current time in seconds."""
        return self.now


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self):
        """Claim to be a TTY."""
        return True


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


def test_timed_stages_say_how_long_each_took_when_they_end():
    stream, clock = io.StringIO(), Clock()
    start = timed(lambda name, total, unit: LogProgress(name, total, unit, stream, clock=clock), stream, clock)
    cleaning = start("cleaning", 10, "pages")
    clock.now = 12.25
    cleaning.close()
    reuse = start("finding reuse", 1, "generations")
    clock.now = 15.0
    reuse.close()
    assert stream.getvalue().splitlines() == ["stage cleaning: 12.2 s", "stage finding reuse: 2.8 s"]


def test_a_stream_that_is_not_a_terminal_gets_lines_and_a_terminal_a_bar():
    assert isinstance(progress_display(io.StringIO())("indexing", 10, "reports"), LogProgress)
    terminal = Terminal()
    bar = progress_display(terminal)("indexing", 10, "reports")
    assert isinstance(bar, BarProgress)
    bar.update(4)
    bar.bar.refresh()  # tqdm redraws at most every 0.1 s by itself
    assert "indexing" in terminal.getvalue() and "4/10" in terminal.getvalue()
    bar.close()


def test_a_crawl_raises_the_total_as_it_finds_pages_and_writes_its_lines_to_stdout(capsys):
    stream, clock = io.StringIO(), Clock()
    display = LogProgress("crawling", 0, "pages", stream, interval=5.0, clock=clock)
    clock.now = 5.0
    display.update(3, 12)  # three pages done, twelve known so far
    display.write("fetched http://a.gov.cn/1.html -> a.html")
    assert stream.getvalue() == "crawling 3/12 pages, 1 pages/s\n"
    assert capsys.readouterr().out == "fetched http://a.gov.cn/1.html -> a.html\n"


def test_the_bar_grows_with_the_total_and_keeps_lines_above_it(capsys):
    terminal = Terminal()
    bar = progress_display(terminal)("crawling", 0, "pages")
    bar.update(2, 9)
    bar.write("read list http://a.gov.cn/list.html")
    bar.bar.refresh()
    assert "2/9" in terminal.getvalue()
    assert capsys.readouterr().out == "read list http://a.gov.cn/list.html\n"
    bar.close()
