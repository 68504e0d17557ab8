"""A bounded store of answers a generation has computed: a generation never changes, so they stay true."""
from collections import OrderedDict
from threading import Lock


class Remembered:
    """The last `size` answers put in, by key; the least recently used goes first. Shared by threads."""

    def __init__(self, size):
        self.size = size
        self.answers = OrderedDict()
        self.lock = Lock()

    def get(self, key):
        """Return the answer put in under key, or None."""
        with self.lock:
            answer = self.answers.get(key)
            if answer is not None:
                self.answers.move_to_end(key)
            return answer

    def put(self, key, answer):
        """Keep an answer under key, letting go of the least recently used beyond the size."""
        with self.lock:
            self.answers[key] = answer
            self.answers.move_to_end(key)
            while len(self.answers) > self.size:
                self.answers.popitem(last=False)
