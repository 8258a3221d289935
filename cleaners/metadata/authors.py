"""Bylines to display names: prefixes, roles, e-mails and dates stripped; several names split; agencies marked."""

from __future__ import annotations

import re
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
    "apa": "APA", "kna": "KNA", "epd": "epd", "ansa": "ANSA", "efe": "EFE", "europa press": "Europa Press",
    "pa": "PA", "pa media": "PA", "upi": "UPI", "tass": "TASS", "xinhua": "Xinhua", "kyodo": "Kyodo",
    "yonhap": "Yonhap", "belga": "Belga", "anp": "ANP", "ntb": "NTB", "tt": "TT", "ritzau": "Ritzau",
    "pap": "PAP", "ctk": "ČTK", "čtk": "ČTK", "pti": "PTI", "ians": "IANS", "ani": "ANI", "aap": "AAP",
    "bloomberg": "Bloomberg", "sid": "SID", "dts": "dts", "afp/dpa": "AFP", "reuters/ap": "Reuters",
}  # fmt: skip

_BYLINE_XPATH = etree.XPath(
    "//*[@itemprop='author'] | //*[@rel='author'] | //*[contains(@class, 'byline')] | "
    "//*[contains(@class, 'author') and not(contains(@class, 'authorize'))][not(self::body or self::html)]"
)
_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|text|story|words|photos?|interview)\s+(?:by|von)|by|von|par|por|door|"
    r"av|af|di|da|de|från|przez|autor(?:in)?|author|text|reporter|redakce|redaktion)\s*[:\-]?\s+",
    re.I,
)
_ROLE = re.compile(
    r"\b(?:reporter|correspondent|editor|editorial|staff|writer|contributor|columnist|journalist|"
    r"redakteur(?:in)?|korrespondent(?:in)?|redaktion|chief|senior|deputy|freelance|contributing|"
    r"photographer|producer|analyst|professor|director|president|ceo|founder|team|desk|newsroom|"
    r"updated|published|posted|aktualisiert|veröffentlicht|opinion|guest|special to|for the|"
    r"follow|twitter|email|e-mail|read more|more from|view all|articles?|posts?)\b",
    re.I,
)
_SPLIT = re.compile(
    r"\s*(?:;|\||,|/|&|\+|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\boch\b|\bi\b|\bsowie\b|\bmit\b)\s*",
    re.I,
)
_NOISE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|<[^>]*>")
_DIGIT = re.compile(r"\d")
_CREDENTIAL = re.compile(r"\b(?:ph\.?\s?d|m\.?d|mba|mph|rn|esq|jr|sr)\.?$", re.I)
_META_KEYS = ("author", "article:author", "dc.creator", "dcterms.creator", "sailthru.author", "parsely-author",
              "byl", "citation_author", "cxenseparse:author", "og:article:author", "twitter:creator")  # fmt: skip


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)


def extract_authors(
    tree: HtmlElement | None, markup: Markup | None, site_names: list[str], hinted: Any = None
) -> Byline:
    """First source that yields a name: JSON-LD, meta tags, byline markup in the page, then the hints."""
    for raw in author_sources(tree, markup, hinted):
        byline = parse_bylines(raw, site_names)
        if byline.authors:
            return byline
    return Byline()


def author_sources(tree: HtmlElement | None, markup: Markup | None, hinted: Any) -> list[list[str]]:
    sources: list[list[str]] = []
    if markup is not None:
        for node in markup.articles()[:1]:
            sources.append(ld_names(node.get("author") or node.get("creator")))
        sources += [[v for v in markup.meta.get(k, []) if not v.startswith(("http", "@"))] for k in _META_KEYS]
    if tree is not None:
        sources.append(dom_bylines(tree))
    if hinted:
        sources.append([hinted] if isinstance(hinted, str) else [str(h) for h in hinted])
    return sources


def ld_names(value: Any) -> list[str]:
    """Names of JSON-LD authors: strings, {"name": ...} nodes, lists of either."""
    if isinstance(value, list):
        return [name for item in value for name in ld_names(item)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            return [str(n) for n in name if n]
        return [str(name)] if name and not (node_types(value) & {"imageobject"}) else []
    return [value] if isinstance(value, str) else []


def dom_bylines(tree: HtmlElement) -> list[str]:
    """Text of the first few elements marked as bylines, innermost first so "About the author" boxes lose."""
    texts: list[str] = []
    for el in _BYLINE_XPATH(tree)[:12]:
        name_el = el.find(".//*[@itemprop='name']")
        text = clean_space((name_el if name_el is not None else el).text_content())
        if text and len(text) <= 120:
            texts.append(text)
    return texts[:3]


def parse_bylines(raws: list[str], site_names: list[str]) -> Byline:
    byline = Byline()
    sites = {key(s) for s in site_names}
    for raw in raws:
        for name in split_byline(raw):
            agency = AGENCIES.get(name.casefold())
            if agency:
                _add(byline.agencies, agency)
                _add(byline.authors, name)
            elif key(name) not in sites and looks_like_name(name):
                _add(byline.authors, fix_case(name))
    return byline


def _add(names: list[str], name: str) -> None:
    if name.casefold() not in {n.casefold() for n in names}:
        names.append(name)


def split_byline(raw: str) -> list[str]:
    """ "By JANE DOE and John Roe, Staff Writer | Updated May 2" -> ["JANE DOE", "John Roe"]."""
    text = _NOISE.sub(" ", clean_space(raw))
    names: list[str] = []
    for piece in _SPLIT.split(text):
        piece = _PREFIX.sub("", piece.strip(" .:-–—·•")).strip(" .:-–—·•")
        piece = _CREDENTIAL.sub("", piece).strip(" ,.")
        if piece and not _DIGIT.search(piece) and not _ROLE.search(piece):
            names.append(piece)
    return names


def looks_like_name(name: str) -> bool:
    """One to five words, starting upper-case (or an all-lower handle such as "srf/hosb" pieces)."""
    words = name.split()
    if not 1 <= len(words) <= 5 or len(name) > 60:
        return False
    return sum(w[:1].isupper() for w in words) >= max(1, len(words) - 2) or name.islower() and len(words) == 1


def fix_case(name: str) -> str:
    """ALL-CAPS bylines become title case; mixed case is kept as the author wrote it."""
    if not name.isupper() or len(name) <= 4:
        return name
    return re.sub(r"[A-Za-zÀ-ÿ]+('[a-z])?", lambda m: m.group(0).capitalize(), name.lower())
