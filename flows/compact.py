"""Merge the many small Parquet files that batches leave in a partition into files of a target size.

Each merge is one journaled change under the sink's lock: the merged file is written under a hidden
temporary name, then a journal names the rename and the deletions, then both happen. A process killed
at any point leaves every row readable; the next writer, or the next `compact`, finishes the change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pyarrow as pa

from cleaners.record import ARTICLE_SCHEMA, REJECT_SCHEMA
from flows.sink import Change, ParquetSink, read_metadata, read_table

DEFAULT_TARGET_BYTES = 128 * 1024 * 1024


@dataclass
class PartitionCompaction:
    partition: str
    files_before: int
    files_after: int
    rows: int


@dataclass
class CompactOutcome:
    partitions: list[PartitionCompaction] = field(default_factory=list)

    @property
    def files_removed(self) -> int:
        return sum(p.files_before - p.files_after for p in self.partitions)


class CompactError(RuntimeError):
    """A merge would not hold exactly the rows of its inputs; nothing was changed."""


def compact(root: str | Path, *, target_bytes: int = DEFAULT_TARGET_BYTES) -> CompactOutcome:
    """Merge small files of every article and reject partition under `root`; safe beside running writers."""
    sink = ParquetSink(root)
    outcome = CompactOutcome()
    for dataset, schema in ((sink.articles_dir, ARTICLE_SCHEMA), (sink.rejects_dir, REJECT_SCHEMA)):
        for folder in _partitions(sink, dataset):
            with sink.lock:
                # files may have changed since the listing: merge what is there now
                merged = _compact_partition(sink, folder, schema, target_bytes)
            if merged:
                outcome.partitions.append(merged)
    return outcome


def plan_groups(sizes: dict[PurePosixPath, int], target_bytes: int) -> list[list[PurePosixPath]]:
    """Small files in name order, packed into groups of about target_bytes; a group of one is left alone."""
    groups: list[list[PurePosixPath]] = []
    current: list[PurePosixPath] = []
    total = 0
    for path in sorted(p for p, size in sizes.items() if size < target_bytes):
        if current and total + sizes[path] > target_bytes:
            groups.append(current)
            current, total = [], 0
        current.append(path)
        total += sizes[path]
    groups.append(current)
    return [group for group in groups if len(group) > 1]


def _partitions(sink: ParquetSink, dataset: PurePosixPath) -> list[PurePosixPath]:
    folders: dict[PurePosixPath, int] = defaultdict(int)
    for path in sink.store.files(dataset, "part-*.parquet"):
        folders[path.parent] += 1
    return sorted(folder for folder, count in folders.items() if count > 1)


def _compact_partition(
    sink: ParquetSink, folder: PurePosixPath, schema: pa.Schema, target_bytes: int
) -> PartitionCompaction | None:
    sink.recover()
    files = {path: stamp.size for path, stamp in sink.store.files(folder, "part-*.parquet").items()}
    groups = plan_groups(files, target_bytes)
    if not groups:
        return None
    rows = 0
    for group in groups:
        rows += _merge(sink, group, folder, schema)
    files_after = len(files) - sum(len(group) - 1 for group in groups)
    return PartitionCompaction(str(folder.relative_to(sink.root)), len(files), files_after, rows)


def _merge(sink: ParquetSink, group: list[PurePosixPath], folder: PurePosixPath, schema: pa.Schema) -> int:
    tables = [read_table(sink.store, path, schema=schema) for path in group]
    merged = pa.concat_tables(tables)
    expected = sum(table.num_rows for table in tables)
    change = Change(deletes=list(group))
    temp = sink.stage_file(change, folder, merged, schema)
    written = read_metadata(sink.store, temp).num_rows
    if written != expected:
        sink.store.delete(temp)
        raise CompactError(f"merging {len(group)} files in {folder} wrote {written} rows, not {expected}; "
                           "nothing was changed: check the disk and run compact again")
    sink.commit(change)
    return expected
