"""One document in, one cleaned article out: the composition of every cleaning stage."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime

import lxml.html
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

from cleaners.html_stage import extract_body, prune_chrome
from cleaners.language import detect_language
from cleaners.metadata import extract_metadata
from cleaners.overrides import Overrides
from cleaners.paragraphs import join_paragraphs, split_paragraphs
from cleaners.record import PIPELINE_VERSION, Article, Removal, SourceDoc, content_digest
from cleaners.rules import RULES_VERSION
from cleaners.standfirst import close_open_headings
from cleaners.text_stage import clean_paragraphs

# lxml refuses decoded text that still declares a byte encoding
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Every element an HtmlElement, decided in C: lxml.html's per-tag lookup is a Python call per element proxy.
_PARSER = etree.HTMLParser()
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
))


class CleanError(ValueError):
    """The document cannot be cleaned into an article; the message says why."""


def clean_document(doc: SourceDoc, overrides: Overrides | None = None) -> Article:
    tree = parse_html(doc) if doc.kind == "html" else None
    meta = extract_metadata(tree, doc.url, doc.hints)
    site_rules = overrides.for_domain(meta.domain) if overrides else None
    removals: list[Removal] = []
    if tree is not None:
        close_open_headings(tree)
        removals += prune_chrome(tree, site_rules)
        raw_text = extract_body(tree, doc.url)
    else:
        raw_text = doc.body
    # a text input whose source names the title is the article body, not a page dump with a headline in it
    whole_page = tree is None and not doc.hints.get("title")
    outcome = clean_paragraphs(split_paragraphs(raw_text), whole_page=whole_page,
                               extra_phrases=site_rules.phrases if site_rules else ())
    removals += outcome.removals
    paragraphs = _drop_repeated_title(outcome.paragraphs, meta.title, removals)
    text = join_paragraphs(paragraphs)
    if not text:
        raise CleanError(f"no article text left in {doc.source_uri} after cleaning")
    language, confidence = detect_language(text, declared=meta.language)
    return Article(
        doc_id=document_id(meta.url or doc.url, doc.source_uri),
        url=meta.url,
        fetched_url=doc.url,
        source_uri=doc.source_uri,
        site_name=_site_name(meta.site_name, meta.domain, outcome.site_name),
        domain=meta.domain,
        title=meta.title or outcome.title,
        authors=meta.authors,
        agencies=meta.agencies,
        published_at=meta.published_at,
        published_precision=meta.published_precision,
        published_offset_min=meta.published_offset_min,
        modified_at=meta.modified_at,
        date_source=meta.date_source,
        language=language,
        language_confidence=confidence,
        description=meta.description,
        section=meta.section,
        tags=meta.tags,
        text=text,
        word_count=len(text.split()),
        content_sha256=content_digest(text),
        removed=removals,
        extra_json=json.dumps(doc.extra, ensure_ascii=False, sort_keys=True, default=str) if doc.extra else None,
        ingested_at=datetime.now(UTC),
        pipeline_version=PIPELINE_VERSION,
        rules_version=RULES_VERSION,
    )


def _site_name(named: str | None, domain: str | None, from_appeal: str | None) -> str | None:
    """The outlet named by its own appeal beats a bare domain, not a name the markup gives."""
    if named and named != domain:
        return named
    return from_appeal or named


def _drop_repeated_title(paragraphs: list[str], title: str | None, removals: list[Removal]) -> list[str]:
    """The headline is the `title` column; repeated as the first paragraph it would be counted as body."""
    if title and paragraphs and paragraphs[0].strip() == title.strip():
        removals.append(Removal(rule="headline", kind="title", text=paragraphs[0]))
        return paragraphs[1:]
    return paragraphs


def document_id(canonical_url: str | None, source_uri: str) -> str:
    key = canonical_url or source_uri
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def parse_html(doc: SourceDoc) -> HtmlElement:
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", doc.body, count=1), parser=_PARSER)
    except (ValueError, etree.ParserError) as exc:
        raise CleanError(f"cannot parse HTML of {doc.source_uri}: {exc}") from exc
    return tree
