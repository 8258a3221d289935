"""The raw bytes as fetched, gzip-compressed beside the dataset, so re-cleaning needs no network."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from flows.fetch.db import SharedSqlite
from flows.fetch.politeness import host_key
from flows.files import write_atomically
from flows.sources.base import RawInput

SCHEMA = """
CREATE TABLE IF NOT EXISTS archived (
    source_uri TEXT PRIMARY KEY,
    url TEXT,
    sha256 TEXT NOT NULL,
    blob TEXT NOT NULL,
    content_type TEXT,
    format TEXT,
    hints TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    written_sha256 TEXT
);
"""


class RawArchive:
    """`<root>/raw/<host_port>/<sha256>.gz`, indexed by source URI in `<root>/raw/index.sqlite`."""

    def __init__(self, root: Path):
        self.dir = Path(root) / "raw"
        self.index = SharedSqlite(self.dir / "index.sqlite", SCHEMA)

    def close(self) -> None:
        self.index.close()

    def store(self, raw: RawInput, sha256: str, fetched_at: str) -> Path:
        """The URL's latest body wins in the index; older blobs stay on disk for the record."""
        blob = self.dir / host_key(raw.url or raw.source_uri).replace(":", "_") / f"{sha256}.gz"
        if not blob.exists():
            write_atomically(blob, gzip.compress(raw.data, compresslevel=6, mtime=0))
        with self.index.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO archived (source_uri, url, sha256, blob, content_type, format, hints, "
                "fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    raw.source_uri,
                    raw.url,
                    sha256,
                    str(blob.relative_to(self.dir)),
                    raw.content_type,
                    raw.format,
                    json.dumps(raw.hints),
                    fetched_at,
                ),
            )
        return blob

    def get(self, source_uri: str) -> RawInput | None:
        """The latest body kept for one requested URL, as the fetcher yielded it."""
        rows = self.index.read(
            "SELECT source_uri, url, blob, content_type, format, hints FROM archived WHERE source_uri = ?",
            (source_uri,),
        )
        return self._raw(*rows[0]) if rows else None

    def mark_written(self, written: list[tuple[str, str]]) -> None:
        """(source_uri, sha256) pairs the sink has stored, as an article or a reject; a newer body stays unwritten."""
        with self.index.write() as conn:
            conn.executemany("UPDATE archived SET written_sha256 = sha256 WHERE source_uri = ? AND sha256 = ?", written)

    def unwritten_uris(self) -> list[str]:
        """Bodies fetched but not yet stored: the fetch state calls them unchanged, so only this finds them."""
        rows = self.index.read("SELECT source_uri FROM archived WHERE written_sha256 IS NOT sha256 ORDER BY rowid")
        return [uri for (uri,) in rows]

    def source_uris(self) -> list[str]:
        """Oldest first."""
        return [uri for (uri,) in self.index.read("SELECT source_uri FROM archived ORDER BY rowid")]

    def _raw(self, source_uri: str, url: str, blob: str, content_type: str, fmt: str, hints: str) -> RawInput:
        data = gzip.decompress((self.dir / blob).read_bytes())
        return RawInput(source_uri, data, fmt, url, content_type, json.loads(hints))
