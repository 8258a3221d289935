"""Metadata from the page markup and the source's own hints, normalized to the record contract."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml.html import HtmlElement


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
    return Metadata(url=url, title=hints.get("title"), site_name=hints.get("site_name"))
