"""Measuring tools: a child process's wall time and peak memory, /proc memory, percentiles, machine."""
import math
import os
import platform
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.paths import PROJECT_DIR

# How often a running child is checked: the resolution of the wall times measured.
POLL_SECONDS = 0.01
# How often the memory of a child's whole process tree is read (/proc of every process in it).
TREE_SAMPLE_SECONDS = 0.25
# Keep the end of a failed child's output for the error message.
OUTPUT_TAIL_CHARS = 2000


class BenchError(RuntimeError):
    """A step of the benchmark failed; the message says which and why."""


@dataclass
class Run:
    """What one child process did: its time, peak memory, exit status and output.

    peak_mb is the child's own peak (getrusage); tree_rss_mb and tree_pss_mb, when the tree was
    sampled, the largest sum over the child and all its descendants at one moment (tree_rss_at
    when the RSS's came); cpu_seconds
    the user and system time of the child and of every descendant it waited for.
    """

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    cpu_seconds: float = 0.0
    tree_rss_mb: float = 0.0
    tree_pss_mb: float = 0.0
    tree_rss_at: float = 0.0  # when the tree's RSS peaked (time.time())

    def check(self, what):
        """Raise BenchError naming what failed unless the child ended well in time."""
        if self.timed_out or self.returncode != 0:
            reason = "timed out" if self.timed_out else f"exit status {self.returncode}"
            raise BenchError(f"{what}: {reason}\n{self.stderr[-OUTPUT_TAIL_CHARS:]}")
        return self


def exit_on_sigterm(what):
    """Turn SIGTERM into SystemExit, so that a stopped run still stops its server and children."""
    def stop(signum, frame):
        """Leave through the cleanups, naming the run and the signal."""
        raise SystemExit(f"{what} stopped by signal {signum}")
    signal.signal(signal.SIGTERM, stop)


class TreePeak:
    """The largest resident (RSS) and proportional (PSS) memory summed over a process tree, sampled."""

    def __init__(self, pid, every=TREE_SAMPLE_SECONDS, log=None):
        """Watch the tree under pid every `every` seconds, writing each reading to the open file log when given."""
        self.pid, self.every, self.log = pid, every, log
        self.rss_mb, self.pss_mb, self.rss_at = 0.0, 0.0, 0.0
        self.next_at = self.next_pss_at = 0.0

    def sample(self, now):
        """Read the tree's resident memory when `every` seconds have passed since the last reading, its
        proportional memory (slower to read: the kernel walks every mapping) at most every TREE_SAMPLE_SECONDS."""
        if now < self.next_at:
            return
        self.next_at = now + self.every
        tree = process_tree(self.pid)
        each = [resident_mb(pid) for pid in tree]
        rss = sum(total for total, _anon in each)
        if rss > self.rss_mb:
            self.rss_mb, self.rss_at = rss, time.time()
        if now >= self.next_pss_at:
            self.next_pss_at = now + TREE_SAMPLE_SECONDS
            self.pss_mb = max(self.pss_mb, memory_mb(tree)[1])
        if self.log:
            processes = " ".join(f"{pid}:{total:.0f}/{anon:.0f}" for pid, (total, anon) in zip(tree, each))
            self.log.write(f"{time.time():.2f} load {os.getloadavg()[0]:.1f} tree RSS {rss:.0f} MB"
                           f" (peaks RSS {self.rss_mb:.0f} PSS {self.pss_mb:.0f}) pid:RSS/anonymous {processes}\n")
            self.log.flush()


def run_measured(command, timeout, env=None, cwd=PROJECT_DIR, tree=False, every=TREE_SAMPLE_SECONDS, log=None):
    """Run command, killing it after timeout seconds; return its wall time, CPU time and peak memory.

    os.wait4 reports the resources of exactly this child (RUSAGE_CHILDREN would report the
    largest child of the whole benchmark so far). With tree set, the memory of the child and
    all its descendants is also summed every `every` seconds (TREE_SAMPLE_SECONDS) and the
    largest sums kept; each reading is written to the open file log when given.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err,
                                 start_new_session=True)
        peak = TreePeak(child.pid, every, log) if tree else None
        timed_out, pid = False, 0
        try:
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                now = time.perf_counter()
                if now - started > timeout:
                    timed_out = True
                    break
                if peak:
                    peak.sample(now)
                time.sleep(POLL_SECONDS)
        finally:
            if not pid:  # stopped at its bound, or the benchmark itself is being stopped
                os.killpg(child.pid, signal.SIGKILL)  # its own session: only what it started
                pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, child.returncode,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   timed_out, usage.ru_utime + usage.ru_stime,
                   peak.rss_mb if peak else 0.0, peak.pss_mb if peak else 0.0, peak.rss_at if peak else 0.0)


def process_tree(pid):
    """Return pid and the ids of all its descendants, from /proc."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                pending += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue  # the task ended while we looked
    return tree


def _kb_field(path, name):
    """Return the value in kB of a "Name: N kB" line of a /proc file, or 0 if gone."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def resident_mb(pid):
    """Return (resident MB, of which anonymous MB: not pages of files mapped) of one process, or zeros if gone."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "RssAnon:")):
                name, value, _unit = line.split()
                found[name] = int(value) / 1024
    except OSError:
        pass
    return found.get("VmRSS:", 0.0), found.get("RssAnon:", 0.0)


def memory_mb(pids):
    """Return (resident MB, proportional MB) summed over processes.

    The resident sum counts pages the forked workers share with the master once per
    process, so it overstates; the proportional sum (Pss) splits shared pages fairly.
    """
    rss = sum(_kb_field(f"/proc/{pid}/status", "VmRSS") for pid in pids)
    pss = sum(_kb_field(f"/proc/{pid}/smaps_rollup", "Pss") for pid in pids)
    return rss / 1024, pss / 1024


def percentile(values, share):
    """Return the nearest-rank percentile of values (share 0.5 for p50, 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def latency_summary(latencies_ms):
    """Return p50, p95, max and count of a list of latencies in ms."""
    if not latencies_ms:
        return None
    return {"p50": percentile(latencies_ms, 0.5), "p95": percentile(latencies_ms, 0.95),
            "max": max(latencies_ms), "count": len(latencies_ms)}


def machine():
    """Return the machine the benchmark ran on: CPU model, cores, memory, OS, Python."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor() or "unknown CPU")
    return {"cpu": cpu, "cores": os.cpu_count(),
            "memory_gb": _kb_field("/proc/meminfo", "MemTotal") / 1024 / 1024,
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version()}


def when_and_where():
    """Return a results section's lines saying when (with the load average) and on which machine it was measured."""
    from datetime import datetime, timezone
    return [f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; load average (1 min) {os.getloadavg()[0]:.1f}",
            "- Machine: {cpu}, {cores} cores, {memory_gb:.1f} GB memory; {system}; Python {python}".format(**machine())]


def timings_ms(call, rounds):
    """Call call() once to warm up, then rounds times; return the time of each of those rounds in ms."""
    call()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times
