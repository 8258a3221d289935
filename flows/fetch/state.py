"""Per-URL memory between runs: validators for conditional requests, content hash, last outcome."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.fetch.db import SharedSqlite
from flows.fetch.http import Validators
from flows.fetch.links import Link

SCHEMA = """
CREATE TABLE IF NOT EXISTS url_state (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT,
    fetched_at TEXT NOT NULL,
    status INTEGER,
    error_class TEXT
);
CREATE TABLE IF NOT EXISTS robots (
    host TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body BLOB NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS listed_link (
    source_url TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    hints TEXT NOT NULL,
    PRIMARY KEY (source_url, url)
);
"""

# failures worth another try on the next run even when the feed listing them did not change
RETRY_WHEN = """s.url IS NULL OR (s.sha256 IS NULL AND (
    s.error_class IN ('connection_error', 'timeout', 'robots_unavailable', 'dns_error')
    OR (s.error_class = 'http_error' AND (s.status = 429 OR s.status >= 500))))"""


@dataclass(frozen=True)
class UrlState:
    url: str
    etag: str | None
    last_modified: str | None
    sha256: str | None
    fetched_at: datetime
    status: int | None
    error_class: str | None

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


class FetchState:
    """One SQLite file beside the dataset; safe to share between threads and between processes."""

    def __init__(self, path: Path):
        self.db = SharedSqlite(path, SCHEMA)

    def close(self) -> None:
        self.db.close()

    def get(self, url: str) -> UrlState | None:
        rows = self.db.read("SELECT * FROM url_state WHERE url = ?", (url,))
        if not rows:
            return None
        url, etag, last_modified, sha256, fetched_at, status, error_class = rows[0]
        return UrlState(url, etag, last_modified, sha256, datetime.fromisoformat(fetched_at), status, error_class)

    def record_success(self, url: str, validators: Validators, sha256: str | None, status: int) -> None:
        """A 304 keeps the stored hash (sha256=None); a 200 replaces validators and hash."""
        with self.db.write() as conn:
            conn.execute(
                """INSERT INTO url_state VALUES (?, ?, ?, ?, ?, ?, NULL)
                ON CONFLICT(url) DO UPDATE SET
                    etag = COALESCE(excluded.etag, CASE WHEN excluded.status = 304 THEN etag END),
                    last_modified = COALESCE(excluded.last_modified,
                        CASE WHEN excluded.status = 304 THEN last_modified END),
                    sha256 = COALESCE(excluded.sha256, sha256),
                    fetched_at = excluded.fetched_at, status = excluded.status, error_class = NULL""",
                (url, validators.etag, validators.last_modified, sha256, now_iso(), status),
            )

    def record_failure(self, url: str, error_class: str, status: int | None) -> None:
        """Validators and hash stay: the page we had is still the last good one."""
        with self.db.write() as conn:
            conn.execute(
                """INSERT INTO url_state (url, fetched_at, status, error_class) VALUES (?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET
                    fetched_at = excluded.fetched_at, status = excluded.status,
                    error_class = excluded.error_class""",
                (url, now_iso(), status, error_class),
            )

    def cached_robots(self, host: str, max_age: timedelta) -> tuple[int, bytes] | None:
        """A robots.txt answer (status and body) fetched less than `max_age` ago."""
        since = (datetime.now(UTC) - max_age).isoformat()
        rows = self.db.read("SELECT status, body FROM robots WHERE host = ? AND fetched_at > ?", (host, since))
        return (rows[0][0], rows[0][1]) if rows else None

    def save_robots(self, host: str, status: int, body: bytes) -> None:
        with self.db.write() as conn:
            conn.execute("INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?)", (host, status, body, now_iso()))

    def remember_links(self, source_url: str, pages: list[Link], sitemaps: list[str]) -> None:
        """What a feed or sitemap listed, so a 304 on it can still revisit what lies below it."""
        rows = [(source_url, link.url, "page", json.dumps(link.hints)) for link in pages]
        rows += [(source_url, url, "sitemap", "{}") for url in sitemaps]
        with self.db.write() as conn:
            conn.execute("DELETE FROM listed_link WHERE source_url = ?", (source_url,))
            conn.executemany("INSERT OR REPLACE INTO listed_link VALUES (?, ?, ?, ?)", rows)

    def pages_to_retry(self, source_url: str) -> list[Link]:
        """Listed pages never fetched, or whose last try failed for a passing reason."""
        rows = self.db.read(
            f"""SELECT l.url, l.hints FROM listed_link l LEFT JOIN url_state s ON s.url = l.url
            WHERE l.source_url = ? AND l.kind = 'page' AND ({RETRY_WHEN})""",
            (source_url,),
        )
        return [Link(url, json.loads(hints)) for url, hints in rows]

    def child_sitemaps(self, source_url: str) -> list[str]:
        """A sitemap index can stay the same while its children change: they are asked again."""
        rows = self.db.read("SELECT url FROM listed_link WHERE source_url = ? AND kind = 'sitemap'", (source_url,))
        return [url for (url,) in rows]


def now_iso() -> str:
    return datetime.now(UTC).isoformat()
