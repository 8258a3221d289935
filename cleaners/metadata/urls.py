"""Canonical URL of a page: resolved, unwrapped from archives, with tracking parameters dropped."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from tld import get_fld

from cleaners.metadata.markup import Markup

# Parameters that say how a reader arrived, not which article they read.
_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gclsrc|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|ocid|cmpid|cmp|icid|"
    r"ito|xtor|smid|s_cid|at_\w+|wt\.?mc_id|wt_\w+|ns_\w+|sr_share|share|ref|ref_src|ref_url|referrer|"
    r"rss|feed|from|via|outputtype|__twitter_impression|mkt_tok|spm|trk|tracking|src|source)$",
    re.I,
)
_ARCHIVE = re.compile(r"^https?://(?:web\.)?archive\.org/web/\d+(?:[a-z]{2}_)?/(.+)$", re.I)
_SCHEME = re.compile(r"^https?://", re.I)


def canonical_url(markup: Markup | None, fetched: str | None, hinted: str | None = None) -> str | None:
    """rel=canonical, else og:url, else the fetched (or hinted) URL; each one normalized."""
    base = unwrap_archive(fetched or hinted or "")
    fallback = normalize_url(base) if base else None
    if markup is not None:
        for candidate in (*markup.links.get("canonical", ()), *markup.meta.get("og:url", ())):
            url = normalize_url(_join(base, candidate.strip())) if candidate.strip() else None
            if url and plausible_canonical(url, fallback):
                return keep_query(url, fallback)
    return fallback


def keep_query(canonical: str, fetched: str | None) -> str:
    """Canonical tags often drop the query even where it names the article (?newsID=...): when the canonical
    is the fetched page without its query, the fetched URL (already rid of tracking parameters) is kept."""
    if fetched is None:
        return canonical
    ours, theirs = urlsplit(canonical), urlsplit(fetched)
    same_page = _host(ours.netloc) == _host(theirs.netloc) and ours.path.rstrip("/") == theirs.path.rstrip("/")
    return fetched if same_page and not ours.query and theirs.query else canonical


def _host(netloc: str) -> str:
    return netloc.removeprefix("www.")


def _join(base: str, href: str) -> str:
    try:
        return urljoin(base, href)
    except ValueError:
        return ""


def plausible_canonical(url: str, fetched: str | None) -> bool:
    """Templates often point canonical at the home page or a placeholder; an article's URL has a path."""
    parts = urlsplit(url)
    if not parts.netloc or "." not in parts.netloc:
        return False
    if fetched is None:
        return True
    fetched_parts = urlsplit(fetched)
    return not (parts.path.strip("/") == "" and fetched_parts.path.strip("/") != "")


def unwrap_archive(url: str) -> str:
    match = _ARCHIVE.match(url.strip())
    if not match:
        return url.strip()
    inner = match.group(1)
    return inner if _SCHEME.match(inner) else "http://" + inner


def normalize_url(url: str) -> str | None:
    """Absolute http(s) URL with lowercased host, no fragment, no tracking parameters; else None."""
    try:
        parts = urlsplit(unwrap_archive(url))
        port = parts.port  # raises on a port out of range
    except ValueError:  # malformed IPv6 literals and ports: no URL at all rather than a wrong one
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    netloc = parts.hostname.lower()
    netloc = f"[{netloc}]" if ":" in netloc else netloc
    if port and port not in (80, 443):
        netloc += f":{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query, safe="/:,"), ""))


def registered_domain(url: str | None) -> str | None:
    """The registrable domain (bbc.co.uk for www.bbc.co.uk/news), from the public suffix list."""
    if not url:
        return None
    domain = get_fld(url, fail_silently=True)
    return domain.lower() if isinstance(domain, str) else None
