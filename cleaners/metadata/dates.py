"""Publication and modification dates as tz-aware UTC, with their precision, offset and source."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import cache
from itertools import islice
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from cleaners.metadata.markup import (
    BESIDE_BLOCK,
    FIRST_H1,
    Markup,
    in_comments,
    in_quote,
    opening_paragraphs,
    text_of,
)
from cleaners.metadata.printed_days import PUBLICATION_LABEL, headline_day, posted_on_day, says_update, short_text
from cleaners.metadata.written_dates import MONTHS, written_day
from cleaners.paragraphs import clean_space

_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)(?:(?P<sep>[-/.])(?P<m1>[01]?\d)(?P=sep)(?P<d1>[0-3]?\d)|(?P<m>[01]\d)(?P<d>[0-3]\d))"
    r"(?:[T\s]+(?P<H>[0-2]\d):?(?P<M>[0-5]\d)(?::?(?P<S>[0-5]\d)(?:[.,]\d+)?)?\s*"
    r"(?P<tz>Z|UTC|GMT|[+-][01]\d(?::?[0-5]\d)?)?)?"
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?:/|[-_]|\b)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/([a-z]{3}|[01]\d)/([0-3]?\d)/", re.I)
_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "published_time", "datepublished", "article.published", "pubdate", "publishdate", "publish-date",
    "publish_date", "publication_date", "sailthru.date", "parsely-pub-date", "dc.date.issued",
    "dcterms.issued", "dc.date.created", "dcterms.created", "citation_date",
    "citation_publication_date", "cxenseparse:recs:publishtime", "article_date_original", "originalpublicationdate",
    "og:pubdate", "rnews:datepublished", "article.created", "created", "release_date", "displaydate",
)  # fmt: skip
# Bare "date" keys do not say which date: CMSs fill them with the last edit as often as with the publication.
_VAGUE_META = ("dc.date", "dcterms.date", "date")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified",
                  "article.updated", "lastmod")  # fmt: skip
_SAME_EDIT_SECONDS = 120  # published and modified this close were written by one save
_TIME = etree.XPath("//time[@datetime] | //*[@itemprop='datePublished'][@datetime or @content]")
# After those with a datetime attribute: a <time> that only prints its day, on a line of its own (a sentence's names
# an event) and not beside the article (a ticker's, a teaser list's).
_PRINTED_TIME = etree.XPath("//time[not(@datetime)]")
_PRINTED_TIME_BESIDE = etree.XPath(
    f"ancestor::*[not(self::body or self::html)][{BESIDE_BLOCK} or contains(@class, 'ticker') or "
    "contains(@class, 'latest')]"
)
_LINE_WORDS = 4  # words beside a <time> on a date line ("By Ida Krüger ·", "Posted on"); a sentence has more
_TIME_TEXT_MAX = 200  # chars: a <time>'s printed date with its label; an unclosed <time> holds the rest of the page
_TIMES_READ = 20  # a page of thousands of dated comments must not cost an ancestor search each
# Marked as the publication time (HTML5 pubdate, schema.org microdata, a "published" class): before other <time>s.
_PUBDATE = etree.XPath(
    "//*[@datetime or @content][@pubdate or @itemprop='datePublished' or contains(@class, 'publish')]"
    "[self::time or @itemprop]"
)

# A bare "Datum"/"Date" also labels events, deadlines and birthdays: only in the article's header or meta block.
_BARE_DAY_LABEL = re.compile(r"(?:datum|date)\s*:?", re.I)
_IN_META_BLOCK = etree.XPath(
    "ancestor::*[not(self::body or self::html)][self::header or contains(@class, 'meta') or "
    "contains(@class, 'byline') or contains(@class, 'author') or contains(@class, 'dateline') or "
    "contains(@class, 'header')]"
)
# A meta list: the label's item or block also holds an author label ("<li><b>Datum</b> ..</li><li><b>Autor</b> ..").
_LABELS_NEARBY = etree.XPath(
    "ancestor::*[position() <= 2][not(self::body or self::html)]//*[self::strong or self::b or self::span or "
    "self::dt or self::th or self::label][string-length(normalize-space()) < 24]"
)
# Without "von"/"by": in an event block those lead the start time ("Von: 19 Uhr").
_AUTHOR_LABEL = re.compile(r"(?:autor(?:in)?(?:/autor)?|autoren|author|authors|verfasser(?:in)?)\s*:?", re.I)
_NEAR_H1 = 3  # elements after the headline that are still its header
_LABEL_TAGS = frozenset({"strong", "b", "span", "dt", "th", "label", "h4", "h5", "div", "p", "li"})
# A paragraph set off like a dateline: "Lund – ...", "07.03.2021 – Der Stadtrat ...", "(4. Juli 2020) Die Werft ...".
_OPENING_DAY = re.compile(r"\(?(?P<day>[^()–—-]{2,30}?)\)?\s*[-–—]\s|\((?P<enclosed>[^()]{2,30})\)\s")
# A dateline's day, after at most one place and a comma ("Kiel, 3. Mai 2021"): digits, month names, "de".
_PLACE_AND_DAY = re.compile(r"(?:(?P<place>[^\W\d_][\w.-]*),\s*)?(?P<day>.+)")
_DAY_WORDS = re.compile(r"[^\s.,]+")
_DAY_WORD = re.compile(r"\d{1,4}(?:st|nd|rd|th)?|de|del", re.I)
# Words that make the day another one than the publication's: a deadline, an event's weekday (an update's are
# date_words.json's).
_NOT_A_PLACE = frozenset(
    {"bis", "ab", "seit", "am", "until", "from", "since", "on",
     "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag", "monday",
     "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lundi", "mardi", "mercredi", "jeudi",
     "vendredi", "samedi", "dimanche", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"}
)  # fmt: skip
_OPENING_SCAN = 120  # chars of a paragraph read for its dateline
_BARE_LABELS_READ = 5  # the header's "Datum" comes early; a page of dated events must not cost a search each
_LABELLED_VALUE_MAX = 40  # chars: a day with its time, not a paragraph that mentions one


@dataclass(frozen=True)
class ParsedDate:
    at: datetime  # always UTC
    precision: str  # "day", "minute" or "second"
    offset_min: int | None  # the UTC offset the page wrote, None when it gave no time zone


@dataclass(frozen=True)
class Dates:
    published: ParsedDate | None = None
    modified: ParsedDate | None = None
    source: str | None = None


def extract_dates(
    tree: HtmlElement | None, markup: Markup | None, url: str | None, hints: dict[str, Any], title: str | None = None
) -> Dates:
    """The first source with a plausible date wins (JSON-LD, meta, URL, <time>, hints); htmldate reads the
    page text when none has one. Text inputs (no tree) put the hints first. `title` is the headline chosen for the
    page: the day printed under it dates the page before htmldate's guess."""
    modified = first_date(modified_candidates(markup)) if markup else None
    sources = [(name, cache(read)) for name, read in published_sources(tree, markup, url, hints)]
    for source, read in sources:
        published = first_date(read())
        if published is None:
            continue
        if needs_context(published):
            published = localize(published, [text for _, other in sources for text in other()])
        original = older_original(published, modified, tree, url) if tree is not None else None
        return Dates(original, modified, "text") if original else Dates(published, modified, source)
    if tree is not None:
        # Last, where nothing else dates the page: a line under the headline or a blog's "posted on" sentence is the
        # article's own day, a day htmldate finds anywhere in the text may be a teaser's. Kept out of localize's
        # sources: whether a printed local day should move a UTC stamp's day, the labels disagree.
        printed = first_date(headline_day(tree, title)) or first_date(posted_on_day(tree))
        if printed:
            return Dates(printed, modified, "text")
        fallback = htmldate_fallback(tree, url)
        if fallback:
            return Dates(fallback, modified, "text")
    return Dates(modified=modified)


