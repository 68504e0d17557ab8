"""What became of each URL of a crawl or scrape, and the summary line printed after it."""
from collections import Counter
from dataclasses import dataclass, field

FETCHED, SKIPPED, FAILED = "fetched", "skipped", "failed"
STATES = (FETCHED, SKIPPED, FAILED)


@dataclass
class Outcome:
    """What became of one URL: fetched, skipped or failed, the detail to print, the kind of reason to count."""

    url: str
    state: str
    detail: str
    kind: str = ""  # the reason without its particulars ("already fetched"), for the summary

    def line(self, what=""):
        """Return the line printed for this URL (what names a list page: "list ")."""
        joiner = " -> " if self.state == FETCHED else ": "
        return f"{self.state} {what}{self.url}{joiner}{self.detail}"


@dataclass
class Tally:
    """The outcomes of a run's pages, and for a crawl what its list pages held."""

    outcomes: list = field(default_factory=list)    # one per report (crawl) or URL (scrape)
    list_failures: list = field(default_factory=list)  # outcomes of list pages that could not be read
    lists_read: int = 0       # list pages fetched and read in this run
    lists_replayed: int = 0   # list pages an interrupted earlier run had read (from its journal)
    lists_beyond: set = field(default_factory=set)  # list pages named but past --max-list-pages, not read
    other_links: set = field(default_factory=set)  # the distinct links of list pages that are not reports
    repeats: int = 0          # report links listed again (on another page, or twice on one)
    unreadable: list = field(default_factory=list)  # (file, why) of documents fetched that cannot be read here
    seconds: float = 0.0
    interrupted: bool = False
    stopped: str = ""         # why the run stopped itself before its end (a full disk), or ""

    def count(self, state):
        """Return how many URLs ended in the given state."""
        return sum(1 for outcome in self.outcomes if outcome.state == state)

    def counts(self):
        """Return "N fetched, N skipped (why), N failed (why)"."""
        parts = []
        for state in STATES:
            reasons = Counter(outcome.kind or outcome.detail for outcome in self.outcomes
                              if outcome.state == state and state != FETCHED)
            why = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
            parts.append(f"{self.count(state)} {state}" + (f" ({why})" if why else ""))
        return ", ".join(parts)

    def unreadable_part(self):
        """Return the summary's naming of the fetched documents this machine cannot read, or ""."""
        if not self.unreadable:
            return ""
        named = "; ".join(f"{name} ({why})" for name, why in self.unreadable)
        return f"; {len(self.unreadable)} fetched but unreadable here: {named}"

    def scrape_line(self, out):
        """Return the summary line of a scrape."""
        return f"{len(self.outcomes)} URLs in {self.seconds:.1f} s: {self.counts()}; pages in {out}{self.unreadable_part()}"

    def crawl_line(self, out, max_list_pages):
        """Return the summary line of a crawl."""
        lists = f"{self.lists_read} list pages read"
        if self.lists_replayed:
            lists += f" (and {self.lists_replayed} read by the interrupted run before)"
        if self.list_failures:
            lists += f", {len(self.list_failures)} unreadable"
        if self.lists_beyond:
            lists += f", {len(self.lists_beyond)} more named beyond --max-list-pages {max_list_pages}"
        repeats = f" ({self.repeats} listed again)" if self.repeats else ""
        line = (f"{lists}; {len(self.outcomes)} reports found{repeats}: {self.counts()}; "
                f"{len(self.other_links)} other links; pages in {out} ({self.seconds:.1f} s)")
        line += self.unreadable_part()
        if self.interrupted:
            line += "; interrupted: run the same command again to resume"
        return line

    def all_failed(self):
        """Tell whether the run achieved nothing: every URL, or every start list, failed."""
        if not self.outcomes and self.list_failures and not self.lists_read and not self.lists_replayed:
            return True
        return bool(self.outcomes) and self.count(FAILED) == len(self.outcomes)
