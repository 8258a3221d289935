"""The Parquet sink: a Hive-partitioned article dataset with upserts by doc_id, and a rejects dataset.

Layout: <root>/articles/site=<domain>/part-*.parquet and
<root>/rejects/date=<day>/part-*.parquet, in a local folder or an object store (flows.storage). Every file
appears by an atomic rename of a hidden temporary file (readers skip names starting with "."), or on an
object store by a server-side copy of one; a change that touches several files (an update rewrites
the file holding the old row, a compaction replaces small files) is written as a journal first and
replayed by the next writer if the process died half-way. Until then a reader may see a row twice,
never a partial file, and no row is ever lost. Every path is checked to stay inside the root.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

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
from flows.storage import Stamp, Store, open_store

_UNSAFE_PARTITION_CHARS = re.compile(r"[^a-z0-9._-]+")
# 128 bits: two of a trillion doc_ids share a key with odds below 1 in 10^14
_KEY = np.dtype("S16")


@dataclass
class WriteOutcome:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejects_written: int = 0


@dataclass
class _IndexedFile:
    """A file's rows as sorted 128-bit keys of their doc_id, each with its record digest's first 64 bits: 24 bytes
    a row where two Python strings took some 250, so the index of a long-followed dataset stays small."""

    stamp: Stamp
    keys: np.ndarray
    digests: np.ndarray

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each key: whether this file holds it, and the digest it has here."""
        if not len(self.keys):
            return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.uint64)
        at = np.searchsorted(self.keys, keys).clip(max=len(self.keys) - 1)
        return self.keys[at] == keys, self.digests[at]


@dataclass
class Change:
    """One journaled change: temporary files to rename into place, rows to drop, files to delete."""

    moves: list[tuple[PurePosixPath, PurePosixPath]] = field(default_factory=list)
    drops: dict[PurePosixPath, list[str]] = field(default_factory=dict)
    deletes: list[PurePosixPath] = field(default_factory=list)