def older_original(
    published: ParsedDate, modified: ParsedDate | None, tree: HtmlElement, url: str | None
) -> ParsedDate | None:
    """When published equals modified, some CMSs rewrite both on every edit: an older day htmldate finds in the
    page text is the original if the page also marks it up in a <time> tag or prints it under a publication label
    (htmldate alone may have read a photo caption). Echoing the URL's day is no new evidence (the markup already
    outranked the URL)."""
    if modified is None or abs((modified.at - published.at).total_seconds()) >= _SAME_EDIT_SECONDS:
        return None
    original = htmldate_fallback(tree, url)
    if original is None or original.at.date().isoformat() == url_date(url or ""):
        return None
    # The day before is within a time zone of the stamp (or the photos' day), no sign of a republication.
    if original.at.date() >= local_day(published) - timedelta(days=1):
        return None
    return original if original.at.date() in _marked_days(tree) else None


def _marked_days(tree: HtmlElement) -> set[date]:
    """The days of the page's first <time> tags and of its publication labels."""
    texts = _time_values(tree) + labelled_days(tree)
    return {local_day(parsed) for parsed in map(parse_date, texts) if parsed}


def published_sources(
    tree: HtmlElement | None, markup: Markup | None, url: str | None, hints: dict[str, Any]
) -> list[tuple[str, Callable[[], list[str]]]]:
    """Best first, each read only when asked: the days printed in the text cost more to find than the markup's."""
    sources: list[tuple[str, Callable[[], list[str]]]] = []
    if markup is not None:
        nodes = markup.articles()
        keys = ("datePublished", "dateCreated")
        sources.append(("json-ld", lambda: [str(node[k]) for node in nodes for k in keys if node.get(k)]))
        sources.append(("meta", lambda: [v for k in _PUBLISHED_META for v in markup.meta.get(k, ())]))
    if url:
        sources.append(("url", lambda: [url_date(url) or ""]))
    hinted = ("hints", lambda: [str(hints[k]) for k in ("published", "date", "published_at") if hints.get(k)])
    vague = ("meta", lambda: [v for k in _VAGUE_META for v in markup.meta.get(k, ())] if markup is not None else [])
    if tree is None:
        return [hinted, *sources, vague]
    # After the URL: <time> elements also date comments and teasers around the article.
    sources.append(("time", lambda: _time_values(tree)))
    # Before the vague meta keys: a day the page prints under a "Published" label is the one readers see.
    sources.append(("label", lambda: labelled_days(tree)))
    # Last, where neither the markup nor the source dates the page: the day that opens the text, before htmldate.
    return [*sources, vague, hinted, ("dateline", lambda: opening_day(tree))]


