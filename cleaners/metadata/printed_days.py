"""Days a page prints where no markup dates it: the date line under the headline, a blog's "posted on" sentence."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from cleaners.metadata.markup import BESIDE_BLOCK, BODY_PARAGRAPHS, H1S, IN_ARTICLE_TEXT, in_quote, text_of
from cleaners.metadata.title import key
from cleaners.metadata.written_dates import day_and_start, written_day
from cleaners.paragraphs import clean_space

_H2S = etree.XPath("//body//h2")
_HEADINGS_READ = 20  # the headline comes early; a page of thousands must not cost a comparison each
_HEADLINE_MAX = 400  # chars: longer is a wrapper around more than a headline
# A photo's, a breadcrumb's, a teaser's or a quote's day, in or as the block itself: not the article's. The article's
# <header> is no such block: its date line stands there.
_BESIDE = etree.XPath(
    f"ancestor-or-self::*[not(self::body or self::html)][{BESIDE_BLOCK} or self::figcaption or self::blockquote or "
    "contains(@class, 'breadcrumb')]"
)
_SUBHEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_AFTER_HEADLINE = 12  # elements after the headline that may still hold its date line
_DATE_LINE_MAX = 60  # chars: a day with a time or a name, not a teaser or a paragraph
_BODY_STARTED = 200  # chars: a paragraph this long is the article's text; its date line is behind
_PARAGRAPHS_READ = 500  # the sentence follows the article; a page of 10,000 paragraphs must not cost a search each
# The sentence blog themes print under a post: "This entry was posted on Monday, May 3rd, 2021 at 9:15 pm",
# "Dieser Beitrag wurde am Montag, 3. Mai 2021 um 21:15 Uhr veröffentlicht".
_POSTED_ON = re.compile(
    r"\bthis (?:entry|post|article) was (?:posted|published) on (?P<en>.{6,40}?\d{4})\b|"
    r"\bwurde (?:\S+ ){0,2}?am (?P<de>.{6,40}?\d{4}) um .{1,12}? (?:veröffentlicht|gepostet)",
    re.I,
)
_PUBLICATION_WORDS = (
    r"published(?: on)?|publiziert(?: am)?|veröffentlicht(?: am)?|erschienen(?: am)?|publicado(?: el)?|"
    r"publié le|pubblicato(?: il)?|publication date|posted on|gepostet am|erstellt am"
)
# A label printed before the publication day: "Erschienen am: 2. Februar 2019", "<b>Published on</b> ...".
PUBLICATION_LABEL = re.compile(rf"(?:{_PUBLICATION_WORDS})\s*:?", re.I)
# Under the headline a bare "Date:" labels the article's day too.
_LINE_LABEL = re.compile(rf"{_PUBLICATION_WORDS}|datum|date|fecha|data", re.I)
# "Concert: 12 May 2021", "Deadline: March 31, 2021", "On this day: 3 May 1999": words and a colon before the day.
_LABEL_BEFORE = re.compile(r"(?P<label>[^\W\d][^:|·•]{0,30}?)\s*:\s*$")


def says_update(text: str) -> bool:
    """ "Updated May 3, 2021", "Aktualisiert: 3. Mai 2021": the day of an edit, not of the publication."""
    return _update_words().search(text) is not None


@cache
def _update_words() -> re.Pattern[str]:
    text = resources.files("cleaners.metadata").joinpath("date_words.json").read_text(encoding="utf-8")
    words: list[str] = json.loads(text)["update_words"]
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.I)


def short_text(el: HtmlElement, limit: int) -> str | None:
    """The element's text with its line breaks as spaces ("News24<br>13 Jan 2020"); None past `limit` chars, read
    no further: a wrapper may hold the whole page."""
    parts: list[str] = []
    size = 0
    for part in el.itertext():
        size += len(part.strip())
        if size > limit:
            return None
        parts.append(part)
    return clean_space(" ".join(parts))


def headline_day(tree: HtmlElement, title: str | None) -> list[str]:
    """The short line under the headline that holds a day ("1. Februar 2022, Ida Krüger", "13 Oct 2020 18:29"),
    before the article's text begins; not an update line ("Updated May 3, 2021"), an event's or a deadline's
    ("Deadline: March 31, 2021"), nor a day in a photo caption, a breadcrumb or a teaser."""
    headline = _headline(tree, title)
    if headline is None:
        return []
    around = {headline, *headline.iterancestors()}
    for el in islice(_following(headline), _AFTER_HEADLINE):
        if el.tag in _SUBHEADINGS:  # a standfirst or kicker may name a day: it is not the date line
            continue
        text = short_text(el, _BODY_STARTED)
        if text is None and el.tag == "p":
            break
        if text is None or len(text) > _DATE_LINE_MAX or _BESIDE(el):
            continue
        day = written_day(text)
        if day and all(_publication_line(line) for line in _lines_around(el, text, around)):
            return [day.isoformat()]  # the day alone: the numbers around it may be counts, not a time
    return []


def _headline(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The <h1>, else the <h2>, that reads as the page's title: a logo's, a widget's or a section's heading does
    not, and neither does one beside the article."""
    wanted = key(html.unescape(title or ""))  # a title meta may escape twice: "&#039;" for "'"
    for find in (H1S, _H2S):
        for heading in islice(find(tree), _HEADINGS_READ):
            if wanted and key(short_text(heading, _HEADLINE_MAX) or "") == wanted and not _BESIDE(heading):
                return heading
    return None


def _lines_around(el: HtmlElement, text: str, around: set[HtmlElement]) -> list[str]:
    """The line as printed: "<dt>Zuletzt aktualisiert</dt><dd>5. Mai 2021</dd>" labels the day in the element
    before; "<p>Updated <time>..</time></p>" in the parent. Not the headline's: its words label no day."""
    lines = [text]
    previous, parent = el.getprevious(), el.getparent()
    if previous is not None and previous not in around:
        lines.append(f"{short_text(previous, _DATE_LINE_MAX) or ''} {text}")
    if parent is not None and parent not in around:
        lines.append(short_text(parent, _DATE_LINE_MAX) or "")
    return lines


def _publication_line(line: str) -> bool:
    """Not an update line, nor a day after another label than a publication's."""
    if says_update(line):
        return False
    found = day_and_start(line)
    label = _LABEL_BEFORE.search(line[: found[1]]) if found else None
    return label is None or _LINE_LABEL.fullmatch(label["label"]) is not None


def posted_on_day(tree: HtmlElement) -> list[str]:
    """The day of a blog theme's "This entry was posted on ..." sentence in the article's text: not in a comment
    thread, a sidebar widget, a related post or a quote."""
    for paragraph in islice(BODY_PARAGRAPHS(tree), _PARAGRAPHS_READ):
        match = _POSTED_ON.search(clean_space(text_of(paragraph)))
        day = written_day(match.group("en") or match.group("de")) if match else None
        if day and IN_ARTICLE_TEXT(paragraph) and not in_quote(paragraph):
            return [day.isoformat()]
    return []


def _following(el: HtmlElement) -> Iterator[HtmlElement]:
    """The elements after `el` in document order, its own descendants excluded."""
    for anchor in (el, *el.iterancestors()):
        for sibling in anchor.itersiblings():
            yield from (node for node in sibling.iter() if isinstance(node.tag, str))
