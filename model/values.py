"""Values every layer orders and codes the same way: unknown numbers, publication dates as numbers, and
the keys the date sorts order paragraphs by (the embedded arrays and the cluster's rows both use them)."""
import numpy as np

# Array value of report_year and of the date when a report has none; sorts before any real one.
UNKNOWN = 0
# Room for a yyyymmdd date below the report year in one sort key.
DATE_SPAN = 10 ** 8
# Sort key of a paragraph with neither year nor date in the oldest-first order: after every other.
UNDATED_LAST = np.iinfo(np.int64).max


def date_key(pub_date):
    """Return an ISO publication date as a sortable yyyymmdd number, UNKNOWN when it is not one."""
    digits = "".join(c for c in (pub_date or "")[:10] if c.isdigit())
    return int(digits) if len(digits) == 8 else UNKNOWN


def when_key(year, day):
    """Return what the newest-first sort orders by: report year * DATE_SPAN + yyyymmdd (numbers or arrays)."""
    return year * DATE_SPAN + day


def oldest_key(when):
    """Return what the oldest-first sort orders by, from when_key (a number or an array).

    A report without a date comes after the dated ones of its year, one without a year last.
    """
    undated = when % DATE_SPAN == UNKNOWN
    return np.where(when < DATE_SPAN, UNDATED_LAST, when + undated * (DATE_SPAN - 1))
