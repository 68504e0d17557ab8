"""Progress of a long rebuild or crawl: a bar on a terminal, a periodic line in logs and CI.

A crawl learns its total as it goes (each list page adds links), so update() may raise
it; lines of its own go through write(), which keeps them clear of the bar.
"""
import sys
import time

from tqdm import tqdm

# Seconds between two progress lines when stderr is not a terminal: often enough to
# show a build is alive, rarely enough not to flood a CI log.
LOG_INTERVAL_S = 5.0


class LogProgress:
    """Progress as one line every LOG_INTERVAL_S seconds: `cleaning 1200/3335 pages, 340 pages/s`."""

    def __init__(self, name, total, unit, stream, interval=LOG_INTERVAL_S, clock=time.monotonic):
        """Start counting a stage of total items from now."""
        self.name, self.total, self.unit, self.stream = name, total, unit, stream
        self.interval, self.clock = interval, clock
        self.started = self.last = clock()

    def update(self, done, total=None):
        """Record that done items (of total, when it grew) are finished, writing a line when the interval has passed."""
        self.total = total if total is not None else self.total
        now = self.clock()
        if now - self.last >= self.interval:
            self.last = now
            rate = done / (now - self.started) if now > self.started else 0.0
            print(f"{self.name} {done}/{self.total} {self.unit}, {rate:.0f} {self.unit}/s",
                  file=self.stream, flush=True)

    def write(self, line):
        """Print a line of the run's own output on stdout."""
        print(line, flush=True)

    def close(self):
        """End the stage; the summary line on stdout says the rest."""


class BarProgress:
    """Progress as a tqdm bar with counts, rate and time left, for a terminal."""

    def __init__(self, name, total, unit, stream):
        """Open the bar of one stage."""
        self.bar = tqdm(total=total, desc=name, unit=f" {unit}", file=stream, leave=False,
                        dynamic_ncols=True)

    def update(self, done, total=None):
        """Move the bar to done items (of total, when it grew)."""
        if total is not None and total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def write(self, line):
        """Print a line of the run's own output on stdout above the bar."""
        self.bar.write(line, file=sys.stdout)

    def close(self):
        """Remove the bar from the terminal."""
        self.bar.close()


def progress_display(stream=None):
    """Return a factory of stage progress displays for stream (stderr): a bar on a TTY, lines elsewhere."""
    stream = stream or sys.stderr
    kind = BarProgress if stream.isatty() else LogProgress

    def start(name, total, unit):
        """Return the progress display of one stage."""
        return kind(name, total, unit, stream)
    return start


def timed(start, stream=None, clock=time.perf_counter):
    """Return a factory of stage displays like start's that also writes each stage's time when it ends.

    `stage cleaning and indexing: 95.2 s`, one line per stage on stream (stderr): what
    `rebuild --timings` prints, and what the benchmark reads.
    """
    stream = stream or sys.stderr

    def timed_start(name, total, unit):
        """Return the display of one stage, timed from now until it is closed."""
        display, started = start(name, total, unit), clock()
        close = display.close

        def close_and_report():
            """Close the display, then write the stage's time."""
            close()
            print(f"stage {name}: {clock() - started:.1f} s", file=stream, flush=True)
        display.close = close_and_report
        return display
    return timed_start
