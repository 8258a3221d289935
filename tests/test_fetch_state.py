"""The state file and the raw archive: what is remembered between runs and by several processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flows.fetch import FetchState, RawArchive
from flows.fetch.http import Validators
from flows.fetch.links import Link
from flows.sources.base import RawInput

REPO = Path(__file__).resolve().parents[1]
WRITER = """
import sys
from flows.fetch import FetchState
from flows.fetch.http import Validators
state = FetchState(sys.argv[1])
for n in range(200):
    state.record_success(f"https://{sys.argv[2]}.example/{n}", Validators(f'"{n}"', None), f"{n:064x}", 200)
state.close()
"""


def test_304_keeps_hash_and_validators(tmp_path: Path) -> None:
    state = FetchState(tmp_path / "state.sqlite")
    state.record_success("https://a.example/1", Validators('"e1"', "Mon, 02 Nov 2026 10:00:00 GMT"), "ab" * 32, 200)
    state.record_success("https://a.example/1", Validators(None, None), None, 304)
    stored = state.get("https://a.example/1")
    assert stored is not None
    assert (stored.etag, stored.sha256, stored.status) == ('"e1"', "ab" * 32, 304)
    assert stored.validators.headers() == {
        "If-None-Match": '"e1"',
        "If-Modified-Since": "Mon, 02 Nov 2026 10:00:00 GMT",
    }
    state.close()


def test_failure_keeps_the_last_good_copy(tmp_path: Path) -> None:
    state = FetchState(tmp_path / "state.sqlite")
    state.record_success("https://a.example/1", Validators('"e1"', None), "cd" * 32, 200)
    state.record_failure("https://a.example/1", "timeout", None)
    stored = state.get("https://a.example/1")
    assert stored is not None and (stored.sha256, stored.error_class, stored.etag) == ("cd" * 32, "timeout", '"e1"')
    state.close()


def test_only_passing_failures_are_retried_under_an_unchanged_feed(tmp_path: Path) -> None:
    state = FetchState(tmp_path / "state.sqlite")
    feed = "https://a.example/feed"
    names = ["ok", "gone", "busy", "slow", "new"]
    state.remember_links(feed, [Link(f"https://a.example/{name}", {"title": name}) for name in names], [])
    state.record_success("https://a.example/ok", Validators(), "ef" * 32, 200)
    state.record_failure("https://a.example/gone", "http_error", 410)
    state.record_failure("https://a.example/busy", "http_error", 503)
    state.record_failure("https://a.example/slow", "timeout", None)
    retried = state.pages_to_retry(feed)
    assert sorted(link.url for link in retried) == [f"https://a.example/{n}" for n in ("busy", "new", "slow")]
    assert {link.hints["title"] for link in retried} == {"busy", "new", "slow"}
    state.close()


def test_two_processes_share_one_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    FetchState(path).close()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name], cwd=REPO, env={"PYTHONPATH": str(REPO)})
        for name in ("one", "two")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    state = FetchState(path)
    assert state.db.read("SELECT COUNT(*) FROM url_state")[0][0] == 400
    assert state.db.read("PRAGMA journal_mode")[0][0] == "wal"
    state.close()


def test_archive_keeps_the_latest_body_per_url(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    first = RawInput("https://a.example/1", b"<p>one</p>", "html", "https://a.example/1", "text/html", {"title": "One"})
    second = RawInput("https://a.example/1", b"<p>two</p>", "html", "https://a.example/1", "text/html", {})
    archive.store(first, "1" * 64, "2026-11-24T10:00:00+00:00")
    archive.store(second, "2" * 64, "2026-11-24T11:00:00+00:00")
    assert [archive.get(uri) for uri in archive.source_uris()] == [second]
    assert sorted(path.name for path in (tmp_path / "raw").rglob("*.gz")) == ["1" * 64 + ".gz", "2" * 64 + ".gz"]
    archive.close()