def _time_values(tree: HtmlElement) -> list[str]:
    """The first three dates of <time> tags: those marked as the publication time, else those with a datetime
    attribute, else those that only print a day; not a comment's or an embedded post's."""
    for find in (_PUBDATE, _TIME, _PRINTED_TIME):
        values = [_time_value(el) for el in islice(find(tree), _TIMES_READ) if not in_comments(el) and not in_quote(el)]
        dated = [value for value in values if parse_date(value)][:3]
        if dated:
            return dated
    return []


def _time_value(el: HtmlElement) -> str:
    """The date a <time> gives: its datetime attribute, or the day printed under a publication label days away
    from it; without the attribute its printed day, as HTML defines it (a day only: its clock may lack the AM/PM
    or the zone). "" for an update, a bare clock, a day in a sentence or beside the article, or a long text."""
    value = el.get("datetime") or el.get("content")
    text = short_text(el, _TIME_TEXT_MAX)
    if value is not None:
        return (_printed_instead(value, text) if text else None) or value
    if not text or says_update(text) or _PRINTED_TIME_BESIDE(el) or not _on_date_line(el, text):
        return ""
    day = written_day(text)
    return day.isoformat() if day else ""


def _on_date_line(el: HtmlElement, text: str) -> bool:
    """The <time> stands on a date line or a byline, not in a sentence ("The first sailing is on <time>..")."""
    parent = el.getparent()
    line = short_text(parent, _TIME_TEXT_MAX) if parent is not None else text
    return line is not None and len(re.findall(r"\w+", line.replace(text, "", 1))) <= _LINE_WORDS


def _printed_instead(value: str, text: str) -> str | None:
    """ "<time datetime=2021-05-10..>Publié le 3 mai 2021</time>": the day printed under a publication label is
    the one readers take for the publication's; the attribute, days away, may hold the last edit. A day apart is
    a time zone's doing: the attribute keeps its time."""
    label = PUBLICATION_LABEL.match(text)
    printed = printed_day(text[label.end() :]) if label else None
    stamp = parse_date(value) if printed else None
    if printed and stamp and abs((local_day(stamp) - printed).days) > 1:
        return printed.isoformat()
    return None


def needs_context(published: ParsedDate) -> bool:
    """A bare day, or a UTC stamp: the page's other dates may give its time, or the local day readers saw."""
    return published.precision == "day" or published.offset_min == 0


