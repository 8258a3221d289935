"""Paragraph splitting and joining shared by every text stage."""

import re

_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, single-line breaks kept, trailing spaces stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = (_strip_lines(block) for block in _BLANK_LINES.split(text))
    return [block for block in blocks if block]


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def _strip_lines(block: str) -> str:
    if "\n" not in block:  # one line, as most blocks are: stripping it is all the rest would do
        return block.strip()
    lines = (line.rstrip(" \t\u00a0") for line in block.strip("\n").split("\n"))
    return "\n".join(line for line in lines if line.strip()).strip()


def clean_space(text: str) -> str:
    """Every run of whitespace as one space, none at the ends."""
    return _SPACES.sub(" ", text).strip()
