"""Text-level cleaning: drop appeal and chrome paragraphs, find the headline."""

from dataclasses import dataclass, field

from cleaners.record import Removal


@dataclass
class TextOutcome:
    paragraphs: list[str]
    removals: list[Removal] = field(default_factory=list)
    title: str | None = None
    site_name: str | None = None


def clean_paragraphs(paragraphs: list[str], *, whole_page: bool) -> TextOutcome:
    """`whole_page` is true for plain-text dumps, whose first real line is the headline."""
    title = paragraphs[0] if whole_page and paragraphs else None
    body = paragraphs[1:] if title else paragraphs
    return TextOutcome(paragraphs=body, title=title)