class ParquetSink:
    """Writes batches under an inter-process lock, so concurrent runs never lose or duplicate a row."""

    def __init__(self, root: str | Path):
        self.store: Store = open_store(root)
        self.root = self.store.root
        self.articles_dir = self.root / "articles"
        self.rejects_dir = self.root / "rejects"
        self.journal_dir = self.root / "_journal"
        for folder in (self.articles_dir, self.rejects_dir, self.journal_dir):
            self.store.makedirs(folder)
        self.lock = self.store.lock(self.root / ".copydesk.lock")
        self._files: dict[PurePosixPath, _IndexedFile] = {}
        self._reject_files: dict[PurePosixPath, tuple[Stamp, set[str]]] = {}
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
            outcome.rejects_written = self._write_rejects(rejects, change)
            self.commit(change)
        return outcome

    def commit(self, change: Change) -> None:
        """Journal a staged change, then apply it; call with `lock` held."""
        if not (change.moves or change.drops or change.deletes):
            return
        self.store.sync([temp for temp, _ in change.moves])  # a replayed journal must find whole files
        journal = self.journal_dir / f"{uuid.uuid4().hex}.json"
        body = {
            "moves": [[self._relative(temp), self._relative(final)] for temp, final in change.moves],
            "drop": {self._relative(path): ids for path, ids in change.drops.items()},
            "delete": [self._relative(path) for path in change.deletes],
        }
        self.store.write_atomically(journal, json.dumps(body).encode())
        self._apply(journal, replay=False)

    def inside(self, path: PurePosixPath) -> PurePosixPath:
        """The path itself, if it stays inside the root once resolved; UnsafePathError otherwise."""
        return self.store.inside(path)

    def temp_path(self, final: PurePosixPath) -> PurePosixPath:
        """A hidden name beside `final` that readers skip and the next opening sweeps away."""
        return _temp_name(self.inside(final))

    def _classify(
        self, articles: list[Article], outcome: WriteOutcome
    ) -> tuple[list[tuple[Article, str]], dict[PurePosixPath, list[str]]]:
        """The articles to write, each with its record digest (computed once: it is most of a row's cost)."""
        where = self._where(np.array([_doc_key(article.doc_id) for article in articles], dtype=_KEY))
        fresh, stale = [], defaultdict(list)
        for number, article in enumerate(articles):
            known = where.get(number)
            digest = record_digest(article)
            if known is None:
                outcome.new.append(article.doc_id)
            elif known[1] == _digest_prefix(digest):
                outcome.unchanged.append(article.doc_id)
                continue
            else:
                outcome.updated.append(article.doc_id)
                stale[known[0]].append(article.doc_id)
            fresh.append((article, digest))
        return fresh, stale

    def _where(self, keys: np.ndarray) -> dict[int, tuple[PurePosixPath, int]]:
        """For each position in `keys` already in the dataset: the file that holds it and its digest there."""
        where = {}
        for path, indexed in self._files.items():
            held, digests = indexed.lookup(keys)
            where.update((int(number), (path, int(digests[number]))) for number in np.flatnonzero(held))
        return where

    def _stage(self, fresh: list[tuple[Article, str]], stale: dict[PurePosixPath, list[str]]) -> Change:
        """Write new files under temporary names; the journal written by `commit` makes them real."""
        change = Change(drops=dict(stale))
        for partition, rows in _by_partition(fresh).items():
            table = articles_table([article for article, _ in rows], [digest for _, digest in rows])
            self.stage_file(change, self.articles_dir / partition, table, ARTICLE_SCHEMA)
        return change

    def stage_file(self, change: Change, folder: PurePosixPath, table: pa.Table, schema: pa.Schema) -> PurePosixPath:
        """One new Parquet file in `folder`, under the temporary name returned until the change is committed."""
        final = self.inside(folder / f"part-{uuid.uuid4().hex}.parquet")
        temp = _temp_name(final)
        write_parquet(self.store, table, temp, schema)
        change.moves.append((temp, final))
        return temp

    def _apply(self, journal: PurePosixPath, *, replay: bool) -> None:
        """Idempotent: replaying a journal after a crash finishes exactly what it started."""
        body = json.loads(self.store.read_bytes(journal))
        moves = [(self.inside(PurePosixPath(temp)), self.inside(PurePosixPath(final))) for temp, final in body["moves"]]
        moves = [(temp, final) for temp, final in moves if self.store.exists(temp)]
        if replay:  # `commit` synced its own temporary files; a dead writer's are made durable before their renames
            self.store.sync([temp for temp, _ in moves])
        self.store.publish(moves)
        for path, doc_ids in body["drop"].items():
            target = self.inside(PurePosixPath(path))
            _drop_rows(self.store, target, set(doc_ids))
            # an object rewritten within the clock's resolution may keep its stamp: forget it
            self._files.pop(target, None)
        for path in body.get("delete", []):
            self.store.delete(self.inside(PurePosixPath(path)))
        self.store.delete(journal)

    def recover(self, *, sweep: bool = False) -> None:
        """Finish every journaled change a dead writer left; call with `lock` held. `sweep` also removes
        temporary files, which only a dead writer leaves, and costs a walk of the whole dataset."""
        for journal in sorted(self.store.files(self.journal_dir, "*.json")):
            self._apply(journal, replay=True)
        if sweep:  # only the sink's folders: _state and raw have temporary files of other writers
            for folder in (self.articles_dir, self.rejects_dir, self.journal_dir):
                for temp in self.store.files(folder, ".*.tmp"):
                    self.store.delete(temp)

    def _relative(self, path: PurePosixPath) -> str:
        """Journals name paths relative to the root, so a moved dataset still recovers."""
        return self.store.relative(path)

    def _refresh_index(self) -> None:
        present = self.store.files(self.articles_dir, "part-*.parquet")
        self._files = {path: indexed for path, indexed in self._files.items() if present.get(path) == indexed.stamp}
        for path, stamp in present.items():
            if path not in self._files:
                self._files[path] = _index_file(self.store, path, stamp)

    def _write_rejects(self, rejects: list[Reject], change: Change) -> int:
        """Staged into the batch's change, so one sync covers articles and rejects."""
        known = self._known_reject_ids()
        rejects = list({r.reject_id: r for r in rejects if r.reject_id not in known}.values())
        if not rejects:
            return 0
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        self.stage_file(change, self.rejects_dir / f"date={day}", rejects_table(rejects), REJECT_SCHEMA)
        return len(rejects)

    def _known_reject_ids(self) -> set[str]:
        """Each rejects file is read once per sink, then again only when its stamp changes (compaction)."""
        present = self.store.files(self.rejects_dir, "part-*.parquet")
        self._reject_files = {
            path: ids for path, ids in self._reject_files.items() if present.get(path) == ids[0]
        }
        for path, stamp in present.items():
            if path not in self._reject_files:
                column = read_table(self.store, path, columns=["reject_id"])["reject_id"].to_pylist()
                self._reject_files[path] = (stamp, set(column))
        return {reject_id for _, ids in self._reject_files.values() for reject_id in ids}


