"""What a compiled query matches, as plain nodes that search/evaluate.py answers from the arrays."""
from dataclasses import dataclass

# Where a Contains node looks: the paragraph's own text, or its report's title.
TEXT, TITLE = "text", "title"


@dataclass(frozen=True)
class Contains:
    """Paragraphs whose normalized text (or report title) contains norm, one character or more."""

    norm: str
    scope: str = TEXT


@dataclass(frozen=True)
class SameSentence:
    """Paragraphs where every normalized needle occurs inside one and the same sentence."""

    needles: tuple


@dataclass(frozen=True)
class FieldIs:
    """Paragraphs whose value of a registry field (model/registry.py) the Choice takes in."""

    name: str
    choice: object


@dataclass(frozen=True)
class Everything:
    """Every paragraph."""


@dataclass(frozen=True)
class AllOf:
    """Paragraphs every part matches."""

    parts: tuple


@dataclass(frozen=True)
class AnyOf:
    """Paragraphs any part matches."""

    parts: tuple


@dataclass(frozen=True)
class Without:
    """Paragraphs base matches and dropped does not."""

    base: object
    dropped: object


def all_of(parts):
    """Return a node requiring every one of the parts."""
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def any_of(parts):
    """Return a node requiring any one of the parts."""
    return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))