def labelled_days(tree: HtmlElement) -> list[str]:
    """The text after a publication label: the label's tail, else its next element; outside comment threads. A
    bare "Datum"/"Date" counts only in the article's header (just after the headline) or a byline or meta block."""
    values: list[str] = []
    headline = FIRST_H1(tree)
    header = set(islice(headline[0].itersiblings(), _NEAR_H1)) if headline else set()
    bare_labels = 0
    for el in tree.iter(*_LABEL_TAGS):
        text = (el.text or "").strip()
        if len(text) > _LABELLED_VALUE_MAX or len(el):
            continue
        if not PUBLICATION_LABEL.fullmatch(text):
            if not _BARE_DAY_LABEL.fullmatch(text) or bare_labels == _BARE_LABELS_READ:
                continue
            bare_labels += 1
            if not _bare_label_in_header(el, header):
                continue
        following = el.getnext()
        value = el.tail if el.tail and el.tail.strip() else text_of(following) if following is not None else ""
        value = value.strip()
        if value and printed_day(value) and not in_comments(el):
            values.append(value[:_LABELLED_VALUE_MAX])
        if len(values) >= 3:
            break
    return values


def printed_day(value: str) -> date | None:
    """The day of the text after a label: at its start, with a time at most, not in a paragraph after it."""
    return written_day(value.strip()[:_LABELLED_VALUE_MAX])


def _bare_label_in_header(el: HtmlElement, header: set[HtmlElement]) -> bool:
    if _IN_META_BLOCK(el) or el in header or any(ancestor in header for ancestor in el.iterancestors()):
        return True
    return any(_AUTHOR_LABEL.fullmatch(clean_space(label.text_content())) for label in _LABELS_NEARBY(el))


def opening_day(tree: HtmlElement) -> list[str]:
    """The day of the first paragraph of the article's text (not a teaser or sidebar) set off like a dateline, if
    that dateline is only a day, after at most a place: "07.03.2021 – ...", "Kiel, 7. März 2021 – ...". Not an
    update ("Update 12.03.2024 – ..."), a deadline ("Bis 31. März – ..."), an event's weekday, or a place alone."""
    for paragraph in opening_paragraphs(tree):
        match = _OPENING_DAY.match(clean_space(paragraph.text_content()[:_OPENING_SCAN]))
        if match:
            day = dateline_day(match.group("day") or match.group("enclosed"))
            return [day] if day else []
    return []


def dateline_day(head: str) -> str | None:
    """ "Kiel, 7. März 2021" -> "7. März 2021"; None when anything but a place and a day stands there."""
    match = _PLACE_AND_DAY.fullmatch(head.strip())
    if match is None:
        return None
    place, day = match.group("place"), match.group("day")
    if place and (not place[0].isupper() or place.casefold() in _NOT_A_PLACE or says_update(place)):
        return None
    words = _DAY_WORDS.findall(day)
    if not all(_DAY_WORD.fullmatch(word) or word.casefold() in MONTHS for word in words):
        return None
    return day if written_day(day) else None


def localize(chosen: ParsedDate, candidates: list[str]) -> ParsedDate:
    """A UTC stamp takes the offset of another stamp of the same instant written in local time.

    Pages often give "Z" in JSON-LD and the local wall clock elsewhere; the local day is the one readers saw."""
    if chosen.precision == "day":
        return refine(chosen, candidates)
    if chosen.offset_min != 0:
        return chosen
    for text in candidates:
        other = parse_date(text)
        if other is None:
            continue
        if other.precision == "day":
            if other.at.date() != chosen.at.date() and _local_day_of(chosen, other):
                return other  # a UTC stamp and the page's own day (URL, date-only meta) a zone apart
            continue
        if other.offset_min and abs((other.at - chosen.at).total_seconds()) < 60:
            return ParsedDate(chosen.at, chosen.precision, other.offset_min)
        shift = (other.at - chosen.at).total_seconds() / 60  # a naive wall clock minus the UTC instant
        if other.offset_min is None and 0 < abs(shift) <= 14 * 60 and abs(shift - round(shift / 15) * 15) < 1:
            return ParsedDate(chosen.at, chosen.precision, round(shift / 15) * 15)
    return chosen


def _local_day_of(stamp: ParsedDate, day: ParsedDate) -> bool:
    """Whether some real time zone (UTC-12 to UTC+14) puts the UTC instant on that calendar day."""
    return any((stamp.at + timedelta(hours=hours)).date() == day.at.date() for hours in (-12, 14))


