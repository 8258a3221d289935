"""fetch_all end to end against three local "hosts": what is fetched, when, what is yielded and why."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.fetch import FetchSettings, FetchState, FetchTargets, RawArchive, Unchanged, fetch_all
from flows.sources.base import InputError, RawInput
from tests.webserver import (
    Hit,
    Route,
    Site,
    article,
    atom,
    cyrillic_article,
    gzip_bomb,
    http_date,
    news_sitemap,
    rss,
    sitemap_index,
)

FAST = {
    "contact": "mailto:tests@example.org",
    "connect_timeout": 1.0,
    "read_timeout": 0.3,
    "total_timeout": 5.0,
    "retries": 2,
    "backoff_base": 0.02,
    "backoff_max": 0.1,
    "max_retry_after": 2.0,
    "max_page_bytes": 256 * 1024,
    "max_feed_bytes": 256 * 1024,
    "max_sitemap_bytes": 256 * 1024,
    "min_delay": 0.05,
    "allow_private_addresses": True,
}
NEWS_CRAWL_DELAY = 0.2
SINCE = datetime(2026, 1, 1, tzinfo=UTC)
RECENT = "Fri, 20 Nov 2026 10:00:00 GMT"
HTML = "text/html; charset=utf-8"


def settings(**overrides: object) -> FetchSettings:
    return FetchSettings(**{**FAST, **overrides})


@dataclass
class Run:
    outputs: list[RawInput | InputError | Unchanged]
    hits: dict[str, list[Hit]]
    peaks: dict[str, int]

    def raw(self) -> dict[str, RawInput]:
        return {item.source_uri: item for item in self.outputs if isinstance(item, RawInput)}

    def errors(self) -> dict[str, InputError]:
        return {item.source_uri: item for item in self.outputs if isinstance(item, InputError)}

    def unchanged(self) -> dict[str, Unchanged]:
        return {item.url: item for item in self.outputs if isinstance(item, Unchanged)}


@dataclass
class World:
    news: Site
    blog: Site
    wire: Site
    root: Path
    targets: FetchTargets

    def sites(self) -> dict[str, Site]:
        return {"news": self.news, "blog": self.blog, "wire": self.wire}

    def run(self) -> Run:
        for site in self.sites().values():
            site.clear()
        state = FetchState(self.root / "state.sqlite")
        archive = RawArchive(self.root)
        try:
            outputs = list(fetch_all(self.targets, settings(), state, archive))
        finally:
            state.close()
            archive.close()
        sites = self.sites().items()
        return Run(outputs, {name: list(site.hits) for name, site in sites}, {name: site.peak for name, site in sites})


def build_news(news: Site) -> None:
    news.add("/robots.txt", Route(b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n", "text/plain"))
    news.add("/articles/harbour.html", Route(article("harbour"), HTML, etag='"h1"'))
    news.add("/articles/library.html", Route(article("library"), HTML, last_modified=http_date()))
    news.add("/articles/cp1251.html", Route(cyrillic_article(), "text/html"))
    news.add("/private/memo.html", Route(article("bridge"), HTML))
    paths = ["/articles/harbour.html", "/articles/library.html", "/private/memo.html"]
    paths += ["/articles/cp1251.html", "/articles/missing.html"]
    feed = rss("Harbour Post", [(news.url(path), path.rsplit("/", 1)[-1], RECENT) for path in paths])
    news.add("/feed.xml", Route(feed, "application/rss+xml", etag='"feed-v1"'))


def build_blog(blog: Site) -> None:
    blog.add("/posts/orchard.html", Route(article("orchard"), HTML))
    blog.add("/posts/flaky.html", Route(article("library"), HTML, fail_first=2, fail_status=500))
    blog.add("/posts/busy.html", Route(article("bridge"), HTML, fail_first=1, fail_status=429, retry_after="1"))
    blog.add("/posts/report.pdf", Route(b"%PDF-1.4 not a page", "application/pdf"))
    blog.add("/posts/slow.html", Route(article("harbour"), HTML, delay=0.6))
    blog.add("/posts/loop-a", Route(status=302, headers={"Location": "/posts/loop-b"}))
    blog.add("/posts/loop-b", Route(status=302, headers={"Location": "/posts/loop-a"}))
    bomb = gzip_bomb(8 * 1024 * 1024)
    blog.add("/posts/bomb.html", Route(bomb, HTML, headers={"Content-Encoding": "gzip"}))
    blog.add("/posts/huge.html", Route(content_type=HTML, stream_bytes=4 * 1024 * 1024))
    blog.add("/broken.xml", Route(b"this is { not a feed", "application/rss+xml"))
    names = ["orchard.html", "flaky.html", "busy.html", "report.pdf", "slow.html", "loop-a", "bomb.html"]
    entries = [(blog.url(f"/posts/{name}"), name, "2026-11-20T10:00:00Z") for name in [*names, "huge.html"]]
    blog.add("/atom.xml", Route(atom("Orchard Blog", entries), "application/atom+xml", last_modified=http_date()))


def build_wire(wire: Site) -> None:
    wire.add("/robots.txt", Route(b"User-agent: copydesk\nDisallow: /drafts/\n", "text/plain"))
    pages = [(wire.url("/wire/bridge.html"), "2026-11-21", "Bridge"), (wire.url("/wire/old.html"), "2018-01-01", "Old")]
    news_gz = gzip.compress(news_sitemap(pages))
    wire.add("/news.xml.gz", Route(news_gz, "application/x-gzip", etag='"n1"'))
    wire.add("/old.xml", Route(news_sitemap([]), "application/xml"))
    index = sitemap_index([(wire.url("/news.xml.gz"), "2026-11-21"), (wire.url("/old.xml"), "2019-01-01")])
    wire.add("/sitemap_index.xml", Route(index, "application/xml"))
    wire.add("/wire/bridge.html", Route(article("bridge"), HTML, etag='"b1"'))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("dataset")
    with Site() as news, Site() as blog, Site() as wire:
        build_news(news)
        build_blog(blog)
        build_wire(wire)
        url_list = root / "urls.txt"
        url_list.write_text(f"# hand-picked\n{news.url('/articles/harbour.html#comments')}\n\n")
        targets = FetchTargets(
            feeds=(news.url("/feed.xml"), blog.url("/atom.xml"), blog.url("/broken.xml")),
            sitemaps=(wire.url("/sitemap_index.xml"),),
            url_files=(url_list,),
            since=SINCE,
        )
        yield World(news, blog, wire, root, targets)


def update_news_feed(news: Site) -> None:
    """The news feed gains one story; everything it listed before stays as it was."""
    news.add("/articles/bridge.html", Route(article("bridge"), HTML))
    paths = ["/articles/bridge.html", "/articles/harbour.html", "/articles/library.html", "/articles/cp1251.html"]
    feed = rss("Harbour Post", [(news.url(path), path.rsplit("/", 1)[-1], RECENT) for path in paths])
    news.add("/feed.xml", Route(feed, "application/rss+xml", etag='"feed-v2"'))


@pytest.fixture(scope="module")
def runs(world: World) -> tuple[Run, Run]:
    return world.run(), world.run()


@pytest.fixture(scope="module")
def third(world: World, runs: tuple[Run, Run]) -> Run:
    update_news_feed(world.news)
    return world.run()


def test_first_run_yields_every_good_page_once(world: World, runs: tuple[Run, Run]) -> None:
    first, _ = runs
    expected = {
        world.news.url("/articles/harbour.html"),
        world.news.url("/articles/library.html"),
        world.news.url("/articles/cp1251.html"),
        world.blog.url("/posts/orchard.html"),
        world.blog.url("/posts/flaky.html"),
        world.blog.url("/posts/busy.html"),
        world.wire.url("/wire/bridge.html"),
    }
    yielded = [item.source_uri for item in first.outputs if isinstance(item, RawInput)]
    assert sorted(yielded) == sorted(expected)


def test_first_run_rejects_with_reasons(world: World, runs: tuple[Run, Run]) -> None:
    errors = runs[0].errors()
    expected = {
        world.news.url("/private/memo.html"): ("robots_disallowed", None),
        world.news.url("/articles/missing.html"): ("http_error", 404),
        world.blog.url("/posts/report.pdf"): ("wrong_content_type", 200),
        world.blog.url("/posts/slow.html"): ("timeout", None),
        world.blog.url("/posts/loop-a"): ("redirect_loop", None),
        world.blog.url("/posts/bomb.html"): ("too_large", 200),
        world.blog.url("/posts/huge.html"): ("too_large", 200),
        world.blog.url("/broken.xml"): ("feed_unparseable", 200),
    }
    assert {url: (e.error_class, e.http_status) for url, e in errors.items()} == expected
    assert all(e.stage == "fetch" and e.url == url and e.message for url, e in errors.items())


def test_pages_carry_bytes_type_and_feed_hints(world: World, runs: tuple[Run, Run]) -> None:
    raw = runs[0].raw()
    harbour = raw[world.news.url("/articles/harbour.html")]
    assert harbour.data == article("harbour") and harbour.format == "html"
    assert harbour.hints["title"] == "harbour.html" and harbour.hints["site_name"] == "Harbour Post"
    assert harbour.hints["published"] == "2026-11-20T10:00:00+00:00"
    cyrillic = raw[world.news.url("/articles/cp1251.html")]
    assert cyrillic.data == cyrillic_article() and cyrillic.content_type == "text/html"
    bridge = raw[world.wire.url("/wire/bridge.html")]
    assert bridge.hints["title"] == "Bridge" and bridge.hints["sitemap_url"] == world.wire.url("/news.xml.gz")


def test_robots_first_and_once_per_host(runs: tuple[Run, Run]) -> None:
    first, second = runs
    for name, hits in first.hits.items():
        assert hits[0].path == "/robots.txt"
        assert [hit.path for hit in hits].count("/robots.txt") == 1
        assert hits[0].headers["user-agent"].startswith("copydesk/0.1.0 (+mailto:tests@example.org)")
        # kept in the state file for a day, so the next run does not ask again
        assert "/robots.txt" not in [hit.path for hit in second.hits[name]]


def test_listings_are_read_before_their_pages(runs: tuple[Run, Run]) -> None:
    news = [hit.path for hit in runs[0].hits["news"]]
    assert news.index("/feed.xml") < min(i for i, path in enumerate(news) if path.startswith("/articles/"))
    wire = [hit.path for hit in runs[0].hits["wire"]]
    assert wire.index("/sitemap_index.xml") < wire.index("/news.xml.gz") < wire.index("/wire/bridge.html")
    assert "/old.xml" not in wire and "/wire/old.html" not in wire
    assert "/private/memo.html" not in news


def test_hosts_are_fetched_side_by_side(runs: tuple[Run, Run]) -> None:
    """While the slow-paced news host waits out its Crawl-delay, the other hosts are being fetched."""
    hits = runs[0].hits
    news = [hit.at for hit in hits["news"]]
    for other in ("blog", "wire"):
        assert any(news[0] < hit.at < news[-1] for hit in hits[other])


def test_requests_to_one_host_are_spaced(runs: tuple[Run, Run]) -> None:
    for run in runs:
        # blog is left out: the server keeps sleeping on the slow page after the client gave up on it
        assert run.peaks["news"] == run.peaks["wire"] == 1, "one request at a time per host"
        for name, hits in run.hits.items():
            spacing = NEWS_CRAWL_DELAY if name == "news" else FAST["min_delay"]
            # robots.txt sets the news spacing, so it holds from the second request on
            gaps = [later.at - earlier.at for earlier, later in zip(hits[1:], hits[2:], strict=False)]
            assert all(gap >= spacing - 0.005 for gap in gaps), (name, gaps)


def test_retries_honour_retry_after_and_backoff(runs: tuple[Run, Run]) -> None:
    blog = runs[0].hits["blog"]
    busy = [hit for hit in blog if hit.path == "/posts/busy.html"]
    assert [hit.status for hit in busy] == [429, 200]
    assert busy[1].at - busy[0].at >= 1.0
    assert [hit.status for hit in blog if hit.path == "/posts/flaky.html"] == [500, 500, 200]
    assert len([hit for hit in blog if hit.path == "/posts/slow.html"]) == 3


def test_second_run_yields_nothing_new(world: World, runs: tuple[Run, Run]) -> None:
    first, second = runs
    assert second.raw() == {}
    unchanged = second.unchanged()
    assert unchanged[world.news.url("/feed.xml")].reason == "not_modified"
    assert unchanged[world.blog.url("/atom.xml")].reason == "not_modified"
    assert unchanged[world.wire.url("/sitemap_index.xml")].reason == "same_content"
    assert unchanged[world.wire.url("/news.xml.gz")].reason == "not_modified"
    assert unchanged[world.news.url("/articles/harbour.html")].reason == "not_modified"


def test_second_run_fetches_nothing_good_in_full(world: World, runs: tuple[Run, Run]) -> None:
    first, second = runs
    good = {uri for uri in first.raw()} | {world.news.url("/feed.xml"), world.blog.url("/atom.xml")}
    for name, site in world.sites().items():
        for hit in second.hits[name]:
            if site.url(hit.path) in good:
                assert hit.status == 304, hit
    assert "/posts/slow.html" in [hit.path for hit in second.hits["blog"]]


def test_archive_gives_back_what_was_yielded(world: World, runs: tuple[Run, Run]) -> None:
    archive = RawArchive(world.root)
    try:
        archived = {item.source_uri: item for item in map(archive.get, archive.source_uris())}
    finally:
        archive.close()
    assert archived == runs[0].raw()


def test_changed_feed_asks_known_pages_conditionally(world: World, third: Run) -> None:
    assert list(third.raw()) == [world.news.url("/articles/bridge.html")]
    unchanged = third.unchanged()
    assert unchanged[world.news.url("/articles/harbour.html")].reason == "not_modified"
    assert unchanged[world.news.url("/articles/library.html")].reason == "not_modified"
    # no validators were ever sent for this page, so only its hash shows it is the same
    assert unchanged[world.news.url("/articles/cp1251.html")].reason == "same_content"
    hits = {hit.path: hit for hit in third.hits["news"]}
    assert hits["/articles/harbour.html"].headers["if-none-match"] == '"h1"'
    assert "if-modified-since" in hits["/articles/library.html"].headers