def partition_of(article: Article) -> str:
    return f"site={sanitize_partition_value(article.domain)}"


def sanitize_partition_value(value: str | None) -> str:
    """Partition values come from pages: no separators, no dot-only names, nothing outside [a-z0-9._-]."""
    cleaned = _UNSAFE_PARTITION_CHARS.sub("_", (value or "").lower()).strip("._")
    return cleaned[:100] or UNKNOWN_SITE


def _by_partition(rows: list[tuple[Article, str]]) -> dict[str, list[tuple[Article, str]]]:
    groups: dict[str, list[tuple[Article, str]]] = defaultdict(list)
    for article, digest in rows:
        groups[partition_of(article)].append((article, digest))
    return groups


def _last_per_doc(articles: list[Article]) -> list[Article]:
    return list({article.doc_id: article for article in articles}.values())


def _index_file(store: Store, path: PurePosixPath, stamp: Stamp) -> _IndexedFile:
    table = read_table(store, path, columns=["doc_id", "record_sha256"])
    keys = np.array([_doc_key(doc_id) for doc_id in table["doc_id"].to_pylist()], dtype=_KEY)
    digests = np.array([_digest_prefix(sha) for sha in table["record_sha256"].to_pylist()], dtype=np.uint64)
    order = np.argsort(keys)
    return _IndexedFile(stamp, keys[order], digests[order])


def _doc_key(doc_id: str) -> bytes:
    return hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _digest_prefix(record_sha256: str | None) -> int:
    return int(record_sha256[:16], 16) if record_sha256 else 0  # a foreign file's missing digest reads as changed


def _drop_rows(store: Store, path: PurePosixPath, doc_ids: set[str]) -> None:
    if not store.exists(path):
        return
    table = read_table(store, path, schema=ARTICLE_SCHEMA)
    keep = pc.invert(pc.is_in(table["doc_id"], value_set=pa.array(sorted(doc_ids), pa.string())))
    remaining = table.filter(keep)
    if remaining.num_rows == table.num_rows:
        return
    if remaining.num_rows == 0:
        store.delete(path)
        return
    temp = _temp_name(path)
    write_parquet(store, remaining, temp, ARTICLE_SCHEMA)
    store.sync([temp])
    store.publish([(temp, path)])


def read_table(store: Store, path: PurePosixPath, **options: object) -> pa.Table:
    return pq.read_table(store.location(path), filesystem=store.fs, **options)


def read_metadata(store: Store, path: PurePosixPath) -> pq.FileMetaData:
    return pq.read_metadata(store.location(path), filesystem=store.fs)


def write_parquet(store: Store, table: pa.Table, path: PurePosixPath, schema: pa.Schema) -> None:
    """Write one whole Parquet file with copydesk's version metadata (to a temporary path, renamed after)."""
    metadata = {
        b"copydesk.pipeline_version": PIPELINE_VERSION.encode(),
        b"copydesk.rules_version": RULES_VERSION.encode(),
    }
    table = table.replace_schema_metadata({**(schema.metadata or {}), **metadata})
    with store.open_output(path) as f:
        pq.write_table(table, f, compression="zstd")


def _temp_name(final: PurePosixPath) -> PurePosixPath:
    return final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