def refine(day: ParsedDate, candidates: list[str]) -> ParsedDate:
    """A day (from the URL, say) takes the time of a later candidate written on that same local day."""
    for text in candidates:
        other = parse_date(text)
        if other and other.precision != "day" and local_day(other) == day.at.date():
            return other
    return day


def modified_candidates(markup: Markup) -> list[str]:
    nodes = markup.articles()
    return [str(n["dateModified"]) for n in nodes if n.get("dateModified")] + [
        v for k in _MODIFIED_META for v in markup.meta.get(k, ())
    ]


def first_date(candidates: list[str]) -> ParsedDate | None:
    for text in candidates:
        parsed = parse_date(text)
        if parsed:
            return parsed
    return None


def parse_date(text: str) -> ParsedDate | None:
    """ISO 8601 and its common variants, RFC 2822, a bare epoch, or a day written out ("3 de mayo de 2022");
    None for anything implausible."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and len(text) in (10, 13):
        return _plausible(ParsedDate(datetime.fromtimestamp(int(text[:10]), UTC), "second", 0))
    match = _ISO.search(text)
    if match:
        return _from_match(match)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        day = written_day(text)
        return _plausible(ParsedDate(datetime(day.year, day.month, day.day, tzinfo=UTC), "day", None)) if day else None
    offset = moment.utcoffset()
    return _plausible(
        ParsedDate(moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC), "second",
                   int(offset.total_seconds() // 60) if offset is not None else None)
    )  # fmt: skip


def _from_match(match: re.Match[str]) -> ParsedDate | None:
    g = match.groupdict()
    try:
        day = datetime(int(g["y"]), int(g["m"] or g["m1"]), int(g["d"] or g["d1"]), tzinfo=UTC)
    except ValueError:
        return None
    if g["H"] is None:
        return _plausible(ParsedDate(day, "day", None))
    offset = _offset_minutes(g["tz"])
    try:
        local = day.replace(hour=int(g["H"]), minute=int(g["M"]), second=int(g["S"] or 0))
    except ValueError:
        return _plausible(ParsedDate(day, "day", None))
    # Without a zone the wall-clock time is kept as if UTC, so the written day never moves.
    at = local - timedelta(minutes=offset or 0)
    return _plausible(ParsedDate(at, "second" if g["S"] else "minute", offset))


def _offset_minutes(tz: str | None) -> int | None:
    if tz is None:
        return None
    if tz in ("Z", "UTC", "GMT"):
        return 0
    digits = tz[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return -minutes if tz[0] == "-" else minutes


def _plausible(parsed: ParsedDate) -> ParsedDate | None:
    """Before the web's news era or more than a day ahead is a template or a typo, not a publication date."""
    now = datetime.now(UTC)
    return parsed if datetime(1995, 1, 1, tzinfo=UTC) <= parsed.at <= now + timedelta(days=1) else None


def url_date(url: str) -> str | None:
    """/2024/03/05/ or /20240305 in the path -> "2024-03-05"."""
    match = _URL_DATE.search(url)
    if match:
        return "-".join(match.groups())
    match = _URL_MONTH.search(url)
    if match:
        year, month, day = match.groups()
        month_num = _MONTHS.get(month.lower()[:3]) if month.isalpha() else int(month)
        if month_num:
            return f"{year}-{month_num:02d}-{int(day):02d}"
    return None


def htmldate_fallback(tree: HtmlElement, url: str | None) -> ParsedDate | None:
    """htmldate reads visible text; it copies the tree itself, and gives days only."""
    from htmldate import find_date  # imported late: only pages without dated markup pay for it

    found = find_date(tree, url=url, original_date=True, extensive_search=True)
    parsed = parse_date(found) if found else None
    # htmldate fills a bare year ("© 2016") in as January 1st: that is a guess, not a publication day.
    return parsed if parsed and parsed.at.timetuple().tm_yday > 1 else None


def local_day(parsed: ParsedDate) -> date:
    """The calendar day the page wrote."""
    return date.fromisoformat(local_iso(parsed)[:10])


def local_iso(parsed: ParsedDate) -> str:
    """The date as the page wrote it: YYYY-MM-DD for a day, else a timestamp with its original offset."""
    if parsed.precision == "day":
        return parsed.at.date().isoformat()
    if parsed.offset_min is None:
        return parsed.at.replace(tzinfo=None).isoformat()
    return parsed.at.astimezone(timezone(timedelta(minutes=parsed.offset_min))).isoformat()
