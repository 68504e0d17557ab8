"""A bounded store of answers a generation has computed: a generation never changes, so they stay true."""
from collections import OrderedDict
from threading import Lock


class Remembered:
    """The last answers put in, by key, at most `size` of them and, when a weigh is given, at most `budget` of
    their weight in all; the least recently used goes first. Shared by threads."""

    def __init__(self, size, weigh=None, budget=None):
        self.size, self.weigh, self.budget = size, weigh, budget
        self.answers = OrderedDict()
        self.weights = {}
        self.lock = Lock()

    def get(self, key):
        """Return the answer put in under key, or None."""
        with self.lock:
            answer = self.answers.get(key)
            if answer is not None:
                self.answers.move_to_end(key)
            return answer

    def put(self, key, answer):
        """Keep an answer under key, letting go of the least recently used beyond the size or the budget."""
        weight = self.weigh(answer) if self.weigh is not None else 0
        if self.budget is not None and weight > self.budget:
            return  # kept, it would push out everything else
        with self.lock:
            self.answers[key] = answer
            self.answers.move_to_end(key)
            self.weights[key] = weight
            while len(self.answers) > self.size or (self.budget is not None and sum(self.weights.values()) > self.budget):
                oldest, _answer = self.answers.popitem(last=False)
                del self.weights[oldest]
