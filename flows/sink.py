"""The Parquet sink: a Hive-partitioned article dataset with upserts by doc_id, and a rejects dataset.

Layout: <root>/articles/site=<domain>/part-*.parquet and
<root>/rejects/date=<day>/part-*.parquet. Every file appears by an atomic rename of a hidden temporary
file (readers skip names starting with "."); a change that touches several files (an update rewrites
the file holding the old row, a compaction replaces small files) is written as a journal first and
replayed by the next writer if the process died half-way. Until then a reader may see a row twice,
never a partial file, and no row is ever lost. Every path is checked to stay inside the root.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from filelock import FileLock

from cleaners.record import (
    ARTICLE_SCHEMA,
    PIPELINE_VERSION,
    REJECT_SCHEMA,
    UNKNOWN_SITE,
    Article,
    Reject,
    articles_table,
    record_digest,
    rejects_table,
)
from cleaners.rules import RULES_VERSION
from flows.files import fsync_dir, write_atomically

_UNSAFE_PARTITION_CHARS = re.compile(r"[^a-z0-9._-]+")


@dataclass
class WriteOutcome:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejects_written: int = 0


@dataclass
class _IndexedFile:
    stamp: tuple[int, int, int]
    hashes: dict[str, str]


@dataclass
class Change:
    """One journaled change: temporary files to rename into place, rows to drop, files to delete."""

    moves: list[tuple[Path, Path]] = field(default_factory=list)
    drops: dict[Path, list[str]] = field(default_factory=dict)
    deletes: list[Path] = field(default_factory=list)


class UnsafePathError(ValueError):
    """A path that would land outside the dataset root; nothing is written."""


class ParquetSink:
    """Writes batches under an inter-process lock, so concurrent runs never lose or duplicate a row."""

    def __init__(self, root: str | Path):
        self.root = Path(root).absolute()
        self.articles_dir = self.root / "articles"
        self.rejects_dir = self.root / "rejects"
        self.journal_dir = self.root / "_journal"
        for folder in (self.articles_dir, self.rejects_dir, self.journal_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.lock = FileLock(self.root / ".copydesk.lock")
        self._files: dict[Path, _IndexedFile] = {}
        self._reject_files: dict[Path, tuple[tuple[int, int, int], set[str]]] = {}
        with self.lock:
            self.recover(sweep=True)

    def write(self, articles: list[Article], rejects: list[Reject]) -> WriteOutcome:
        outcome = WriteOutcome()
        with self.lock:
            # another process may have died half-way since this sink was opened
            self.recover()
            self._refresh_index()
            fresh, stale = self._classify(_last_per_doc(articles), outcome)
            change = self._stage(fresh, stale)
            outcome.rejects_written = self._write_rejects(rejects)
            self.commit(change)
        return outcome

    def commit(self, change: Change) -> None:
        """Journal a staged change, then apply it; call with `lock` held."""
        if not (change.moves or change.drops or change.deletes):
            return
        journal = self.journal_dir / f"{uuid.uuid4().hex}.json"
        body = {
            "moves": [[self._relative(temp), self._relative(final)] for temp, final in change.moves],
            "drop": {self._relative(path): ids for path, ids in change.drops.items()},
            "delete": [self._relative(path) for path in change.deletes],
        }
        write_atomically(journal, json.dumps(body).encode())
        self._apply(journal)

    def inside(self, path: Path) -> Path:
        """The path itself, if it stays inside the root once resolved; UnsafePathError otherwise."""
        resolved = (self.root / path).resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            raise UnsafePathError(f"refusing to touch {path}: it is outside the dataset root {self.root}")
        return resolved

    def temp_path(self, final: Path) -> Path:
        """A hidden name beside `final` that readers skip and the next opening sweeps away."""
        return _temp_name(self.inside(final))

    def _classify(self, articles: list[Article], outcome: WriteOutcome) -> tuple[list[Article], dict[Path, list[str]]]:
        where = {doc_id: (path, sha) for path, indexed in self._files.items() for doc_id, sha in indexed.hashes.items()}
        fresh, stale = [], defaultdict(list)
        for article in articles:
            known = where.get(article.doc_id)
            if known is None:
                outcome.new.append(article.doc_id)
            elif known[1] == record_digest(article):
                outcome.unchanged.append(article.doc_id)
                continue
            else:
                outcome.updated.append(article.doc_id)
                stale[known[0]].append(article.doc_id)
            fresh.append(article)
        return fresh, stale

    def _stage(self, fresh: list[Article], stale: dict[Path, list[str]]) -> Change:
        """Write new files under temporary names; the journal written by `commit` makes them real."""
        change = Change(drops=dict(stale))
        for partition, rows in _by_partition(fresh).items():
            final = self.inside(self.articles_dir / partition / f"part-{uuid.uuid4().hex}.parquet")
            temp = _temp_name(final)
            write_parquet(articles_table(rows), temp, ARTICLE_SCHEMA)
            change.moves.append((temp, final))
        return change

    def _apply(self, journal: Path) -> None:
        """Idempotent: replaying a journal after a crash finishes exactly what it started."""
        body = json.loads(journal.read_bytes())
        for temp, final in body["moves"]:
            temp_path, final_path = self.inside(Path(temp)), self.inside(Path(final))
            if temp_path.exists():
                os.replace(temp_path, final_path)
                fsync_dir(final_path.parent)
        for path, doc_ids in body["drop"].items():
            _drop_rows(self.inside(Path(path)), set(doc_ids))
        for path in body.get("delete", []):
            self.inside(Path(path)).unlink(missing_ok=True)
        journal.unlink()
        fsync_dir(self.journal_dir)

    def recover(self, *, sweep: bool = False) -> None:
        """Finish every journaled change a dead writer left; call with `lock` held. `sweep` also removes
        temporary files, which only a dead writer leaves, and costs a walk of the whole dataset."""
        for journal in sorted(self.journal_dir.glob("*.json")):
            self._apply(journal)
        if sweep:  # only the sink's folders: _state and raw have temporary files of other writers
            for folder in (self.articles_dir, self.rejects_dir, self.journal_dir):
                for temp in folder.rglob(".*.tmp"):
                    temp.unlink(missing_ok=True)

    def _relative(self, path: Path) -> str:
        """Journals name paths relative to the root, so a moved dataset still recovers."""
        return str(self.inside(path).relative_to(self.root.resolve()))

    def _refresh_index(self) -> None:
        present = {path: _stamp(path) for path in self.articles_dir.rglob("part-*.parquet")}
        self._files = {path: indexed for path, indexed in self._files.items() if present.get(path) == indexed.stamp}
        for path, stamp in present.items():
            if path not in self._files:
                self._files[path] = _IndexedFile(stamp, _read_hashes(path))

    def _write_rejects(self, rejects: list[Reject]) -> int:
        known = self._known_reject_ids()
        rejects = list({r.reject_id: r for r in rejects if r.reject_id not in known}.values())
        if not rejects:
            return 0
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        final = self.inside(self.rejects_dir / f"date={day}" / f"part-{uuid.uuid4().hex}.parquet")
        temp = _temp_name(final)
        write_parquet(rejects_table(rejects), temp, REJECT_SCHEMA)
        os.replace(temp, final)
        fsync_dir(final.parent)
        return len(rejects)

    def _known_reject_ids(self) -> set[str]:
        """Each rejects file is read once per sink, then again only when its stamp changes (compaction)."""
        present = {path: _stamp(path) for path in self.rejects_dir.rglob("part-*.parquet")}
        self._reject_files = {
            path: ids for path, ids in self._reject_files.items() if present.get(path) == ids[0]
        }
        for path, stamp in present.items():
            if path not in self._reject_files:
                column = pq.read_table(path, columns=["reject_id"])["reject_id"].to_pylist()
                self._reject_files[path] = (stamp, set(column))
        return {reject_id for _, ids in self._reject_files.values() for reject_id in ids}


def partition_of(article: Article) -> str:
    return f"site={sanitize_partition_value(article.domain)}"


def sanitize_partition_value(value: str | None) -> str:
    """Partition values come from pages: no separators, no dot-only names, nothing outside [a-z0-9._-]."""
    cleaned = _UNSAFE_PARTITION_CHARS.sub("_", (value or "").lower()).strip("._")
    return cleaned[:100] or UNKNOWN_SITE


def _by_partition(articles: list[Article]) -> dict[str, list[Article]]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[partition_of(article)].append(article)
    return groups


def _last_per_doc(articles: list[Article]) -> list[Article]:
    return list({article.doc_id: article for article in articles}.values())


def _read_hashes(path: Path) -> dict[str, str]:
    table = pq.read_table(path, columns=["doc_id", "record_sha256"])
    return dict(zip(table["doc_id"].to_pylist(), table["record_sha256"].to_pylist(), strict=True))


def _drop_rows(path: Path, doc_ids: set[str]) -> None:
    if not path.exists():
        return
    table = pq.read_table(path, schema=ARTICLE_SCHEMA)
    keep = pc.invert(pc.is_in(table["doc_id"], value_set=pa.array(sorted(doc_ids), pa.string())))
    remaining = table.filter(keep)
    if remaining.num_rows == table.num_rows:
        return
    if remaining.num_rows == 0:
        path.unlink()
        return
    temp = _temp_name(path)
    write_parquet(remaining, temp, ARTICLE_SCHEMA)
    os.replace(temp, path)
    fsync_dir(path.parent)


def write_parquet(table: pa.Table, path: Path, schema: pa.Schema) -> None:
    """Write and fsync one Parquet file with copydesk's version metadata (to a temporary path, renamed after)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {
        b"copydesk.pipeline_version": PIPELINE_VERSION.encode(),
        b"copydesk.rules_version": RULES_VERSION.encode(),
    }
    table = table.replace_schema_metadata({**(schema.metadata or {}), **metadata})
    with open(path, "wb") as f:
        pq.write_table(table, f, compression="zstd")
        f.flush()
        os.fsync(f.fileno())


def _temp_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")


def _stamp(path: Path) -> tuple[int, int, int]:
    """A rewritten file gets a new inode (atomic rename), so equal stamps mean equal contents."""
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size
