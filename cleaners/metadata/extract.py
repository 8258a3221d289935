"""Metadata from the page markup and the source's own hints, normalized to the record contract."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml.html import HtmlElement

from cleaners.metadata.authors import extract_authors
from cleaners.metadata.dates import extract_dates
from cleaners.metadata.markup import Markup, ld_text, read_markup
from cleaners.metadata.site import site_name_candidates
from cleaners.metadata.title import extract_title
from cleaners.metadata.urls import canonical_url, registered_domain

_LANG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$", re.I)


@dataclass
class Metadata:
    url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    published_precision: str | None = None
    published_offset_min: int | None = None
    modified_at: datetime | None = None
    date_source: str | None = None
    site_name: str | None = None
    domain: str | None = None
    language: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)


def extract_metadata(tree: HtmlElement | None, url: str | None, hints: dict[str, Any]) -> Metadata:
    """`tree` is the page before pruning (None for text inputs); `hints` come from sidecars, JSONL or feeds.

    `language` here is the declared one (html lang, hints); the pipeline checks it against the text."""
    markup = read_markup(tree) if tree is not None else None
    canonical = canonical_url(markup, url, _text(hints.get("url")))
    domain = registered_domain(canonical or url)
    site_names = site_name_candidates(markup, domain, _text(hints.get("site_name")))
    byline = extract_authors(tree, markup, site_names, hints.get("authors") or hints.get("author"), domain)
    title = extract_title(markup, site_names, domain, _text(hints.get("title")))
    dates = extract_dates(tree, markup, canonical or url, hints, title)
    published = dates.published
    return Metadata(
        url=canonical,
        title=title,
        authors=byline.authors,
        agencies=byline.agencies,
        published_at=published.at if published else None,
        published_precision=published.precision if published else None,
        published_offset_min=published.offset_min if published else None,
        modified_at=dates.modified.at if dates.modified else None,
        date_source=dates.source,
        site_name=site_names[0] if site_names else None,
        domain=domain,
        language=declared_language(markup, _text(hints.get("language"))),
        description=_description(markup) or _text(hints.get("description")),
        section=_section(markup) or _text(hints.get("section")),
        tags=_tags(markup) or _hint_list(hints.get("tags")),
    )


def declared_language(markup: Markup | None, hinted: str | None) -> str | None:
    """The page's own claim (html lang, content-language, og:locale, JSON-LD inLanguage), as a primary subtag."""
    found: list[str | None] = [hinted]
    if markup is not None:
        articles = markup.articles()
        found = [
            markup.html_lang,
            markup.first_meta("content-language", "language", "dc.language", "og:locale"),
            ld_text(articles[0].get("inLanguage")) if articles else None,
            hinted,
        ]
    for value in found:
        match = _LANG.match(value.strip()) if value else None
        if match and match.group(1).lower() not in ("und", "xx"):
            return match.group(1).lower()
    return None


def _description(markup: Markup | None) -> str | None:
    return markup.first_meta("og:description", "description", "twitter:description") if markup else None


def _section(markup: Markup | None) -> str | None:
    if markup is None:
        return None
    articles = markup.articles()
    from_ld = ld_text(articles[0].get("articleSection")) if articles else None
    return markup.first_meta("article:section", "section", "parsely-section") or from_ld


def _tags(markup: Markup | None) -> list[str]:
    if markup is None:
        return []
    tags = [t for t in markup.meta.get("article:tag", []) if t]
    if not tags and markup.first_meta("news_keywords", "keywords"):
        tags = [t.strip() for t in (markup.first_meta("news_keywords", "keywords") or "").split(",")]
    return [t for t in dict.fromkeys(tags) if t]


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _hint_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    return [str(t) for t in value] if isinstance(value, list) else []
