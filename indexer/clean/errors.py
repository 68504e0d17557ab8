"""Errors of the cleaning pipeline."""


class BadPage(ValueError):
    """A page that cannot become a report; the message says why."""
