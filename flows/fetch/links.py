"""A page URL found in a feed or sitemap, with the metadata found beside it, and date helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dateutil.parser import isoparse


@dataclass(frozen=True)
class Link:
    """`hints` feed the metadata contract as a fallback: title, published, modified, authors, description."""

    url: str
    hints: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_w3c_date(text: str | None) -> datetime | None:
    """Sitemap dates are W3C datetimes: a date, or a date and time with an offset."""
    if not text or not text.strip():
        return None
    try:
        return as_utc(isoparse(text.strip()))
    except (ValueError, OverflowError):
        return None


def is_before(moment: datetime | None, since: datetime | None) -> bool:
    """Undated links are kept: we cannot tell they are old."""
    return moment is not None and since is not None and moment < as_utc(since)
