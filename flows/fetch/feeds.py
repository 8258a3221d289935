"""RSS 0.9x/1.0/2.0 and Atom: bytes we fetched ourselves, parsed by feedparser, entities refused."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from flows.fetch.links import Link, is_before
from flows.fetch.outcomes import FetchFailure

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
        "application/feed+json",
    }
)


def is_feed_type(mime: str) -> bool:
    """Feeds are often served as text/html or text/plain; the parser decides those."""
    return mime in FEED_TYPES or mime in ("", "text/html", "text/plain", "application/octet-stream")


def refuse_entities(data: bytes, url: str) -> None:
    """Entity declarations are how billion-laughs and XXE work; real feeds do not need them."""
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FetchFailure(
            "unsafe_xml", f"XML declares entities ({type(exc).__name__}); refused as a possible XML bomb", url
        ) from exc
    except ParseError:
        # malformed but entity-free XML is feedparser's to judge: it has a lenient mode
        return


def parse_feed(data: bytes, url: str, since: datetime | None, content_type: str = "") -> list[Link]:
    """`content_type` is the server's header: its charset helps feedparser decode the bytes."""
    refuse_entities(data, url)
    headers = {"content-location": url, "content-type": content_type} if content_type else {"content-location": url}
    # a BytesIO, because feedparser treats bytes and str as a path or URL it may open
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.version and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise FetchFailure("feed_unparseable", f"not an RSS or Atom feed ({reason}): check the feed URL", url, 200)
    links = [entry_link(entry, parsed.feed, url) for entry in parsed.entries]
    return [link for link in links if link is not None and not is_before(entry_date(link), since)]


def entry_link(entry: Any, feed: Any, feed_url: str) -> Link | None:
    href = entry.get("link") or next((item.get("href") for item in entry.get("links", [])), None)
    if not href:
        return None
    hints = {
        "title": entry.get("title"),
        # dict.get: FeedParserDict would silently alias one date key to the other
        "published": struct_iso(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")),
        "modified": struct_iso(dict.get(entry, "updated_parsed")),
        "authors": entry_authors(entry),
        "description": entry.get("summary"),
        "tags": [tag.get("term") for tag in entry.get("tags", []) if tag.get("term")],
        "site_name": feed.get("title"),
        "language": feed.get("language"),
        "feed_url": feed_url,
    }
    return Link(urljoin(feed_url, href.strip()), {key: value for key, value in hints.items() if value})


def entry_authors(entry: Any) -> list[str]:
    names = [author.get("name") for author in entry.get("authors", []) if author.get("name")]
    return names or ([entry["author"]] if entry.get("author") else [])


def struct_iso(value: time.struct_time | None) -> str | None:
    """feedparser gives UTC struct_time; hints carry ISO 8601 strings so they survive JSON."""
    return datetime(*value[:6], tzinfo=UTC).isoformat() if value else None


def entry_date(link: Link) -> datetime | None:
    """The later of published and modified: an old story updated since `since` is news again."""
    stamps = [datetime.fromisoformat(link.hints[key]) for key in ("published", "modified") if key in link.hints]
    return max(stamps, default=None)
