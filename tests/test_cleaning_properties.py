"""Properties of the text stage on generated pages: no crash, idempotent, nothing lost unrecorded."""

from collections import Counter
from html import escape

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.html_stage import prune_chrome
from cleaners.text_stage import clean_paragraphs

# Fragments that exercise every rule family, mixed with arbitrary text.
FRAGMENTS = [
    "Continue",
    "Donate now",
    "Support The Example Herald!",
    "… we have a small favor to ask.",
    "As you may know, our reporters stay independent thanks to readers like you.",
    "Your support, however small, makes a real difference to our journalism.",
    "Skip to main content",
    "© 2031 Example Media. All rights reserved.",
    "By signing up, you agree to receive our newsletter emails.",
    "Unabhängiger Journalismus braucht deine Unterstützung.",
    "Поддержите нас!",
    "Donors pledged $2bn for the reconstruction of the port, officials said.",
    '"We need your help," the mayor told residents gathered outside the town hall.',
    "The ministry said drills would continue in the north through the end of the month.",
    "Storm Warning Issued For The Coast",
]
paragraph = st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=300))
pages = st.lists(paragraph, max_size=15)


@settings(max_examples=300, deadline=None)
@given(pages, st.booleans())
def test_every_dropped_paragraph_has_a_removal(paragraphs: list[str], whole_page: bool) -> None:
    outcome = clean_paragraphs(paragraphs, whole_page=whole_page)
    accounted = Counter(outcome.paragraphs) + Counter(r.text for r in outcome.removals)
    assert accounted == Counter(paragraphs)
    assert outcome.title is None or outcome.title in paragraphs


@settings(max_examples=300, deadline=None)
@given(pages)
def test_cleaning_clean_text_changes_nothing(paragraphs: list[str]) -> None:
    once = clean_paragraphs(paragraphs, whole_page=False)
    twice = clean_paragraphs(once.paragraphs, whole_page=False)
    assert twice.paragraphs == once.paragraphs
    assert twice.removals == []


@settings(max_examples=100, deadline=None)
@given(pages)
def test_whole_page_cleaning_keeps_its_result_when_run_again(paragraphs: list[str]) -> None:
    once = clean_paragraphs(paragraphs, whole_page=True)
    again = clean_paragraphs([once.title, *once.paragraphs] if once.title else once.paragraphs, whole_page=True)
    assert again.paragraphs == once.paragraphs


classes = st.sampled_from(["", "share", "article-body", "newsletter", "donate-box", "content", "related"])
tags = st.sampled_from(["div", "p", "section", "aside", "nav", "span"])
# Markup cannot hold control characters; everything else goes.
markup_text = st.one_of(
    st.sampled_from(FRAGMENTS), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=200)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(tags, classes, markup_text), min_size=1, max_size=12))
def test_pruning_records_every_dropped_text(blocks: list[tuple[str, str, str]]) -> None:
    inner = "".join(f'<{tag} class="{cls}">{escape(text)}</{tag}>' for tag, cls, text in blocks)
    tree = lxml.html.document_fromstring(f"<html><body><div>{inner}</div></body></html>")
    removals = prune_chrome(tree)
    after = " ".join(" ".join(tree.itertext()).split())
    for _, _, text in blocks:
        text = " ".join(text.split())
        assert text in after or any(text in r.text for r in removals)
    assert all(r.text and r.kind in {"chrome", "appeal"} for r in removals)
