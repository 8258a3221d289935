"""Days a page prints where no markup dates it: the date line under the headline, a blog's "posted on" sentence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from itertools import islice
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from cleaners.metadata.markup import clean_space, in_comments, text_of
from cleaners.metadata.written_dates import written_day

_H1S = etree.XPath("//body//h1")
_H1S_READ = 3  # a logo's <h1> may come first
_H2S = etree.XPath("//body//h2")
_H2S_READ = 20  # the headline <h2> comes early; a page of thousands must not cost a comparison each
_TITLE = etree.XPath("string((//title)[1])")
_LINK_TARGETS = etree.XPath("descendant-or-self::a/@href")
_HEADLINE_WORDS = 3  # a logo's <h1> holds the site's name, a headline a sentence
_AFTER_HEADLINE = 12  # elements after the headline that may still hold its date line
_DATE_LINE_MAX = 60  # chars: a day with a time or a name, not a teaser or a paragraph
_BODY_STARTED = 200  # chars: a paragraph this long is the article's text; its date line is behind
_PARAGRAPHS = etree.XPath("//body//p")
_PARAGRAPHS_READ = 500  # the sentence follows the article; a page of 10,000 paragraphs must not cost a search each
# The sentence blog themes print under a post: "This entry was posted on Monday, May 3rd, 2021 at 9:15 pm",
# "Dieser Beitrag wurde am Montag, 3. Mai 2021 um 21:15 Uhr veröffentlicht".
_POSTED_ON = re.compile(
    r"\bthis (?:entry|post|article) was (?:posted|published) on (?P<en>.{6,40}?\d{4})\b|"
    r"\bwurde (?:\S+ ){0,2}?am (?P<de>.{6,40}?\d{4}) um .{1,12}? (?:veröffentlicht|gepostet)",
    re.I,
)


def says_update(text: str) -> bool:
    """ "Updated May 3, 2021", "Aktualisiert: 3. Mai 2021": the day of an edit, not of the publication."""
    return _update_words().search(text) is not None


@cache
def _update_words() -> re.Pattern[str]:
    text = resources.files("cleaners.metadata").joinpath("date_words.json").read_text(encoding="utf-8")
    words: list[str] = json.loads(text)["update_words"]
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.I)


def headline_day(tree: HtmlElement) -> list[str]:
    """The short line under the headline that holds a day ("1. Februar 2022, Ida Krüger", "13 Oct 2020 18:29"),
    before the article's text begins; not an update line ("Updated May 3, 2021")."""
    for headline in _headlines(tree):
        if len(text_of(headline).split()) < _HEADLINE_WORDS or _links_home(headline):
            continue
        for el in islice(_following(headline), _AFTER_HEADLINE):
            text = clean_space(" ".join(el.itertext()))  # "News24<br>13 Jan 2020": a line break parts words
            if el.tag == "p" and len(text) > _BODY_STARTED:
                break
            day = written_day(text) if len(text) <= _DATE_LINE_MAX else None
            if day and not says_update(text):
                return [day.isoformat()]  # the day alone: the numbers around it may be counts, not a time
        return []
    return []


def _headlines(tree: HtmlElement) -> list[HtmlElement]:
    """The first <h1>s; on a page without one, the <h2> that repeats the page's <title> (a sidebar's does not)."""
    h1s = _H1S(tree)
    if h1s:
        return h1s[:_H1S_READ]
    title = clean_space(_TITLE(tree)).casefold()
    for h2 in islice(_H2S(tree), _H2S_READ):
        text = clean_space(text_of(h2)).casefold()
        if text and text in title:
            return [h2]
    return []


def posted_on_day(tree: HtmlElement) -> list[str]:
    """The day of a blog theme's "This entry was posted on ..." sentence, outside comment threads."""
    for paragraph in islice(_PARAGRAPHS(tree), _PARAGRAPHS_READ):
        match = _POSTED_ON.search(clean_space(text_of(paragraph)))
        day = written_day(match.group("en") or match.group("de")) if match else None
        if day and not in_comments(paragraph):
            return [day.isoformat()]
    return []


def _links_home(heading: HtmlElement) -> bool:
    """A logo: the heading links to the site's front page."""
    return any(urlsplit(href.strip()).path in ("", "/") for href in _LINK_TARGETS(heading))


def _following(el: HtmlElement) -> Iterator[HtmlElement]:
    """The elements after `el` in document order, its own descendants excluded."""
    for anchor in (el, *el.iterancestors()):
        for sibling in anchor.itersiblings():
            yield from (node for node in sibling.iter() if isinstance(node.tag, str))
