"""The headline: from markup, with the site-name affixes that templates add taken off."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from cleaners.metadata.markup import Markup, ld_text

_AGREE = 0.5  # share of words an h1 must have in common with a markup title to be taken as the headline
_MAX_SITE_WORDS = 8
_TLDS = frozenset({"com", "de", "org", "net", "co", "uk", "at", "ch", "fr", "es", "it", "www", "online"})
# " | Site", " - Site", ":: Site", "Site » " ... a separator needs spaces around it, except the pipe.
_SEPARATOR = re.compile(r"\s+[|\-–—·•»«:/~]{1,2}\s+|\s*\|\s*")


def extract_title(markup: Markup | None, site_names: list[str], domain: str | None, hinted: str | None) -> str | None:
    if markup is None:
        return hinted.strip() if hinted and hinted.strip() else None
    stripped = [strip_affixes(raw, site_names, domain, markup.h1) for raw in title_candidates(markup, hinted)]
    names = _site_names(site_names, domain)
    # a markup title that is only the site's name ("twitter:title" = "Site.com") is no headline
    candidates = [t for t in stripped if t and not _only_site(t, names)] or [t for t in stripped if t]
    return visible_headline(markup.h1, candidates) or (candidates[0] if candidates else None)


def visible_headline(h1: list[str], candidates: list[str]) -> str | None:
    """The h1 that best agrees with the markup titles: it carries no affix of its own.

    When a markup title is the h1 minus something (a kicker or date glued to it), that title wins."""
    best: tuple[float, str] | None = None
    for heading in h1[:8]:
        words = _words(heading)
        if not words or len(heading) > 300:
            continue
        for candidate in candidates:
            score = _overlap(words, _words(candidate))
            if score >= _AGREE and (best is None or score > best[0]):
                inner = key(candidate) in key(heading) and len(key(candidate)) < len(key(heading))
                best = (score, candidate if inner else heading)
    return best[1] if best else None


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) > 1 or w.isdigit()}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(len(a), len(b)) if a and b else 0.0


def title_candidates(markup: Markup, hinted: str | None) -> list[str]:
    headlines = [ld_text(node.get("headline") or node.get("name")) for node in markup.articles()[:1]]
    found = [
        markup.first_meta("og:title"),
        *headlines,
        markup.first_meta("twitter:title", "dc.title", "dcterms.title", "sailthru.title", "parsely-title"),
        markup.title_tag,
        hinted,
    ]
    return [t for t in found if t and t.strip()]


def strip_affixes(title: str, site_names: list[str], domain: str | None, h1: Sequence[str] = ()) -> str:
    """Drop leading/trailing separator-delimited parts that name the site, then a logo h1 and what follows."""
    names = _site_names(site_names, domain)
    label, colon, rest = title.partition(": ")
    if colon and rest.strip() and key(label) in {key(n) for n in names}:
        title = rest  # "Site: Headline"; a colon inside a headline needs no spaces before it to stay
    parts = _SEPARATOR.split(title)
    if len(parts) == 1:
        return title.strip()
    while len(parts) > 1 and _names_site(parts[-1], names):
        parts.pop()
    while len(parts) > 1 and _names_site(parts[0], names):
        parts.pop(0)
    return _rejoin(title, cut_at_heading(parts, h1))


def _site_names(site_names: list[str], domain: str | None) -> list[str]:
    return [n for n in site_names if key(n)] + ([domain, domain.split(".")[0]] if domain else [])


def cut_at_heading(parts: list[str], h1: Sequence[str]) -> list[str]:
    """A title part that is also an h1: the headline when it comes first or is the longest part; else the
    site's name (a logo h1), which ends the headline: "Headline | Blog Name" with <h1>Blog Name</h1>."""
    headings = {key(h) for h in h1[:3]}
    if len(parts) == 1 or not headings:
        return parts
    if key(parts[0]) in headings:
        # A one-word first part ("News", a date) is a section label, not the headline.
        return parts[:1] if len(_words(parts[0])) >= 2 else parts
    cut = next((i for i, part in enumerate(parts) if key(part) in headings), len(parts))
    if cut < len(parts) and len(_words(parts[cut])) >= max(len(_words(part)) for part in parts):
        return parts[cut : cut + 1]  # "Section | Headline | Site" with the headline as h1
    return parts[:cut]


def _names_site(part: str, names: list[str]) -> bool:
    """Equal to a site name, or all of one's words among the other's ("SPIEGEL ONLINE" vs "Spiegel")."""
    k, words = key(part), _words(part)
    if not k or len(words) > _MAX_SITE_WORDS:
        return False
    for name in names:
        name_words = _words(name) - _TLDS
        if k == key(name) or (name_words and (name_words <= words or words <= name_words)):
            return True
    return False


def _only_site(title: str, names: list[str]) -> bool:
    """Nothing but a site's name: a headline that merely contains it ("BBC News to cut jobs") is a headline."""
    k, words = key(title), _words(title) - _TLDS
    return any(k == key(name) or (words and words <= _words(name) - _TLDS) for name in names)


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
