"""Learned per-site boilerplate: paragraphs a site repeats across many of its documents are chrome.

Pure: no I/O. The flows layer observes a whole batch first, then strips each document, and
persists the profiles beside the dataset with `to_dict` / `from_dict` (plain JSON-able dicts)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from cleaners.paragraphs import clean_space
from cleaners.record import Removal

RULE = "learned-boilerplate"
# A profile stays bounded however long a site is followed: chrome recurs within a few pages, so a paragraph not yet
# seen in min_docs documents is forgotten, oldest first, past this many; a re-run is recognised among this many
# recent documents.
CANDIDATES_KEPT = 20_000
DOCS_KEPT = 20_000


def paragraph_key(paragraph: str) -> str:
    """Case and whitespace do not make a different paragraph; 16 hex digits keep profiles small."""
    normalized = clean_space(paragraph).lower()
    return hashlib.blake2b(normalized.encode(), digest_size=8).hexdigest()


def _doc_key(doc_id: str) -> str:
    return hashlib.blake2b(doc_id.encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class SiteDocument:
    """One document's paragraphs, as the flows layer hands them over."""

    site: str
    doc_id: str
    paragraphs: list[str]


@dataclass
class SiteProfile:
    """For one site: in how many distinct documents each paragraph was seen."""

    min_docs: int = 3
    max_words: int = 80
    doc_counts: dict[str, int] = field(default_factory=dict)  # in the order first seen
    seen_docs: dict[str, None] = field(default_factory=dict)  # an ordered set, oldest first

    def __post_init__(self) -> None:
        if self.min_docs < 2:
            raise ValueError("min_docs must be at least 2: a paragraph of one document is never boilerplate")

    def observe(self, doc_id: str, paragraphs: Iterable[str]) -> None:
        """Count each distinct paragraph once per document; a document seen before is not recounted."""
        doc = _doc_key(doc_id)
        if doc in self.seen_docs:
            return
        self.seen_docs[doc] = None
        for key in {paragraph_key(p) for p in paragraphs}:
            self.doc_counts[key] = self.doc_counts.get(key, 0) + 1

    def forget_oldest(self) -> None:
        """Down to the bounds: the oldest documents, and the oldest paragraphs not (yet) boilerplate."""
        for doc in list(islice(self.seen_docs, max(len(self.seen_docs) - DOCS_KEPT, 0))):
            del self.seen_docs[doc]
        candidates = [key for key, count in self.doc_counts.items() if count < self.min_docs]
        for key in candidates[: max(len(candidates) - CANDIDATES_KEPT, 0)]:
            del self.doc_counts[key]

    def is_boilerplate(self, paragraph: str) -> bool:
        """Repeated in at least `min_docs` documents, and short: long repeats are republished stories."""
        if len(paragraph.split()) > self.max_words:
            return False
        return self.doc_counts.get(paragraph_key(paragraph), 0) >= self.min_docs

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_docs": self.min_docs,
            "max_words": self.max_words,
            "doc_counts": self.doc_counts,
            "seen_docs": list(self.seen_docs),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteProfile:
        return cls(
            min_docs=int(data["min_docs"]),
            max_words=int(data["max_words"]),
            doc_counts={str(k): int(v) for k, v in data["doc_counts"].items()},
            seen_docs=dict.fromkeys(data["seen_docs"]),
        )


@dataclass
class BoilerplateModel:
    """Site profiles by site key (domain); counting per site keeps one wire story on two sites whole."""

    min_docs: int = 3
    max_words: int = 80
    max_share: float = 0.5
    sites: dict[str, SiteProfile] = field(default_factory=dict)

    def profile(self, site: str) -> SiteProfile:
        if site not in self.sites:
            self.sites[site] = SiteProfile(self.min_docs, self.max_words)
        return self.sites[site]

    def observe(self, documents: Iterable[SiteDocument]) -> None:
        """Learn from a whole batch before stripping any of it."""
        sites = set()
        for doc in documents:
            self.profile(doc.site).observe(doc.doc_id, doc.paragraphs)
            sites.add(doc.site)
        for site in sites:
            self.sites[site].forget_oldest()

    def strip(self, document: SiteDocument) -> tuple[list[str], list[Removal]]:
        """The document's paragraphs without its site's boilerplate, and one Removal per dropped one.

        When most of a document repeats, it is another version of a story the site ran before
        (an update, a republished wire piece), not chrome: it is left whole."""
        profile = self.sites.get(document.site)
        repeated = [profile is not None and profile.is_boilerplate(p) for p in document.paragraphs]
        if sum(repeated) > self.max_share * len(document.paragraphs):
            return list(document.paragraphs), []
        pairs = list(zip(document.paragraphs, repeated, strict=True))
        return [p for p, rep in pairs if not rep], [Removal(RULE, "boilerplate", p) for p, rep in pairs if rep]
