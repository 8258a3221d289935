"""Accuracy on ../shared/data/metadata/dev with the reference scorer: fails when a field drops below its floor."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import charset_normalizer
import lxml.html
import pytest

from cleaners.language import detect_language
from cleaners.metadata import Metadata, extract_metadata
from cleaners.metadata.dates import ParsedDate, local_iso

# Just below the measured figures, so a regression fails. Authors stays short of issue 4's target (80 %): most
# remaining misses are labels naming the site or a desk, which the contract excludes.
FLOORS = {"title": 0.835, "authors": 0.78, "published": 0.93, "site_name": 0.835, "url": 0.92, "language": 0.97}
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?\s*([\w-]+)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode(raw: bytes) -> str:
    """UTF-8 when valid, else the page's declared charset, else detection."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(raw[:4096])
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    best = charset_normalizer.from_bytes(raw).best()
    return str(best) if best is not None else raw.decode("utf-8", "replace")


def load_scorer(shared_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("metadata_score", shared_dir.parent / "eval" / "metadata_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def paragraph_text(tree: lxml.html.HtmlElement) -> str:
    """Stand-in for the cleaned body: the page's paragraphs, or all its text when it has none."""
    text = "\n".join(p.text_content() for p in tree.iter("p"))
    return text if text.strip() else tree.text_content()


def published(meta: Metadata) -> str | None:
    if meta.published_at is None or meta.published_precision is None:
        return None
    return local_iso(ParsedDate(meta.published_at, meta.published_precision, meta.published_offset_min))


def predict(case: dict[str, Any], folder: Path) -> dict[str, Any]:
    html = _XML_DECLARATION.sub("", decode(gzip.decompress((folder / case["page"]).read_bytes())))
    tree = lxml.html.document_fromstring(html)
    meta = extract_metadata(tree, case["url"], {})
    return {
        "id": case["id"],
        "title": meta.title,
        "authors": meta.authors,
        "published": published(meta),
        "site_name": meta.site_name,
        "language": detect_language(paragraph_text(tree), meta.language)[0],
        "url": meta.url,
    }


@pytest.fixture(scope="module")
def scores(shared_dir: Path) -> dict[str, dict[str, Any]]:
    folder = shared_dir / "metadata" / "dev"
    scorer = load_scorer(shared_dir)
    cases = scorer.load_expected([str(folder)])
    predictions = {case["id"]: predict(case, folder) for case in cases}
    return scorer.score(cases, json.loads(json.dumps(predictions)))["all"]


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_field_accuracy_reaches_its_floor(scores: dict[str, dict[str, Any]], field: str) -> None:
    result = scores[field]
    assert result["acc"] >= FLOORS[field], f"{field}: {result['correct']}/{result['n']} = {result['acc']}"
