"""Site names: the shipped mapping, then og:site_name and JSON-LD publishers, then the domain."""

import json

import lxml.html

from cleaners.metadata import extract_metadata


def site_of(head: str, url: str | None) -> str | None:
    return extract_metadata(
        lxml.html.document_fromstring(f"<html><head>{head}</head><body></body></html>"), url, {}
    ).site_name


def test_og_site_name() -> None:
    assert (
        site_of('<meta property="og:site_name" content="Harbour Gazette">', "https://hg.example.com/a")
        == "Harbour Gazette"
    )


def test_json_ld_publisher() -> None:
    ld = {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Harbour Gazette"}}
    assert site_of(f'<script type="application/ld+json">{json.dumps(ld)}</script>', None) == "Harbour Gazette"


def test_known_publisher_mapping_beats_a_shorthand() -> None:
    assert site_of('<meta property="og:site_name" content="FAZ.NET">', "https://www.faz.net/a/1.html") == (
        "Frankfurter Allgemeine Zeitung"
    )


def test_domain_is_the_last_resort() -> None:
    assert site_of("", "https://www.harbourgazette.co.uk/a/1") == "harbourgazette.co.uk"


def test_description_section_tags_and_declared_language() -> None:
    head = (
        '<meta name="description" content="Fares rise.">'
        '<meta property="article:section" content="Transport">'
        '<meta property="article:tag" content="ferries"><meta property="article:tag" content="prices">'
    )
    html = f'<html lang="en-GB"><head>{head}</head><body></body></html>'
    meta = extract_metadata(lxml.html.document_fromstring(html), None, {})
    assert (meta.description, meta.section, meta.tags, meta.language) == (
        "Fares rise.",
        "Transport",
        ["ferries", "prices"],
        "en",
    )


def test_extraction_does_not_mutate_the_tree() -> None:
    tree = lxml.html.document_fromstring("<html><head><title>A | B</title></head><body><p>By Ann Lee</p></body></html>")
    before = lxml.html.tostring(tree)
    extract_metadata(tree, "https://example.com/2024/01/02/a", {})
    assert lxml.html.tostring(tree) == before
