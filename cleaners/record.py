"""The output contract: one article record, one reject record, and their Arrow schemas."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import pyarrow as pa

PIPELINE_VERSION = "0.1.0"
_DIGITS = re.compile(r"\d+")

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
        """The same failure of the same input on a re-run is the same reject, not a new row; numbers in the
        message (seconds waited, byte offsets) do not make it another failure."""
        key = "\x1f".join((self.source_uri, self.stage, self.error_class, _DIGITS.sub("#", self.message)))
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


UTC_TS = pa.timestamp("us", tz="UTC")

REMOVAL_TYPE = pa.struct([("rule", pa.string()), ("kind", pa.string()), ("text", pa.string())])

COLUMNS: list[tuple[str, pa.DataType, str]] = [
    ("doc_id", pa.string(), "Stable id: sha256 of the canonical URL when known, else of source_uri (32 hex)."),
    ("url", pa.string(), "Canonical URL: rel=canonical or og:url, tracking parameters and fragment dropped."),
    ("fetched_url", pa.string(), "The URL as fetched or as the input named it."),
    ("source_uri", pa.string(), "Where the input came from: file:// path (#L<n> for a JSON Lines line) or URL."),
    ("site_name", pa.string(), "The outlet's display name."),
    ("domain", pa.string(), "Registered domain of url, lowercase."),
    ("title", pa.string(), "Headline without site-name affixes."),
    ("authors", pa.list_(pa.string()), "Author display names, one per item; agencies are in `agencies`."),
    ("agencies", pa.list_(pa.string()), "News agencies credited in the byline (AP, Reuters, AFP, ...)."),
    ("published_at", UTC_TS, "Publication time in UTC; a date-only value is that day's 00:00 with precision day."),
    ("published_precision", pa.string(), "day, minute or second: how much of published_at the page gave."),
    ("published_offset_min", pa.int32(), "The UTC offset the page wrote its date in, in minutes."),
    ("modified_at", UTC_TS, "Last modification time in UTC, when given."),
    (
        "date_source",
        pa.string(),
        "Where published_at came from: json-ld, meta, time, url, label (printed under a publication label), "
        "dateline (opening the text), text (elsewhere in the page), "
        "hints (a sidecar, a JSON Lines field, a feed or sitemap entry).",
    ),
    ("language", pa.string(), "ISO 639-1 code, from the text checked against the page's declared language."),
    ("language_confidence", pa.float32(), "Detector probability for language; null when taken as declared."),
    ("description", pa.string(), "The page's own summary, when given."),
    ("section", pa.string(), "The page's section, when given."),
    ("tags", pa.list_(pa.string()), "Keywords or tags the page gives."),
    ("text", pa.string(), "The clean article body: paragraphs joined by one blank line."),
    ("word_count", pa.int32(), "Whitespace-separated words in text."),
    ("content_sha256", pa.string(), "sha256 of text."),
    ("record_sha256", pa.string(), "sha256 of the row but ingested_at, source_uri, fetched_url: a change replaces it."),
    ("removed", pa.list_(REMOVAL_TYPE), "Every removal: rule id, kind (appeal, chrome, ...) and the removed text."),
    ("extra_json", pa.string(), "Input fields copydesk does not map (JSON Lines, sidecars), as a JSON object."),
    ("ingested_at", UTC_TS, "When this row was written."),
    ("pipeline_version", pa.string(), "copydesk version that wrote the row."),
    ("rules_version", pa.string(), "Version of the cleaning rule pack that cleaned the row."),
]

ARTICLE_SCHEMA = pa.schema([pa.field(name, kind, metadata={"description": meaning}) for name, kind, meaning in COLUMNS])

# a null partition value breaks pandas' reader ("cannot unify dictionaries with nulls"), so no value is null
UNKNOWN_SITE = "unknown"

PARTITION_COLUMNS = [
    ("site", "Hive partition: the domain, sanitized; `unknown` when the input names no URL."),
]

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


def content_digest(text: str) -> str:
    """`content_sha256`: a changed text replaces its row, the same text is unchanged."""
    return hashlib.sha256(text.encode()).hexdigest()


# where and when a copy came from: the same article arriving again from elsewhere is unchanged
_PROVENANCE = ("ingested_at", "source_uri", "fetched_url")


def record_digest(article: Article) -> str:
    """Re-running the same input gives the same digest; new text, metadata or rules give another."""
    row = {key: value for key, value in _article_row(article).items() if key not in _PROVENANCE}
    return hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode("utf-8", "surrogatepass")).hexdigest()


def articles_table(articles: list[Article], digests: list[str] | None = None) -> pa.Table:
    """`digests` are the articles' record digests when the caller already has them."""
    digests = digests if digests is not None else [record_digest(article) for article in articles]
    rows = [{**_article_row(a), "record_sha256": digest} for a, digest in zip(articles, digests, strict=True)]
    return pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)


def check_storable(articles: list[Article]) -> None:
    """Raise as `articles_table` would, for a fraction of its cost: a hex digest always converts, so only the
    other columns can fail, and the digest (most of the cost) is left out."""
    pa.Table.from_pylist([_article_row(article) for article in articles], schema=ARTICLE_SCHEMA)


def rejects_table(rejects: list[Reject]) -> pa.Table:
    return pa.Table.from_pylist(
        [{**vars(reject), "reject_id": reject.reject_id} for reject in rejects], schema=REJECT_SCHEMA
    )


def _article_row(article: Article) -> dict[str, Any]:
    row = dict(vars(article))
    row["removed"] = [vars(removal) for removal in article.removed]
    return row
