"""The learned site boilerplate, persisted beside the dataset so every run keeps learning."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from cleaners.boilerplate import BoilerplateModel, SiteDocument, SiteProfile
from cleaners.paragraphs import join_paragraphs, split_paragraphs
from cleaners.record import Article, content_digest
from flows.storage import open_store


class BoilerplateStore:
    """Load, learn from a batch and save under a lock, so concurrent runs add up instead of overwriting.

    One file per site: a batch reads and rewrites the profiles of its own sites only."""

    def __init__(self, out: str | Path):
        self.store = open_store(out)
        self.folder = self.store.root / "_state" / "boilerplate"
        self.store.makedirs(self.folder)
        self._lock = self.store.lock(self.folder.with_suffix(".lock"))

    def learn_and_strip(self, articles: list[Article]) -> list[Article]:
        """Articles of a known site lose the paragraphs their site repeats; others pass unchanged."""
        documents = {a.doc_id: SiteDocument(a.domain, a.doc_id, split_paragraphs(a.text)) for a in articles if a.domain}
        if not documents:
            return articles
        sites = {document.site for document in documents.values()}
        with self._lock:
            model = BoilerplateModel(sites={site: profile for site in sites if (profile := self._load(site))})
            model.observe(documents.values())
            for site in sites:
                self._save(site, model.sites[site])
        return [_stripped(a, model, documents[a.doc_id]) if a.doc_id in documents else a for a in articles]

    def path(self, site: str) -> Path:
        return self.folder / f"{quote(site, safe='')}.json"

    def _load(self, site: str) -> SiteProfile | None:
        path = self.path(site)
        return SiteProfile.from_dict(json.loads(self.store.read_bytes(path))) if self.store.exists(path) else None

    def _save(self, site: str, profile: SiteProfile) -> None:
        self.store.write_atomically(self.path(site), json.dumps(profile.to_dict()).encode())


def _stripped(article: Article, model: BoilerplateModel, document: SiteDocument) -> Article:
    kept, removals = model.strip(document)
    if not removals or not kept:
        return article
    text = join_paragraphs(kept)
    return replace(article, text=text, removed=article.removed + removals, word_count=len(text.split()),
                   content_sha256=content_digest(text))
