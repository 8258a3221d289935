"""The headline: from markup, with the site-name affixes that templates add taken off."""

from __future__ import annotations

import re
import unicodedata

from cleaners.metadata.markup import Markup, ld_text

# " | Site", " - Site", ":: Site", "Site » " ... a separator needs spaces around it, except the pipe.
_SEPARATOR = re.compile(r"\s+[|\-–—·•»«:/~]{1,2}\s+|\s*\|\s*")


def extract_title(markup: Markup | None, site_names: list[str], domain: str | None, hinted: str | None) -> str | None:
    if markup is None:
        return hinted.strip() if hinted and hinted.strip() else None
    for raw in title_candidates(markup, hinted):
        title = strip_affixes(raw, site_names, domain, markup.h1)
        if title:
            return title
    return None


def title_candidates(markup: Markup, hinted: str | None) -> list[str]:
    headlines = [ld_text(node.get("headline") or node.get("name")) for node in markup.articles()[:1]]
    found = [
        markup.first_meta("og:title"),
        *headlines,
        markup.first_meta("twitter:title", "dc.title", "dcterms.title", "sailthru.title", "parsely-title"),
        markup.title_tag,
        *markup.h1[:1],
        hinted,
    ]
    return [t for t in found if t and t.strip()]


def strip_affixes(title: str, site_names: list[str], domain: str | None, h1: list[str]) -> str:
    """Drop leading/trailing separator-delimited parts that name the site; prefer a part that is the h1."""
    parts = _SEPARATOR.split(title)
    if len(parts) == 1:
        return title.strip()
    names = {key(n) for n in site_names if key(n)}
    if domain:
        names |= {key(domain), key(domain.split(".")[0])}
    while len(parts) > 1 and _names_site(parts[-1], names):
        parts.pop()
    while len(parts) > 1 and _names_site(parts[0], names):
        parts.pop(0)
    headings = {key(h) for h in h1}
    for start in range(len(parts)):
        for end in range(len(parts), start, -1):
            if (start, end) != (0, len(parts)) and key(" ".join(parts[start:end])) in headings:
                return _rejoin(title, parts[start:end])
    return _rejoin(title, parts)


def _names_site(part: str, names: set[str]) -> bool:
    k = key(part)
    return bool(k) and len(part) <= 60 and any(k == n or (len(n) >= 4 and (n in k or k in n)) for n in names)


def _rejoin(title: str, parts: list[str]) -> str:
    """The original text from the first kept part to the last, so inner separators stay as written."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else " ".join(parts).strip()


def key(text: str) -> str:
    """Comparison key: accents, case, punctuation and a leading "the" ignored."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if c.isalnum())
    return text.removeprefix("the") if len(text) > 6 else text
