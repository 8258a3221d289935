"""The learned site boilerplate, persisted beside the dataset so every run keeps learning."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from cleaners.boilerplate import BoilerplateModel, SiteDocument
from cleaners.paragraphs import join_paragraphs, split_paragraphs
from cleaners.record import Article, content_digest
from flows.storage import open_store


class BoilerplateStore:
    """Load, learn from a batch and save under a lock, so concurrent runs add up instead of overwriting."""

    def __init__(self, out: str | Path):
        self.store = open_store(out)
        self.path = self.store.root / "_state" / "boilerplate.json"
        self.store.makedirs(self.path.parent)
        self._lock = self.store.lock(self.path.with_suffix(".lock"))

    def learn_and_strip(self, articles: list[Article]) -> list[Article]:
        """Articles of a known site lose the paragraphs their site repeats; others pass unchanged."""
        documents = {a.doc_id: SiteDocument(a.domain, a.doc_id, split_paragraphs(a.text)) for a in articles if a.domain}
        if not documents:
            return articles
        with self._lock:
            model = self._load()
            model.observe(documents.values())
            self._save(model)
        return [_stripped(a, model, documents[a.doc_id]) if a.doc_id in documents else a for a in articles]

    def _load(self) -> BoilerplateModel:
        if not self.store.exists(self.path):
            return BoilerplateModel()
        return BoilerplateModel.from_dict(json.loads(self.store.read_bytes(self.path)))

    def _save(self, model: BoilerplateModel) -> None:
        self.store.write_atomically(self.path, json.dumps(model.to_dict()).encode())


def _stripped(article: Article, model: BoilerplateModel, document: SiteDocument) -> Article:
    kept, removals = model.strip(document)
    if not removals or not kept:
        return article
    text = join_paragraphs(kept)
    return replace(article, text=text, removed=article.removed + removals, word_count=len(text.split()),
                   content_sha256=content_digest(text))
