"""Canonical URLs: resolved, unwrapped from archives, tracking parameters dropped, article ids kept."""

import lxml.html

from cleaners.metadata import extract_metadata
from cleaners.metadata.urls import normalize_url, registered_domain, unwrap_archive


def url_of(head: str, fetched: str | None) -> str | None:
    return extract_metadata(
        lxml.html.document_fromstring(f"<html><head>{head}</head><body></body></html>"), fetched, {}
    ).url


def test_tracking_parameters_and_fragment_are_dropped() -> None:
    url = "https://News.Example.com/a/ferry?utm_source=rss&utm_medium=feed&fbclid=x1&ref=rss&id=42#comments"
    assert normalize_url(url) == "https://news.example.com/a/ferry?id=42"


def test_relative_canonical_is_resolved_against_the_fetched_url() -> None:
    head = '<link rel="canonical" href="/politics/ferry-fares-rise">'
    assert (
        url_of(head, "https://www.example.com/p/123?utm_campaign=x")
        == "https://www.example.com/politics/ferry-fares-rise"
    )


def test_og_url_when_there_is_no_canonical() -> None:
    head = '<meta property="og:url" content="https://www.example.com/politics/ferry-fares-rise">'
    assert url_of(head, "https://m.example.com/p/123") == "https://www.example.com/politics/ferry-fares-rise"


def test_home_page_canonical_of_an_article_is_ignored() -> None:
    assert url_of('<link rel="canonical" href="https://www.example.com/">', "https://www.example.com/a/1") == (
        "https://www.example.com/a/1"
    )


def test_article_id_in_query_survives_a_canonical_without_it() -> None:
    head = '<link rel="canonical" href="https://www.example.org/news.html">'
    assert url_of(head, "https://www.example.org/news.html?newsID=77&utm_source=x") == (
        "https://www.example.org/news.html?newsID=77"
    )


def test_archive_wrapped_urls_are_unwrapped() -> None:
    wrapped = "https://web.archive.org/web/20160218174457/http://blog.example.de/2010/05/post/"
    assert unwrap_archive(wrapped) == "http://blog.example.de/2010/05/post/"
    assert url_of("", wrapped) == "http://blog.example.de/2010/05/post/"
    assert (
        unwrap_archive("https://web.archive.org/web/20130307194448/example.net/a.html") == "http://example.net/a.html"
    )


def test_registered_domain_and_no_url_for_text() -> None:
    assert registered_domain("https://www.bbc.co.uk/news/world-1") == "bbc.co.uk"
    meta = extract_metadata(None, None, {"url": "https://www.example.com/a?utm_source=x"})
    assert (meta.url, meta.domain) == ("https://www.example.com/a", "example.com")


def test_malformed_canonicals_fall_back_to_the_fetched_url() -> None:
    head = '<link rel="canonical" href="http://[::1]:99999/x"><meta property="og:url" content="javascript:void(0)">'
    assert url_of(head, "https://www.example.com/a/1") == "https://www.example.com/a/1"
    assert normalize_url("ftp://example.com/file") is None
