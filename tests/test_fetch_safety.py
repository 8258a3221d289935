"""Refusals that protect us: private addresses, other schemes, unreachable robots.txt, early stops."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flows.fetch import FetchSettings, FetchState, FetchTargets, RawArchive, fetch_all
from flows.fetch.crawl import FetchOutput
from flows.fetch.http import root_cause
from flows.fetch.safety import PrivateAddressError, PublicOnlyTransport, is_public_address
from flows.sources.base import InputError, RawInput
from tests.test_fetch_crawl import FAST, HTML, RECENT
from tests.webserver import Route, Site, article, rss


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as served:
        yield served


def fetch(tmp_path: Path, targets: FetchTargets, **overrides: object) -> list[FetchOutput]:
    state, archive = FetchState(tmp_path / "state.sqlite"), RawArchive(tmp_path)
    try:
        return list(fetch_all(targets, FetchSettings(**{**FAST, **overrides}), state, archive))
    finally:
        state.close()
        archive.close()


def errors(outputs: list[FetchOutput]) -> dict[str, str]:
    return {item.source_uri: item.error_class for item in outputs if isinstance(item, InputError)}


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("224.0.0.1", False),
        ("::ffff:192.168.0.1", False),
        ("93.184.216.34", True),
        ("2606:4700::1", True),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_links_from_feeds_to_private_hosts_are_refused(site: Site, tmp_path: Path) -> None:
    site.add("/a.html", Route(article("harbour"), HTML))
    feed = site.add("/feed.xml", Route(rss("Local", [(site.url("/a.html"), "A", RECENT)]), "application/rss+xml"))
    outputs = fetch(tmp_path, FetchTargets(feeds=(feed,)), allow_private_addresses=False)
    assert errors(outputs) == {site.url("/a.html"): "private_address"}
    assert "/a.html" not in site.paths() and "/feed.xml" in site.paths()


def test_redirect_to_a_private_host_is_refused_even_from_a_trusted_url(site: Site, tmp_path: Path) -> None:
    elsewhere = site.url("/a.html").replace("127.0.0.1", "localhost")
    start = site.add("/go", Route(status=302, headers={"Location": elsewhere}))
    outputs = fetch(tmp_path, FetchTargets(urls=(start,)), allow_private_addresses=False)
    assert errors(outputs) == {start: "private_address"}


def test_other_schemes_are_refused(site: Site, tmp_path: Path) -> None:
    links = [("ftp://files.example.org/a.txt", "ftp", RECENT), ("file:///etc/passwd", "file", RECENT)]
    feed = site.add("/feed.xml", Route(rss("Odd", links), "application/rss+xml"))
    outputs = fetch(tmp_path, FetchTargets(feeds=(feed,)))
    assert set(errors(outputs).values()) == {"unsupported_url"} and len(errors(outputs)) == 2


def test_unreachable_robots_txt_disallows_the_host(site: Site, tmp_path: Path) -> None:
    site.add("/robots.txt", Route(status=503))
    page = site.add("/a.html", Route(article("harbour"), HTML))
    outputs = fetch(tmp_path, FetchTargets(urls=(page,)), retries=0)
    assert errors(outputs) == {page: "robots_unavailable"}
    assert site.paths() == ["/robots.txt"]


def test_long_redirect_chains_are_cut(site: Site, tmp_path: Path) -> None:
    for hop in range(4):
        site.add(f"/r{hop}", Route(status=301, headers={"Location": f"/r{hop + 1}"}))
    site.add("/r4", Route(article("harbour"), HTML))
    outputs = fetch(tmp_path, FetchTargets(urls=(site.url("/r0"),)), max_redirects=2)
    assert errors(outputs) == {site.url("/r0"): "too_many_redirects"}


def test_redirects_within_the_cap_are_followed(site: Site, tmp_path: Path) -> None:
    site.add("/old", Route(status=301, headers={"Location": "/new"}))
    site.add("/new", Route(article("harbour"), HTML))
    [raw] = fetch(tmp_path, FetchTargets(urls=(site.url("/old"),)))
    assert isinstance(raw, RawInput)
    assert (raw.source_uri, raw.url, raw.hints["requested_url"]) == (
        site.url("/old"),
        site.url("/new"),
        site.url("/old"),
    )


def test_retry_after_beyond_the_limit_fails_at_once(site: Site, tmp_path: Path) -> None:
    page = site.add("/a.html", Route(article("harbour"), HTML, fail_first=5, fail_status=503, retry_after="3600"))
    outputs = fetch(tmp_path, FetchTargets(urls=(page,)))
    [error] = outputs
    assert isinstance(error, InputError) and error.http_status == 503 and "3600" in error.message
    assert site.paths().count("/a.html") == 1


def test_a_caller_may_stop_early(site: Site, tmp_path: Path) -> None:
    pages = [site.add(f"/{n}.html", Route(article("library"), HTML)) for n in range(6)]
    state, archive = FetchState(tmp_path / "state.sqlite"), RawArchive(tmp_path)
    outputs = fetch_all(FetchTargets(urls=tuple(pages)), FetchSettings(**FAST), state, archive)
    first = next(outputs)
    outputs.close()
    assert isinstance(first, RawInput) and len(site.paths()) < 6
    state.close()
    archive.close()


def test_unknown_hosts_fail_as_dns_errors(tmp_path: Path) -> None:
    url = "http://no-such-host.invalid/a.html"
    outputs = fetch(tmp_path, FetchTargets(urls=(url,)))
    assert errors(outputs) == {url: "dns_error"}


def test_a_feed_of_the_wrong_type_is_refused_unread(site: Site, tmp_path: Path) -> None:
    feed = site.add("/feed.png", Route(b"\x89PNG not a feed", "image/png"))
    outputs = fetch(tmp_path, FetchTargets(feeds=(feed,)))
    [error] = outputs
    assert isinstance(error, InputError) and error.error_class == "wrong_content_type" and "image/png" in error.message


def test_the_address_is_checked_when_connecting(site: Site) -> None:
    """Checked by the socket layer itself, so a DNS answer that changes after a check cannot slip in."""
    site.add("/a.html", Route(article("harbour"), HTML))
    with httpx.Client(transport=PublicOnlyTransport()) as client, pytest.raises(httpx.ConnectError) as caught:
        client.get(site.url("/a.html"))
    assert isinstance(root_cause(caught.value), PrivateAddressError)
    assert site.paths() == []


def test_zoned_link_local_addresses_are_private() -> None:
    assert not is_public_address("fe80::1%eth0")


def test_a_declared_oversize_body_is_not_read(site: Site, tmp_path: Path) -> None:
    page = site.add("/long.html", Route(b"<p>" + b"y" * 300_000 + b"</p>", HTML))
    outputs = fetch(tmp_path, FetchTargets(urls=(page,)))
    [error] = outputs
    assert isinstance(error, InputError) and (error.error_class, error.http_status) == ("too_large", 200)
    assert "262144 byte cap" in error.message and site.paths().count("/long.html") == 1


def test_xhtml_and_plain_text_pages_are_accepted(site: Site, tmp_path: Path) -> None:
    xhtml = site.add("/a.xhtml", Route(article("orchard"), "application/xhtml+xml"))
    text = site.add("/a.txt", Route(b"Plain words about the orchard.", "text/plain; charset=utf-8"))
    outputs = fetch(tmp_path, FetchTargets(urls=(xhtml, text)))
    formats = {item.source_uri: item.format for item in outputs if isinstance(item, RawInput)}
    assert formats == {xhtml: "html", text: "text"}


def test_stopping_early_does_not_wait_out_a_retry_after(site: Site, tmp_path: Path) -> None:
    busy = site.add("/busy.html", Route(article("bridge"), HTML, fail_first=1, fail_status=503, retry_after="30"))
    quick = site.add("/quick.html", Route(article("orchard"), HTML))
    other = Site()
    with other:
        elsewhere = other.add("/a.html", Route(article("library"), HTML))
        state, archive = FetchState(tmp_path / "state.sqlite"), RawArchive(tmp_path)
        outputs = fetch_all(
            FetchTargets(urls=(busy, quick, elsewhere)),
            FetchSettings(**{**FAST, "max_retry_after": 60}),
            state,
            archive,
        )
        started = time.monotonic()
        assert isinstance(next(outputs), RawInput)
        outputs.close()
        assert time.monotonic() - started < 5
        state.close()
        archive.close()


def test_robots_txt_also_guards_feeds_and_sitemaps(site: Site, tmp_path: Path) -> None:
    site.add("/robots.txt", Route(b"User-agent: copydesk\nDisallow: /feeds/\nDisallow: /maps/\n", "text/plain"))
    feed = site.add("/feeds/all.xml", Route(rss("Hidden", []), "application/rss+xml"))
    sitemap = site.add("/maps/sitemap.xml", Route(b"<urlset/>", "application/xml"))
    outputs = fetch(tmp_path, FetchTargets(feeds=(feed,), sitemaps=(sitemap,)))
    assert errors(outputs) == {feed: "robots_disallowed", sitemap: "robots_disallowed"}
    assert site.paths() == ["/robots.txt"]


@pytest.mark.parametrize("bad", [{"per_host_concurrency": 0}, {"max_workers": 0}, {"min_delay": -1.0}])
def test_settings_that_would_hang_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        FetchSettings(**bad)


def test_per_host_concurrency_is_a_ceiling(site: Site, tmp_path: Path) -> None:
    pages = tuple(site.add(f"/{n}.html", Route(article("orchard"), HTML, delay=0.15)) for n in range(6))
    outputs = fetch(tmp_path, FetchTargets(urls=pages), per_host_concurrency=2, min_delay=0.01)
    assert len([item for item in outputs if isinstance(item, RawInput)]) == 6
    assert site.peak == 2
