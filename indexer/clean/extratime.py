"""More time for work a file's budget could not foresee: the pages of a scan read by OCR.

The budget (budget.py) gives every file PAGE_SECONDS. A scanned PDF needs several seconds a
page of OCR, which is known only once the file is open: the reader asks for that time here
before it starts, and the worker passes the request to the budget's keeper. Outside a
worker (a test calling the reader) nothing listens and nothing is asked.
"""

_listener = None


def listen(send):
    """Have send(seconds) receive every request for more time (the worker's pipe to its budget)."""
    global _listener
    _listener = send


def ask_for(seconds):
    """Ask the budget for seconds more for the file being read."""
    if _listener is not None:
        _listener(seconds)
