"""Bylines to display names: prefixes, roles, e-mails and dates stripped; several names split; agencies marked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from cleaners.metadata.markup import Markup, clean_space, node_types
from cleaners.metadata.title import key

# News agencies, by the forms they sign with; they stay in `authors` and are also listed in `agencies`.
AGENCIES = {
    "ap": "AP", "associated press": "AP", "the associated press": "AP", "reuters": "Reuters", "afp": "AFP",
    "agence france-presse": "AFP", "agence france presse": "AFP", "dpa": "dpa", "sda": "SDA", "keystone-sda": "SDA",
    "apa": "APA", "kna": "KNA", "epd": "epd", "ansa": "ANSA", "efe": "EFE", "agencia efe": "EFE",
    "europa press": "Europa Press", "pa": "PA", "pa media": "PA", "upi": "UPI", "tass": "TASS", "xinhua": "Xinhua",
    "kyodo": "Kyodo", "jiji": "Jiji", "yonhap": "Yonhap", "belga": "Belga", "anp": "ANP", "ntb": "NTB", "tt": "TT",
    "ritzau": "Ritzau", "pap": "PAP", "ctk": "ČTK", "čtk": "ČTK", "pti": "PTI", "ians": "IANS", "ani": "ANI",
    "aap": "AAP", "bloomberg": "Bloomberg", "sid": "SID", "dts": "dts", "anadolu ajansı": "Anadolu",
    "anadolu agency": "Anadolu", "deutsche presse-agentur": "dpa", "agenturen": "agencies", "agencies": "agencies",
}  # fmt: skip

_META_KEYS = ("author", "article:author", "dc.creator", "dcterms.creator", "sailthru.author", "parsely-author",
              "byl", "citation_author", "cxenseparse:author", "og:article:author",
              "twitter:misc:written")  # fmt: skip  # the last is "twitter:misc:Written by", split at its space
_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website", "brand"})

_BYLINE_XPATH = etree.XPath(
    "//*[@itemprop='author'] | //*[@rel='author'] | //*[contains(@class, 'byline')] | //byline | "
    "//*[contains(@class, 'author') and not(contains(@class, 'authorize'))][not(self::body or self::html)] | "
    "//*[contains(@class, 'autor') or contains(@class, 'contributor')][not(self::body or self::html)]"
)
# A label and its value: "<strong>Autorin/Autor</strong> Jane Doe", "<h4>Author</h4><p>Jane Doe</p>".
_LABELS = etree.XPath(
    "//body//*[self::strong or self::b or self::span or self::dt or self::th or self::h4 or self::h5 or self::label]"
    "[string-length(normalize-space()) < 24]"
)
_LABEL_TEXT = re.compile(
    r"(?:autor(?:in)?(?:/autor)?|autoren|author|authors|verfasser(?:in)?|text|written by)\s*:?", re.I
)
_OUTSIDE_COMMENTS = (
    "not(ancestor::script or ancestor::style or ancestor::form or "
    "ancestor::*[contains(@class, 'comment') or contains(@id, 'comment')])"
)
_IN_COMMENTS = etree.XPath(f"not({_OUTSIDE_COMMENTS})")
# Last resort: a short text that reads like a byline ("Von Jane Doe"), outside scripts and comments.
# Words that may come before "by"/"von" in a byline: "Posted by", "Ein Beitrag von", "Text und Fotos von".
_LEAD = (
    r"(?:(?:posted|written|reported|text|fotos?|photos?|blog|ein|beitrag|artikel|erstellt|geschrieben|verfasst|und)"
    r"\s+){0,3}"
)
_BYLINE_START = re.compile(rf"\s*{_LEAD}(?:by|von|par|por|door|text:|autor(?:in)?:|author:)\s", re.I)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "form", "textarea"})
_NAME = r"[^\W\d_][\w'.-]*(?:\s+(?:[^\W\d_][\w'.-]+|van|von|de|der|da|di|le|la)){1,3}"
_NAMES_ONLY = re.compile(
    rf"{_LEAD}(?:by|von|par|por|door|text:|autor:|autorin:|author:)\s+{_NAME}"
    rf"(?:\s*(?:,|and|und|&|et|y)\s+{_NAME})*\s*[,|@-]?",
    re.I,
)

_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|text|story|words|photos?|interview|artikel|article|beitrag|erstellt|"
    r"geschrieben|verfasst|gepostet|publié|escrito|publicado)\s+"
    r"(?:by|von|de|par)|by|von|par|por|door|av|af|di|da|de|från|przez|autor(?:in)?|auteur|author|text|"
    r"interview|reporter|redakce|redaktion)\s*[:\-]?\s*(?=[^\W\d_])(?<=[\s:\-])",
    re.I,
)
_ROLE = re.compile(
    r"\b(?:reporter|correspondent|editor|editorial|staff|writer|contributor|columnist|journalist|"
    r"redakteur(?:in)?|korrespondent(?:in)?|redaktion|chief|senior|deputy|freelance|contributing|"
    r"photographer|producer|analyst|professor|director|president|ceo|founder|team|desk|newsroom|"
    r"chefredakteur(?:in)?|autor(?:in)?|volontär(?:in)?|sagt|says|admin|administrator|uncategorized|"
    r"updated|published|posted|publiziert|aktualisiert|veröffentlicht|opinion|guest|special to|for the|"
    r"follow|twitter|facebook|email|e-mail|read more|more from|view all|articles?|posts?|beiträge|kommentar\w*|"
    r"no author|anonymous|stand|kontakt|contact|zuletzt|geändert|schließen|close|mehr)\b",
    re.I,
)
_JOB = re.compile(
    r"(?:chef)?redakteur(?:in)?|reporter(?:in)?|editor|correspondent|writer|journalist(?:in)?|autor(?:in)?|kontakt",
    re.I,
)
_CJK_ROLE = re.compile(r"\s*(?:기자|특파원|記者|特派員|编辑|記者)$")
# Segments ("Name | date", "A / B") are independent; within one, names are listed and a role ends the list.
_SEGMENTS = re.compile(r"\s*[|;/•·\n]\s*|\s+[-–—@]\s+")
# "Posted on May 2, 2020 by Jane Doe", "Blog post von Jane Doe": the name follows the last by/von.
_INNER_BY = re.compile(
    r"^.*\s(?:by|par|por|door|(?:beitrag|artikel|text|bericht|geschrieben|verfasst|post)\s+von)\s+(?=[^\W\d_])", re.I
)
_LIST = re.compile(r"\s*(?:,|&|\+)\s*|\s+(?:and|und|et|y|e|og|och|i|sowie|mit|en)\s+", re.I)
# "Associated Press in Valencia", "Jane Doe am Samstag": the place or day is not part of the name.
_TRAILER = re.compile(r"\s+(?:in|aus|am|em|à|from)(?:\s+\S.*)?$", re.I)
_NOISE = re.compile(r"©|\(c\)|\S+@\S+|https?://\S+|www\.\S+|\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|<[^>]*>")
# Dates and times inside a byline end one segment: "By Jane Doe Feb 21, 2020" -> "Jane Doe".
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|"
    r"\b\d{1,2}\.?\s+(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)[a-zä]*\.?\s+\d{4}\b|"
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?|uhr)?",
    re.I,
)
_DIGIT = re.compile(r"\d")
_CREDENTIAL = re.compile(r"\b(?:ph\.?\s?d|m\.?d|mba|mph|rn|esq|jr|sr)\.?$", re.I)
_CORPORATE = re.compile(r"\b(?:e\.\s?v|gmbh|ag|inc|ltd|llc|s\.a|verlag|online|news|zeitung|magazin)\b\.?", re.I)
_DOMAIN = re.compile(r"\w\.(?:com|de|at|ch|org|net|fr|it|es|uk|be|nl|info|eu)\b", re.I)
_WRITTEN_BY = re.compile(r"written by|verfasst von|geschrieben von|écrit par|escrito por|autor", re.I)
# What a removed date leaves behind: "um", "at", a time zone, a lone symbol.
_LEFTOVER = re.compile(r"(?i:um|at|on|am|le|el|uhr)|[A-Z]{1,3}[SD]T|UTC|GMT|\W+")
_GLUED_LABEL = re.compile(r"^(?:author|autor|autorin|by|von)(?=[A-ZÀ-Þ][a-zß-ÿ])")  # "AuthorJane Doe"
_BARE_PREFIXES = frozenset(
    {"by", "von", "par", "por", "door", "av", "di", "de", "da", "from", "written by", "posted by", "artikel von",
     "beitrag von", "text von", "ein beitrag von"}
)  # fmt: skip


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    organizations_only: bool = False  # no person or agency among the authors: only publishers or associations


@dataclass(frozen=True)
class Credit:
    """One raw byline string and whether the markup says it names an organization."""

    text: str
    organization: bool = False


def extract_authors(
    tree: HtmlElement | None, markup: Markup | None, site_names: list[str], hinted: Any = None
) -> Byline:
    """First source that yields a person: JSON-LD, meta tags, byline markup, byline-like text, then the hints.

    A byline of organizations only (the publisher, an association) is kept in case no person turns up."""
    fallback = Byline()
    for credits in author_sources(tree, markup, hinted):
        byline = parse_bylines(credits, site_names)
        if byline.authors and not byline.organizations_only:
            return byline
        fallback = fallback if fallback.authors else byline
    return fallback


def author_sources(tree: HtmlElement | None, markup: Markup | None, hinted: Any) -> Iterator[list[Credit]]:
    """Lazily, best first: scanning the page body only happens when the markup named nobody."""
    if markup is not None:
        for node in markup.articles()[:1]:
            yield ld_credits(node.get("author") or node.get("creator"))
        for meta_key in _META_KEYS:
            yield [Credit(v) for v in markup.meta.get(meta_key, []) if not v.startswith(("http", "@"))]
        yield [Credit(v) for v in labelled_author(markup)]
    if tree is not None:
        yield from ([Credit(text)] for text in dom_bylines(tree))
        yield from ([Credit(text)] for text in text_bylines(tree))
        yield from ([Credit(text)] for text in labelled_bylines(tree))
    if hinted:
        yield [Credit(str(h)) for h in ([hinted] if isinstance(hinted, str) else hinted) if h]


def labelled_author(markup: Markup) -> list[str]:
    """Blog engines write the byline as a twitter:label1 / twitter:data1 pair ("Written by" / "Jane Doe")."""
    label = markup.first_meta("twitter:label1") or ""
    return markup.meta.get("twitter:data1", [])[:1] if _WRITTEN_BY.search(label) else []


def ld_credits(value: Any) -> list[Credit]:
    """JSON-LD authors: strings, {"name": ...} nodes (Organization nodes marked), lists of either."""
    if isinstance(value, list):
        return [credit for item in value for credit in ld_credits(item)]
    if isinstance(value, dict):
        name = value.get("name")
        if not name or node_types(value) & {"imageobject"}:
            return []
        names = name if isinstance(name, list) else [name]
        return [Credit(str(n), bool(node_types(value) & _ORG_TYPES)) for n in names if n]
    return [Credit(value)] if isinstance(value, str) else []


def dom_bylines(tree: HtmlElement) -> list[str]:
    """Text of the elements marked as bylines, outside comment threads; each one a separate source."""
    texts: list[str] = []
    for el in _BYLINE_XPATH(tree)[:40]:
        if _IN_COMMENTS(el):
            continue
        name_el = el.find(".//*[@itemprop='name']")
        text = clean_space((name_el if name_el is not None else el).text_content())
        if text and len(text) <= 120:
            texts.append(text)
    return texts


def text_bylines(tree: HtmlElement) -> list[str]:
    """Only text that is nothing but a prefix and capitalized names, so prose ("by the river") stays out."""
    texts: list[str] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIPPED_TAGS:
            continue
        texts += [clean_space(t) for t in (el.text, el.tail) if t and _reads_as_byline(t) and not _IN_COMMENTS(el)]
        if len(texts) >= 3:
            break
    return texts


def labelled_bylines(tree: HtmlElement) -> list[str]:
    """The value after an "Author" label: the label's tail text, else the next element's text."""
    values: list[str] = []
    for label in _LABELS(tree):
        if not _LABEL_TEXT.fullmatch(clean_space(label.text_content())) or _IN_COMMENTS(label):
            continue
        following = label.getnext()
        value = clean_space(label.tail or "") or (
            clean_space(following.text_content()) if following is not None else ""
        )
        if value and len(value) <= 80:
            values.append(value)
    return values[:3]


def _reads_as_byline(text: str | None) -> bool:
    if not text or len(text) >= 200 or not _BYLINE_START.match(text):
        return False
    return bool(_NAMES_ONLY.fullmatch(clean_space(_DATE.sub(" ", text))))


def parse_bylines(credits: list[Credit], site_names: list[str]) -> Byline:
    byline = Byline()
    sites = {key(s) for s in site_names}
    # "vnexpress.net" also goes by "VnExpress"; "Haki Benita" on hakibenita.com is still a person.
    labels = {key(s.split(".")[0]) for s in site_names if _DOMAIN.search(s)}
    people = 0
    for credit in credits:
        for name in split_byline(credit.text):
            agency = AGENCIES.get(name.casefold())
            if agency:
                _add(byline.agencies, agency)
                _add(byline.authors, name)
                people += 1  # an agency byline is a real credit, unlike the publisher's own name
            elif key(name) not in sites and not (" " not in name and key(name) in labels) and looks_like_name(name):
                _add(byline.authors, fix_case(name))
                people += not (credit.organization or _CORPORATE.search(name))
    byline.organizations_only = people == 0
    if not byline.organizations_only:
        # "Jane Doe, CBC News": next to a person, the outlet is an affiliation, not a co-author.
        byline.authors = [a for a in byline.authors if a in byline_agencies(byline) or not _CORPORATE.search(a)]
    return byline


def byline_agencies(byline: Byline) -> set[str]:
    return {a for a in byline.authors if a.casefold() in AGENCIES}


def _add(names: list[str], name: str) -> None:
    if name.casefold() not in {n.casefold() for n in names}:
        names.append(name)


def split_byline(raw: str) -> list[str]:
    """By JANE DOE and John Roe, Staff Writer | Updated May 2 -> ["JANE DOE", "John Roe"]."""
    text = _DATE.sub(" | ", _NOISE.sub(" ", raw))
    names: list[str] = []
    for segment in _SEGMENTS.split(text):
        for piece in _LIST.split(_INNER_BY.sub("", clean_space(segment))):
            piece = _PREFIX.sub("", _GLUED_LABEL.sub("", piece.strip(" .:-–—·•"))).strip(" .:-–—·•")
            piece = _CJK_ROLE.sub("", _CREDENTIAL.sub("", piece)).strip(" ,.")
            role = _ROLE.search(piece)
            if role and _JOB.fullmatch(role.group(0)) and _is_full_name(head := piece[: role.start()].strip(" ,-")):
                names.append(head)  # "Jane Doe Chefredakteurin": the name before the job title
            if _DIGIT.search(piece) or role:
                break  # what follows a role or a date is an affiliation or a place, not another author
            piece = _TRAILER.sub("", piece)
            if piece and piece.casefold() not in _BARE_PREFIXES and not _LEFTOVER.fullmatch(piece):
                names.append(piece)
    return names


def _is_full_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)


def looks_like_name(name: str) -> bool:
    """One to five words, the first capitalized; scripts without case (CJK, Hindi...) pass on length alone."""
    words = name.split()
    if not 1 <= len(words) <= 5 or len(name) > 60 or _DOMAIN.search(name):
        return False
    if name.islower() and len(words) == 1:
        return True  # handles and initials such as "fri.juli" or "ssi"
    capitalized = [w[:1].isupper() or w[:1].lower() == w[:1].upper() for w in words]  # uncased scripts count
    return capitalized[0] and sum(capitalized) >= max(1, len(words) - 2)


def fix_case(name: str) -> str:
    """ALL-CAPS bylines become title case; mixed case is kept as the author wrote it."""
    if not name.isupper() or len(name) <= 4:
        return name
    return re.sub(r"[A-Za-zÀ-ÿ]+('[a-z])?", lambda m: m.group(0).capitalize(), name.lower())
