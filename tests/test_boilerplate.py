"""Learned boilerplate: repeats across a site's documents go, single documents and other sites stay."""

import json

import pytest

from cleaners import boilerplate
from cleaners.boilerplate import BoilerplateModel, SiteDocument, SiteProfile

FOOTER = "Tips? Write to the desk at the address on our contact page."
WIRE = "The central bank raised its main rate by a quarter point on Thursday, citing sticky inflation."


def story(site: str, n: int, *extra: str) -> SiteDocument:
    return SiteDocument(site, f"{site}/story-{n}", [f"Local story number {n} about the harbour.", *extra])


def test_a_paragraph_repeated_in_k_documents_of_a_site_is_removed() -> None:
    model = BoilerplateModel(min_docs=3)
    docs = [story("a.example", n, FOOTER) for n in range(3)]
    model.observe(docs)
    kept, removals = model.strip(docs[0])
    assert kept == ["Local story number 0 about the harbour."]
    assert [(r.rule, r.kind, r.text) for r in removals] == [("learned-boilerplate", "boilerplate", FOOTER)]


def test_fewer_than_k_documents_is_not_enough() -> None:
    model = BoilerplateModel(min_docs=3)
    docs = [story("a.example", n, FOOTER) for n in range(2)]
    model.observe(docs)
    assert model.strip(docs[0])[1] == []


def test_one_document_repeating_itself_never_counts_twice() -> None:
    model = BoilerplateModel(min_docs=2)
    doc = story("a.example", 1, FOOTER, FOOTER)
    model.observe([doc, doc, doc])
    assert model.strip(doc)[1] == []


def test_min_docs_below_two_is_refused() -> None:
    with pytest.raises(ValueError):
        SiteProfile(min_docs=1)


def test_the_same_wire_story_on_different_sites_keeps_its_body() -> None:
    model = BoilerplateModel(min_docs=2)
    docs = [story(site, 1, WIRE) for site in ("a.example", "b.example", "c.example")]
    model.observe(docs)
    assert all(WIRE in model.strip(doc)[0] for doc in docs)


def test_long_repeated_paragraphs_are_republished_stories_not_chrome() -> None:
    long_paragraph = " ".join([WIRE] * 6)
    model = BoilerplateModel(min_docs=2, max_words=80)
    docs = [story("a.example", n, long_paragraph) for n in range(3)]
    model.observe(docs)
    assert model.strip(docs[0])[1] == []


def test_versions_of_one_story_on_one_site_keep_their_body() -> None:
    paragraphs = [WIRE, WIRE.upper() + "!", FOOTER]
    versions = [SiteDocument("a.example", f"a.example/update-{n}", paragraphs) for n in range(4)]
    model = BoilerplateModel(min_docs=2)
    model.observe(versions)
    assert model.strip(versions[0]) == (versions[0].paragraphs, [])


def test_matching_ignores_case_and_whitespace() -> None:
    model = BoilerplateModel(min_docs=2)
    model.observe([story("a.example", 1, FOOTER), story("a.example", 2, FOOTER.upper().replace(" ", "  "))])
    assert model.strip(story("a.example", 3, FOOTER))[0] == ["Local story number 3 about the harbour."]


def test_profiles_survive_a_json_round_trip() -> None:
    model = BoilerplateModel(min_docs=2)
    model.observe([story("a.example", n, FOOTER) for n in range(2)])
    profile = model.sites["a.example"]
    restored = SiteProfile.from_dict(json.loads(json.dumps(profile.to_dict())))
    assert restored == profile
    restored.observe("a.example/story-0", [FOOTER])
    assert restored.doc_counts == profile.doc_counts


def test_a_profile_stays_bounded_and_keeps_what_recurs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(boilerplate, "CANDIDATES_KEPT", 50)
    monkeypatch.setattr(boilerplate, "DOCS_KEPT", 40)
    model = BoilerplateModel(min_docs=3)
    for n in range(0, 200, 10):
        model.observe([story("a.example", k, FOOTER) for k in range(n, n + 10)])
    profile = model.sites["a.example"]
    assert len(profile.seen_docs) == 40
    assert len(profile.doc_counts) == 51  # the footer and the 50 newest paragraphs seen fewer than 3 times
    assert model.strip(story("a.example", 999, FOOTER))[0] == ["Local story number 999 about the harbour."]
    model.observe([story("a.example", 199)])  # a recent document is still recognised: no second count
    assert profile.doc_counts[boilerplate.paragraph_key("Local story number 199 about the harbour.")] == 1


def test_unknown_site_strips_nothing() -> None:
    doc = story("new.example", 1, FOOTER)
    assert BoilerplateModel().strip(doc) == (doc.paragraphs, [])
