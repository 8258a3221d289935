"""The standfirst: a lead sentence set just before the article's container, which trafilatura leaves out,
and the repair of unclosed headings that would otherwise hide it inside that container."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

_BLOCKS = ("div", "p", "section", "article", "ul", "ol", "table", "figure")
_OPEN_HEADINGS = etree.XPath(f"(//h1|//h2|//h3|//h4|//h5|//h6)[{' or '.join(_BLOCKS)}]")
# Article bodies open with a <p>; looking at every element would cost three times as much.
_PARAGRAPH_STARTING = etree.XPath("//p[starts-with(normalize-space(text()), $opening)]")
# Enough of the first paragraph to find its element, short enough to sit in its first text node.
_OPENING_CHARS = 40
_LEAD_TAGS = frozenset({"p", "h2", "h3"})
# A sentence or two: shorter is a label or a kicker, longer is body text trafilatura chose to drop.
_MIN_CHARS, _MAX_CHARS = 60, 600
_SENTENCE_ENDS = (".", "!", "?", '"', "\u201d", "\u00bb")
# The container of the first paragraph is rarely more than this many levels above it.
_LEVELS = 3
# Class or id words that name a lead; without one, the lead must follow the headline.
_LEAD_WORDS = re.compile(r"lead|standfirst|excerpt|intro|summary|subtitle|dek\b|deck|sapo|chapo", re.I)
# Between a headline and its lead: pictures and up to this many short lines (kicker, byline, date).
_PICTURES = frozenset({"figure", "picture", "img"})
_BETWEEN = 3


def close_open_headings(tree: HtmlElement) -> None:
    """A heading holding blocks was never closed (`<h2>...</h3>`): browsers end it before them, so does this."""
    for heading in _OPEN_HEADINGS(tree):
        first = next(i for i, child in enumerate(heading) if child.tag in _BLOCKS)
        moved = heading[first:]
        moved[-1].tail = (moved[-1].tail or "") + (heading.tail or "")
        heading.tail = None
        parent = heading.getparent()
        at = parent.index(heading) + 1
        parent[at:at] = moved


def standfirst(tree: HtmlElement, body: str) -> str | None:
    """The sentence-long heading or paragraph just before the container of the body's opening <p>.

    Looks up to _LEVELS containers out; the first element with text before a container decides."""
    opening = " ".join(body.split("\n\n", 1)[0].split())[:_OPENING_CHARS]
    found = _PARAGRAPH_STARTING(tree, opening=opening) if opening else []
    element = found[0] if found else None
    for _ in range(_LEVELS):
        if element is None:
            return None
        previous = _previous_with_text(element)
        if previous is not None:
            text = " ".join(previous.text_content().split())
            return text if _reads_as_lead(previous, text, body) else None
        element = element.getparent()
    return None


def _previous_with_text(element: HtmlElement) -> HtmlElement | None:
    """Siblings emptied by chrome pruning (ad slots, share bars) do not separate a lead from its article."""
    sibling = element.getprevious()
    while sibling is not None and not (isinstance(sibling.tag, str) and sibling.text_content().strip()):
        sibling = sibling.getprevious()
    return sibling


def _reads_as_lead(element: HtmlElement, text: str, body: str) -> bool:
    return (
        element.tag in _LEAD_TAGS
        and _MIN_CHARS <= len(text) <= _MAX_CHARS
        and text.endswith(_SENTENCE_ENDS)
        and element.find(".//a") is None
        and text not in " ".join(body.split())
        and (_LEAD_WORDS.search(f"{element.get('class', '')} {element.get('id', '')}") is not None
             or _follows_headline(element))
    )


def _follows_headline(element: HtmlElement) -> bool:
    """A sentence under the headline is its lead; one under other text may be a teaser for another story."""
    previous = _previous_with_text(element)
    for _ in range(_BETWEEN):
        if previous is None:
            return False
        if previous.tag == "h1" or previous.find(".//h1") is not None:
            return True
        if previous.tag not in _PICTURES and len(previous.text_content().strip()) >= _MIN_CHARS:
            return False
        previous = _previous_with_text(previous)
    return False
