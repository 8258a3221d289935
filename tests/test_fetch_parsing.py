"""Feeds, sitemaps and bounded decoding, on bytes: no network involved."""

import gzip
from datetime import UTC, datetime

import pytest

from flows.fetch.feeds import parse_feed
from flows.fetch.outcomes import FetchFailure
from flows.fetch.safety import BoundedDecoder, gunzip_bounded
from flows.fetch.sitemaps import parse_sitemap
from tests.webserver import BILLION_LAUGHS, atom, gzip_bomb, news_sitemap, rss, sitemap_index

BASE = "https://news.example.org"
RSS_091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://news.example.org/</link>
<item><title>First</title><link>https://news.example.org/first</link></item></channel></rss>"""
RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example.org/"><title>RDF</title><link>https://news.example.org/</link></channel>
<item rdf:about="https://news.example.org/rdf-item"><title>RDF item</title>
<link>https://news.example.org/rdf-item</link><dc:creator>Lee Ray</dc:creator>
<dc:date>2026-11-20T08:00:00Z</dc:date></item></rdf:RDF>"""


def test_rss_091_with_netscape_doctype_is_read() -> None:
    links = parse_feed(RSS_091, f"{BASE}/rss091.xml", None)
    assert [link.url for link in links] == [f"{BASE}/first"]
    assert links[0].hints["title"] == "First"


def test_rss_10_gives_creator_and_date() -> None:
    [link] = parse_feed(RSS_10, f"{BASE}/rdf", None)
    assert link.url == f"{BASE}/rdf-item"
    assert link.hints["authors"] == ["Lee Ray"]
    assert link.hints["published"] == "2026-11-20T08:00:00+00:00"


def test_rss_20_hints_and_relative_links() -> None:
    data = rss("Daily", [("/a.html", "A story", "Fri, 20 Nov 2026 10:00:00 GMT")])
    [link] = parse_feed(data, f"{BASE}/feed.xml", None)
    assert link.url == f"{BASE}/a.html"
    assert link.hints["title"] == "A story"
    assert link.hints["site_name"] == "Daily"
    assert link.hints["description"] == "Short: A story"
    assert link.hints["feed_url"] == f"{BASE}/feed.xml"


def test_atom_entries_filtered_by_since() -> None:
    data = atom(
        "Blog", [(f"{BASE}/new", "New", "2026-11-20T10:00:00Z"), (f"{BASE}/old", "Old", "2020-01-01T00:00:00Z")]
    )
    links = parse_feed(data, f"{BASE}/atom.xml", datetime(2026, 1, 1, tzinfo=UTC))
    assert [link.url for link in links] == [f"{BASE}/new"]
    assert links[0].hints["authors"] == ["Ana Writer"]


def test_billion_laughs_feed_is_refused() -> None:
    with pytest.raises(FetchFailure) as caught:
        parse_feed(BILLION_LAUGHS, f"{BASE}/lol.xml", None)
    assert caught.value.error_class == "unsafe_xml"


def test_not_xml_feed_is_refused() -> None:
    with pytest.raises(FetchFailure) as caught:
        parse_feed(b"this is { not a feed", f"{BASE}/broken", None)
    assert caught.value.error_class == "feed_unparseable"


def test_sitemap_index_drops_children_older_than_since() -> None:
    data = sitemap_index([(f"{BASE}/new.xml.gz", "2026-11-20"), (f"{BASE}/old.xml", "2019-05-01")])
    found = parse_sitemap(data, f"{BASE}/index.xml", datetime(2026, 1, 1), 1 << 20)
    assert found.children == [f"{BASE}/new.xml.gz"] and found.pages == []


def test_gzip_news_sitemap_gives_title_and_dates() -> None:
    data = gzip.compress(news_sitemap([(f"{BASE}/w1", "2026-11-21T09:30:00+01:00", "Wire one")]))
    [page] = parse_sitemap(data, f"{BASE}/news.xml.gz", None, 1 << 20).pages
    assert page.url == f"{BASE}/w1"
    assert page.hints["title"] == "Wire one"
    assert page.hints["published"] == "2026-11-21T08:30:00+00:00"
    assert page.hints["language"] == "en"


def test_text_sitemap_lists_urls() -> None:
    found = parse_sitemap(f"{BASE}/a\n\n{BASE}/b\n".encode(), f"{BASE}/s.txt", None, 1 << 20)
    assert [page.url for page in found.pages] == [f"{BASE}/a", f"{BASE}/b"]


def test_sitemap_with_entities_is_refused() -> None:
    with pytest.raises(FetchFailure) as caught:
        parse_sitemap(BILLION_LAUGHS, f"{BASE}/s.xml", None, 1 << 20)
    assert caught.value.error_class == "unsafe_xml"


def test_gzip_bomb_is_cut_at_the_cap() -> None:
    bomb = gzip_bomb(20 * 1024 * 1024)
    with pytest.raises(FetchFailure) as caught:
        gunzip_bounded(bomb, f"{BASE}/bomb.xml.gz", 1024 * 1024)
    assert caught.value.error_class == "too_large"


def test_bounded_decoder_streams_gzip_within_the_cap() -> None:
    decoder = BoundedDecoder(BASE, "gzip", 100)
    payload = gzip.compress(b"x" * 100)
    for start in range(0, len(payload), 7):
        decoder.feed(payload[start : start + 7])
    assert decoder.finish() == b"x" * 100


def test_feed_charset_from_the_header_decodes_the_bytes() -> None:
    data = rss("Новости", [("/a", "Парк открыт", "Fri, 20 Nov 2026 10:00:00 GMT")]).replace(b' encoding="utf-8"', b"")
    data = data.decode().encode("cp1251")
    [link] = parse_feed(data, f"{BASE}/feed", None, "application/rss+xml; charset=windows-1251")
    assert link.hints["title"] == "Парк открыт" and link.hints["site_name"] == "Новости"
