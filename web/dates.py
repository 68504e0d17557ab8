"""Dates as this site's readers read them: in Beijing time."""
from datetime import datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "北京时间")


def beijing_today(now=None):
    """Return today's date in Beijing."""
    return (now or datetime.now(timezone.utc)).astimezone(BEIJING).date()


def beijing_time(stamp):
    """Return an ISO timestamp (UTC when it names no zone) in Beijing time, e.g. 2024-05-01 12:30 北京时间; "" if unreadable."""
    try:
        when = datetime.fromisoformat(stamp or "")
    except (TypeError, ValueError):
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") + " 北京时间"
