"""Per-page cost of the copydesk paths (no Prefect) against bare trafilatura and a bare read-and-write loop."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import trafilatura

from bench.corpus import SEED_TEXT, html_pages, read_page, text_files
from bench.timing import Interleaved, figures, ratio
from flows.batch import clean_batch
from flows.sink import ParquetSink
from flows.sources.local import iter_local

Paths = list[Path]


def copydesk_path(out_root: Path) -> Callable[[Paths], None]:
    """Read, decode, clean and write one chunk, the way one flow batch does, into a fresh dataset."""

    def run(paths: Paths) -> None:
        batch = clean_batch(list(iter_local([str(path) for path in paths])))
        ParquetSink(out_root / uuid.uuid4().hex).write(batch.articles, batch.rejects)

    return run


def bare_extraction(paths: Paths) -> None:
    for path in paths:
        trafilatura.bare_extraction(read_page(path), with_metadata=True)


def bare_extraction_precision(paths: Paths) -> None:
    """The trafilatura setting copydesk's extract_body uses: tells configuration cost from copydesk's own stages."""
    for path in paths:
        trafilatura.bare_extraction(read_page(path), with_metadata=True, favor_precision=True)


def bare_extract(paths: Paths) -> None:
    for path in paths:
        trafilatura.extract(read_page(path))


def bare_read_write(out_root: Path) -> Callable[[Paths], None]:
    """The least any text ingester does: read each file, write its text as one Parquet file per chunk."""

    def run(paths: Paths) -> None:
        texts = [path.read_bytes().decode("utf-8") for path in paths]
        table = pa.table({"source_uri": [str(path) for path in paths], "text": texts})
        pq.write_table(table, out_root / f"{uuid.uuid4().hex}.parquet", compression="zstd")

    return run


def chunks_of(items: Paths, size: int, rounds: int) -> list[Paths]:
    return [items[start:start + size] for _ in range(rounds) for start in range(0, len(items), size)]


def html_bench(pages: int | None, chunk: int, rounds: int) -> dict[str, Any]:
    paths = html_pages(pages)
    with tempfile.TemporaryDirectory(prefix="copydesk-bench-") as tmp:
        sides = {
            "copydesk": copydesk_path(Path(tmp)),
            "bare_extraction": bare_extraction,
            "bare_extraction_precision": bare_extraction_precision,
            "extract": bare_extract,
        }
        Interleaved(sides).run([paths[:3]], len)  # warm-up: imports, rule packs, trafilatura's first-call caches
        times = Interleaved(sides).run(chunks_of(paths, chunk, rounds), len)
    return {
        "pages": len(paths),
        "rounds": rounds,
        "chunk": chunk,
        "sides": {name: asdict(figures(side)) for name, side in times.items()},
        "copydesk_vs_bare_extraction": ratio(times["copydesk"], times["bare_extraction"]),
        "copydesk_vs_bare_extraction_precision": ratio(times["copydesk"], times["bare_extraction_precision"]),
        "copydesk_vs_extract": ratio(times["copydesk"], times["extract"]),
    }


def text_bench(documents: int, chunk: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="copydesk-bench-") as tmp:
        paths = text_files(Path(tmp) / "in", documents)
        sides = {"copydesk": copydesk_path(Path(tmp) / "out"), "read_write": bare_read_write(Path(tmp))}
        Interleaved(sides).run([paths[:3]], len)
        times = Interleaved(sides).run(chunks_of(paths, chunk, 1), len)
    copydesk = figures(times["copydesk"])
    return {
        "documents": documents,
        "chunk": chunk,
        "document_bytes": SEED_TEXT.stat().st_size,
        "sides": {name: asdict(figures(side)) for name, side in times.items()},
        "copydesk_docs_per_s_per_worker": copydesk.docs_per_s,
        "copydesk_vs_read_write": ratio(times["copydesk"], times["read_write"]),
    }
