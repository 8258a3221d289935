"""Sitemaps: index, plain and news urlsets, gzip files and text lists, filtered by lastmod."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from flows.fetch.links import Link, is_before, parse_w3c_date
from flows.fetch.outcomes import FetchFailure
from flows.fetch.safety import GZIP_MAGIC, gunzip_bounded

SITEMAP_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "text/plain",
        "application/gzip",
        "application/x-gzip",
        "application/octet-stream",
        "",
    }
)


def is_sitemap_type(mime: str) -> bool:
    return mime in SITEMAP_TYPES


@dataclass
class Sitemap:
    """A sitemap index lists `children`; a urlset lists `pages`."""

    pages: list[Link] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


def parse_sitemap(data: bytes, url: str, since: datetime | None, limit: int) -> Sitemap:
    if data.startswith(GZIP_MAGIC):
        data = gunzip_bounded(data, url, limit)
    if not data.lstrip().startswith(b"<"):
        return text_sitemap(data, url)
    root = parse_xml(data, url)
    kind = local_name(root.tag)
    if kind == "sitemapindex":
        return Sitemap(children=[entry["loc"] for entry in entries(root, url) if fresh(entry, since)])
    if kind == "urlset":
        return Sitemap(pages=[page_link(entry, url) for entry in entries(root, url) if fresh(entry, since)])
    raise FetchFailure("sitemap_unparseable", f"root element <{kind}> is neither <urlset> nor <sitemapindex>", url, 200)


def text_sitemap(data: bytes, url: str) -> Sitemap:
    """The protocol also allows a plain list of URLs, one a line, in UTF-8."""
    lines = data.decode("utf-8", errors="replace").splitlines()
    return Sitemap(pages=[Link(line.strip(), {"sitemap_url": url}) for line in lines if line.strip()])


def parse_xml(data: bytes, url: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FetchFailure(
            "unsafe_xml", f"sitemap has a DTD or entities ({type(exc).__name__}); refused as unsafe", url, 200
        ) from exc
    except ParseError as exc:
        raise FetchFailure("sitemap_unparseable", f"sitemap is not well-formed XML ({exc})", url, 200) from exc


def local_name(tag: str) -> str:
    """Sitemaps in the wild use the namespace loosely, so match on local names."""
    return tag.rsplit("}", 1)[-1]


def entries(root: Element, base: str) -> list[dict[str, Any]]:
    """Each <url>/<sitemap> child flattened to {local name: text}, news fields included."""
    found = []
    for item in root:
        fields: dict[str, Any] = {}
        for node in item.iter():
            # the first <loc> is the page's; image and video extensions nest their own later
            if node is not item:
                fields.setdefault(local_name(node.tag), (node.text or "").strip())
        if fields.get("loc"):
            fields["loc"] = urljoin(base, fields["loc"])
            found.append(fields)
    return found


def fresh(entry: dict[str, Any], since: datetime | None) -> bool:
    dates = [parse_w3c_date(entry.get(name)) for name in ("lastmod", "publication_date")]
    known = [date for date in dates if date is not None]
    return not is_before(max(known) if known else None, since)


def page_link(entry: dict[str, Any], sitemap_url: str) -> Link:
    published = parse_w3c_date(entry.get("publication_date"))
    modified = parse_w3c_date(entry.get("lastmod"))
    hints = {
        "title": entry.get("title"),
        "published": published.isoformat() if published else None,
        "modified": modified.isoformat() if modified else None,
        "site_name": entry.get("name"),
        "language": entry.get("language"),
        "tags": [tag.strip() for tag in entry.get("keywords", "").split(",") if tag.strip()],
        "sitemap_url": sitemap_url,
    }
    return Link(entry["loc"], {key: value for key, value in hints.items() if value})
