"""Where two near-identical paragraphs differ, as character spans of each (difflib), for side-by-side reading."""
from difflib import SequenceMatcher

# Opcodes of SequenceMatcher that leave text only on the left, only on the right, or on both.
LEFT_ONLY = ("replace", "delete")
RIGHT_ONLY = ("replace", "insert")


def differences(left, right):
    """Return ([start, end] spans of left not in right, spans of right not in left), character offsets."""
    # autojunk would treat the commonest characters (的, 法, 治) of a long paragraph as noise.
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    ours, theirs = [], []
    for tag, left_start, left_end, right_start, right_end in matcher.get_opcodes():
        if tag in LEFT_ONLY:
            ours.append([left_start, left_end])
        if tag in RIGHT_ONLY:
            theirs.append([right_start, right_end])
    return ours, theirs
