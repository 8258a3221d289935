"""The output contract: one article record, one reject record, and their Arrow schemas."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import pyarrow as pa

PIPELINE_VERSION = "0.1.0"

DocKind = Literal["text", "html"]


@dataclass(frozen=True)
class Removal:
    rule: str
    kind: str
    text: str


@dataclass
class SourceDoc:
    """A decoded input document, before cleaning; `hints` is metadata the source already gave."""

    source_uri: str
    body: str
    kind: DocKind
    url: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Article:
    doc_id: str
    url: str | None
    fetched_url: str | None
    source_uri: str
    site_name: str | None
    domain: str | None
    title: str | None
    authors: list[str]
    agencies: list[str]
    published_at: datetime | None
    published_precision: str | None
    published_offset_min: int | None
    modified_at: datetime | None
    date_source: str | None
    language: str | None
    language_confidence: float | None
    description: str | None
    section: str | None
    tags: list[str]
    text: str
    word_count: int
    content_sha256: str
    removed: list[Removal]
    extra_json: str | None
    ingested_at: datetime
    pipeline_version: str
    rules_version: str


@dataclass
class Reject:
    source_uri: str
    url: str | None
    stage: str
    error_class: str
    message: str
    http_status: int | None
    rejected_at: datetime
    pipeline_version: str = PIPELINE_VERSION

    @property
    def reject_id(self) -> str:
        """The same failure of the same input on a re-run is the same reject, not a new row."""
        key = "\x1f".join((self.source_uri, self.stage, self.error_class, self.message))
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


UTC_TS = pa.timestamp("us", tz="UTC")

REMOVAL_TYPE = pa.struct([("rule", pa.string()), ("kind", pa.string()), ("text", pa.string())])

ARTICLE_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("url", pa.string()),
        ("fetched_url", pa.string()),
        ("source_uri", pa.string()),
        ("site_name", pa.string()),
        ("domain", pa.string()),
        ("title", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("agencies", pa.list_(pa.string())),
        ("published_at", UTC_TS),
        ("published_precision", pa.string()),
        ("published_offset_min", pa.int32()),
        ("modified_at", UTC_TS),
        ("date_source", pa.string()),
        ("language", pa.string()),
        ("language_confidence", pa.float32()),
        ("description", pa.string()),
        ("section", pa.string()),
        ("tags", pa.list_(pa.string())),
        ("text", pa.string()),
        ("word_count", pa.int32()),
        ("content_sha256", pa.string()),
        ("removed", pa.list_(REMOVAL_TYPE)),
        ("extra_json", pa.string()),
        ("ingested_at", UTC_TS),
        ("pipeline_version", pa.string()),
        ("rules_version", pa.string()),
    ]
)

REJECT_SCHEMA = pa.schema(
    [
        ("reject_id", pa.string()),
        ("source_uri", pa.string()),
        ("url", pa.string()),
        ("stage", pa.string()),
        ("error_class", pa.string()),
        ("message", pa.string()),
        ("http_status", pa.int32()),
        ("rejected_at", UTC_TS),
        ("pipeline_version", pa.string()),
    ]
)


def articles_table(articles: list[Article]) -> pa.Table:
    rows = [_article_row(article) for article in articles]
    return pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)


def rejects_table(rejects: list[Reject]) -> pa.Table:
    return pa.Table.from_pylist(
        [{**vars(reject), "reject_id": reject.reject_id} for reject in rejects], schema=REJECT_SCHEMA
    )


def _article_row(article: Article) -> dict[str, Any]:
    row = dict(vars(article))
    row["removed"] = [vars(removal) for removal in article.removed]
    return row
