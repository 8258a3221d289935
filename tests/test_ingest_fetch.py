"""The ingest flow over a real HTTP server on 127.0.0.1: fetch, clean, write; a second run writes nothing."""

import shutil
import sqlite3
from pathlib import Path

import polars as pl
import pytest

from flows.ingest import ingest
from tests.webserver import APPEAL, Route, Site, article, http_date, rss

pytestmark = pytest.mark.usefixtures("prefect_api")


def test_feed_is_fetched_cleaned_written_and_not_written_twice(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Site() as site:
        site.add("/robots.txt", Route(b"User-agent: *\nCrawl-delay: 0.05\n", content_type="text/plain"))
        links = [
            (site.add(f"/news/{key}", Route(article(key), etag=f'"{key}-v1"')), key, http_date(1))
            for key in ("harbour", "library", "orchard", "bridge")
        ]
        site.add(
            "/feed.xml",
            Route(rss("Town news", links[:3]), content_type="application/rss+xml", last_modified=http_date(2)),
        )
        first = ingest(feeds=[site.url("/feed.xml")], out=str(out), allow_private_addresses=True)
        unchanged_feed = ingest(feeds=[site.url("/feed.xml")], out=str(out), allow_private_addresses=True)
        site.add(
            "/feed.xml", Route(rss("Town news", links), content_type="application/rss+xml", last_modified=http_date(1))
        )
        grown_feed = ingest(feeds=[site.url("/feed.xml")], out=str(out), allow_private_addresses=True)

    assert first.totals == {"new": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert unchanged_feed.totals == {"new": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    assert unchanged_feed.listings_unchanged == 1
    assert grown_feed.totals == {"new": 1, "updated": 0, "unchanged": 3, "rejected": 0}
    assert [hit.status for hit in site.hits_for("/news/harbour")] == [200, 304]
    rows = pl.read_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True)
    assert rows.height == 4
    assert not rows["text"].str.contains(APPEAL, literal=True).any()
    assert set(rows["fetched_url"]) == {link for link, _, _ in links}
    assert (out / "raw").is_dir()


def test_reclean_reads_the_raw_archive_without_fetching(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Site() as site:
        links = [(site.add(f"/news/{key}", Route(article(key))), key, http_date(1)) for key in ("harbour", "bridge")]
        site.add("/feed.xml", Route(rss("Town news", links), content_type="application/rss+xml"))
        ingest(feeds=[site.url("/feed.xml")], out=str(out), allow_private_addresses=True)
        hits_before = len(site.hits)
        again = ingest(out=str(out), from_archive=True)
        assert len(site.hits) == hits_before

    assert again.totals == {"new": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert pl.read_parquet(out / "articles" / "**" / "*.parquet").height == 2


def test_pages_fetched_by_a_run_that_died_before_writing_are_written_next_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Site() as site:
        links = [(site.add(f"/news/{key}", Route(article(key), etag=f'"{key}"')), key, http_date(1))
                 for key in ("harbour", "bridge")]
        site.add("/feed.xml", Route(rss("Town news", links), content_type="application/rss+xml",
                                    last_modified=http_date(1)))
        ingest(feeds=[site.url("/feed.xml")], out=str(out), allow_private_addresses=True)
        # as if the process died after fetching, before its batch was written: no rows, nothing marked written
        shutil.rmtree(out / "articles")
        with sqlite3.connect(out / "raw" / "index.sqlite") as db:
            db.execute("UPDATE archived SET written_sha256 = NULL")
        resumed = ingest(feeds=[site.url("/feed.xml")], out=str(out), allow_private_addresses=True)

    assert resumed.listings_unchanged == 1
    assert resumed.totals == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 0}


def test_credentials_in_urls_reach_the_server_but_no_row(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Site() as site:
        page = site.add("/news/orchard", Route(article("orchard")))
        secret_page = page.replace("http://", "http://reader:s3cret@")
        missing = site.url("/news/gone").replace("http://", "http://reader:s3cret@")
        ingest(inputs=[secret_page, missing], out=str(out), allow_private_addresses=True)
    assert site.hits_for("/news/orchard")[0].headers.get("authorization", "").startswith("Basic ")
    for dataset in ("articles", "rejects"):
        frame = pl.read_parquet(out / dataset / "**" / "*.parquet")
        assert not any("s3cret" in str(value) for row in frame.rows() for value in row), dataset
