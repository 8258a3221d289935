"""Field normalisations of the metadata scorer: two values match when they normalise to the same thing.

Written to agree exactly with ../shared/eval/metadata_score.py (its README describes each rule).
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from dateutil import parser as dateparser

DayPair = tuple[str, str | None]  # (day as written, UTC day when a time and offset are known)

_CREDENTIAL = re.compile(
    r"^(ph\.?d\.?|m\.?d\.?|m\.?a\.?|m\.?s\.?|b\.?a\.?|r\.?n\.?|mph|mba|jr\.?|sr\.?|dr\.?|prof\.?)$", re.I
)
_BYLINE_PREFIX = re.compile(r"^(written by|posted by|by|von|par|por|door|av|from)\s*:?\s+", re.I)
_NAME_SEPARATOR = re.compile(r"\s*(?:;|\||/|\band\b|&|\bund\b|\bet\b|\by\b|\bi\b|\bog\b|\bsowie\b|\bu\.)\s*", re.I)
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BARE_DOMAIN = re.compile(r"(https?://)?[\w.-]+\.[a-z]{2,}/?")
_SECOND_LEVEL = ("co", "com", "org", "net", "gov", "ac")  # as in "bbc.co.uk": not the site's own label
_TRACKING = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ref|ref_src|ref_url|referrer|cmp|cmpid|maca|ocid|"
    r"at_medium|at_campaign|at_custom\d*|ito|icid|xtor|smid|share|s_cid|__twitter_impression|"
    r"igshid|yclid|_ga|wt_mc|wt\.mc_id|cid|src|source|rss|feed|output)$",
    re.I,
)
_NAME_TRIM = " ,.-:|·•"


def base(text: str) -> str:
    """Unescaped, NFKC, typographic quotes and dashes folded, invisible characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", html.unescape(str(text)))
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032\u00b4`]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]", '"', text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = text.replace("\u00ad", "").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()


def deaccent(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def title(value: Any) -> str | None:
    return (base(value).casefold() or None) if value else None


def authors(value: Any) -> frozenset[str] | None:
    """A set of normalised names from a list of bylines or one byline string."""
    if value is None:
        return None
    names: set[str] = set()
    for byline in [value] if isinstance(value, str) else value:
        if byline:
            names.update(byline_names(byline))
    return frozenset(names)


def byline_names(byline: str) -> list[str]:
    names = []
    for part in _NAME_SEPARATOR.split(strip_noise(base(byline))):
        if part.strip():
            names += [name for piece in comma_names(part) if (name := one_name(piece))]
    return names


def comma_names(part: str) -> list[str]:
    """Commas separate names only when every piece is a full name; "Smith, John" stays one name."""
    pieces = [p.strip() for p in part.split(",") if p.strip()]
    kept = [p for p in pieces if not _CREDENTIAL.match(p)]
    if len(kept) > 1 and all(len(p.split()) >= 2 for p in kept):
        return kept
    return [", ".join(kept)] if kept else []


def strip_noise(text: str) -> str:
    """Without e-mails, URLs and bracketed text (roles, agencies)."""
    text = re.sub(r"\S+@\S+", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\([^)]*\)?|\[[^\]]*\]?", " ", text)
    return re.sub(r"\s+", " ", text).strip(_NAME_TRIM)


def one_name(text: str) -> str | None:
    name = _BYLINE_PREFIX.sub("", strip_noise(text)).strip(_NAME_TRIM)
    if not name or _CREDENTIAL.match(name):
        return None
    name = re.sub(r"\s+", " ", name.replace(".", " ").replace("-", " ")).strip()
    return deaccent(name).casefold() or None


def parse_datetime(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return dateparser.parse(text)
    except (ValueError, OverflowError):
        return None


def date(value: Any) -> DayPair | None:
    """The YYYY-MM-DD as written (or parsed), and the UTC day when the value has a time and an offset."""
    if not value:
        return None
    text = str(value).strip()
    parsed = parse_datetime(text)
    written = _DAY.match(text)
    day = f"{int(written[1]):04d}-{int(written[2]):02d}-{int(written[3]):02d}" if written else None
    if day is None and parsed is not None:
        day = parsed.date().isoformat()
    utc_day = None
    if parsed is not None and parsed.tzinfo is not None and ("T" in text or " " in text):
        utc_day = parsed.astimezone(UTC).date().isoformat()
    return (day, utc_day) if day else None


def site_name(value: Any) -> str | None:
    if not value:
        return None
    name = deaccent(base(value)).casefold().strip()
    if _BARE_DOMAIN.fullmatch(name):
        name = domain_label(name)
    name = re.sub(r"^the\s+", "", name)
    return re.sub(r"[\W_]+", "", name) or None


def domain_label(domain: str) -> str:
    """www.tmz.com -> tmz, news.bbc.co.uk -> bbc (a best-effort public-suffix cut)."""
    host = re.sub(r"^https?://", "", domain).strip("/")
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    if len(labels) >= 2:
        labels = labels[:-1]
        if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
    return labels[-1] if labels else host


def language(value: Any) -> str | None:
    return (re.split(r"[-_]", str(value).strip().lower())[0] or None) if value else None


def url(value: Any) -> str | None:
    """Host without www, path and sorted non-tracking query, decoded; scheme, port 80/443, fragment ignored."""
    if not value:
        return None
    try:
        parts = urlsplit(str(value).strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    path = unquote(parts.path or "/").rstrip("/") or "/"
    port_part = f":{port}" if port and port not in (80, 443) else ""
    query_part = "?" + "&".join(f"{unquote(k)}={unquote(v)}" for k, v in query) if query else ""
    return f"{host}{port_part}{path}{query_part}"


def same(field: str, expected: Any, predicted: Any) -> bool:
    if field == "published":
        return same_day(expected, predicted)
    return expected is not None and predicted is not None and expected == predicted


def same_day(expected: DayPair | None, predicted: DayPair | None) -> bool:
    """Same day as written, or the same UTC day when both sides know their time and offset."""
    if not expected or not predicted:
        return False
    return expected[0] == predicted[0] or (expected[1] is not None and expected[1] == predicted[1])
