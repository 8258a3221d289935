"""What is in a dataset: rows per site, rejects, and the documented schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from cleaners.record import COLUMNS, PARTITION_COLUMNS, UNKNOWN_SITE
from flows.storage import Store, open_store

ARTICLE_PARTITIONING = ds.partitioning(pa.schema([("site", pa.string())]), flavor="hive")
REJECT_PARTITIONING = ds.partitioning(pa.schema([("date", pa.string())]), flavor="hive")
_COLUMNS = ["domain", "word_count", "published_at"]
_LISTINGS = 5  # a writer replaces files for a moment only: a few fresh listings always find a stable one


@dataclass
class SiteRow:
    site: str
    articles: int
    words: int
    newest: str | None


@dataclass
class DatasetReport:
    sites: list[SiteRow]
    rejects: int
    schema: list[tuple[str, str, str]]


def describe(root: str | Path) -> DatasetReport:
    store = open_store(root)
    articles = _read_listed(store)
    grouped = articles.group_by("domain").aggregate(
        [("domain", "count", pc.CountOptions(mode="all")), ("word_count", "sum"), ("published_at", "max")]
    )
    sites = [
        SiteRow(row["domain"] or UNKNOWN_SITE, row["domain_count"], row["word_count_sum"] or 0,
                row["published_at_max"].isoformat() if row["published_at_max"] else None)
        for row in grouped.sort_by([("domain_count", "descending")]).to_pylist()
    ]
    schema = [(name, str(kind), meaning) for name, kind, meaning in COLUMNS]
    schema += [(name, "partition", meaning) for name, meaning in PARTITION_COLUMNS]
    return DatasetReport(sites=sites, rejects=_count_rejects(store), schema=schema)


def _read_listed(store: Store) -> pa.Table:
    """The columns inspect needs; a file that a writer replaced after the listing (compact, an updated article)
    means the listing is stale, so the files are listed again. Object stores report the missing key as a plain
    OSError, hence the wide catch; a lasting error still comes out of the last attempt."""
    for _ in range(_LISTINGS - 1):
        try:
            return open_articles(store).to_table(columns=_COLUMNS)
        except OSError:
            continue
    return open_articles(store).to_table(columns=_COLUMNS)


def open_articles(store: Store) -> ds.Dataset:
    return ds.dataset(store.location(store.root / "articles"), format="parquet", partitioning=ARTICLE_PARTITIONING,
                      filesystem=store.fs)


def open_rejects(store: Store) -> ds.Dataset:
    return ds.dataset(store.location(store.root / "rejects"), format="parquet", partitioning=REJECT_PARTITIONING,
                      filesystem=store.fs)


def _count_rejects(store: Store) -> int:
    return open_rejects(store).count_rows() if store.files(store.root / "rejects", "*.parquet") else 0


