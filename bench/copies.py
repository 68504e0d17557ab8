"""How reports copy each other: the edits a copied paragraph goes through, applied to a text.

Used to tune the reuse threshold (bench/reuse_tuning.py) and to plant copies in the tests'
corpora. Every edit is deterministic: the same paragraph gives the same copy.
"""
import re

# A sentence, with the punctuation that ends it.
SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")
# The sentence a copying report adds (a common formula, no place in it).
ADDED = "同时，进一步健全完善工作机制，持续加大督促检查力度，确保各项任务落到实处。"
# What a copying government writes instead of the source's place words and years.
PLACE_WORDS = (("街道", "镇"), ("县", "区"), ("市", "区"), ("2020", "2021"), ("2021", "2022"),
               ("2022", "2023"), ("2023", "2024"))
# The character a copy puts in place of the source's, one in every EDIT_EVERY.
EDIT_CHAR = "之"
EDIT_EVERY = 20


def sentences(text):
    """Return the sentences of a text, each with its ending punctuation."""
    return SENTENCE.findall(text)


def verbatim(text):
    """Return the text copied as it is."""
    return text


def places_changed(text):
    """Return the text with its place words and years changed, as another government copying it would."""
    for old, new in PLACE_WORDS:
        text = text.replace(old, new)
    return text


def sentence_added(text):
    """Return the text with a sentence of boilerplate added in its middle."""
    parts = sentences(text)
    return "".join(parts[:len(parts) // 2] + [ADDED] + parts[len(parts) // 2:])


def sentence_dropped(text):
    """Return the text without its last sentence (unchanged when it has one)."""
    parts = sentences(text)
    return "".join(parts[:-1]) if len(parts) > 1 else text


def characters_changed(text):
    """Return the text with one character in every EDIT_EVERY replaced."""
    return "".join(EDIT_CHAR if place % EDIT_EVERY == EDIT_EVERY // 2 else char for place, char in enumerate(text))


def rewritten(share):
    """Return the edit that keeps the first (1 - share) of a text and writes the rest anew."""
    def rewrite(text):
        """Return the text with its last part replaced by boilerplate of the same length, ending a sentence."""
        kept = len(text) - int(len(text) * share)
        return text[:kept] + (ADDED * (len(text) // len(ADDED) + 1))[:len(text) - kept - 1] + "。"
    rewrite.__name__ = f"rewritten_{round(share * 100)}"
    return rewrite


# Copies a reader calls the same paragraph, and rewrites a reader calls another one.
COPIES = (verbatim, places_changed, sentence_added, sentence_dropped, characters_changed)
REWRITES = (rewritten(1 / 3), rewritten(1 / 2))
