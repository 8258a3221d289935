"""Clean a batch of raw inputs into articles and rejects; runs in-process or in a worker process."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cleaners.pipeline import CleanError, clean_document
from cleaners.record import Article, Reject, SourceDoc
from flows.sources.base import InputError, RawInput
from flows.sources.decode import DecodeError, decode_bytes


@dataclass
class CleanedBatch:
    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    removals_by_rule: Counter[str] = field(default_factory=Counter)


def clean_batch(items: list[RawInput | InputError]) -> CleanedBatch:
    batch = CleanedBatch()
    for item in items:
        outcome = item if isinstance(item, InputError) else clean_input(item)
        if isinstance(outcome, Article):
            batch.articles.append(outcome)
            batch.removals_by_rule.update(removal.rule for removal in outcome.removed)
        else:
            batch.rejects.append(to_reject(outcome))
    return batch


def clean_input(raw: RawInput) -> Article | InputError:
    """Decode and clean one input; any failure of this document becomes its InputError."""
    try:
        return clean_document(to_source_doc(raw))
    except DecodeError as exc:
        return InputError(raw.source_uri, "decode", "DecodeError", str(exc), url=raw.url)
    except CleanError as exc:
        return InputError(raw.source_uri, "clean", "CleanError", str(exc), url=raw.url)
    except Exception as exc:  # a bug or a hostile page must cost one document, not the batch
        return InputError(raw.source_uri, "clean", type(exc).__name__, f"cleaning failed: {exc}", url=raw.url)


def to_source_doc(raw: RawInput) -> SourceDoc:
    kind = "html" if raw.format == "html" else "text"
    body = decode_bytes(raw.data, html=kind == "html", content_type=raw.content_type)
    if not body.strip():
        raise DecodeError("empty document: no text in it")
    return SourceDoc(
        source_uri=raw.source_uri,
        body=body,
        kind=kind,
        url=raw.url or raw.hints.get("url"),
        hints=raw.hints,
        extra=raw.extra,
    )


def to_reject(error: InputError) -> Reject:
    return Reject(
        source_uri=error.source_uri,
        url=error.url,
        stage=error.stage,
        error_class=error.error_class,
        message=error.message,
        http_status=error.http_status,
        rejected_at=datetime.now(UTC),
    )
