"""Where a page's time goes: each cleaning stage timed in place, plus the hottest functions under cProfile."""

from __future__ import annotations

import cProfile
import pstats
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import cleaners.pipeline
import flows.batch
from bench.timing import Interleaved
from flows.batch import CleanedBatch, clean_batch, clean_input
from flows.sink import ParquetSink
from flows.sources.base import InputError, RawInput
from flows.sources.local import iter_local

# The stages clean_document composes, by the names it calls them; a name the cleaners drop is skipped.
STAGES: list[tuple[ModuleType, str]] = [
    (flows.batch, "decode_bytes"),
    (cleaners.pipeline, "parse_html"),
    (cleaners.pipeline, "close_open_headings"),
    (cleaners.pipeline, "extract_metadata"),
    (cleaners.pipeline, "prune_chrome"),
    (cleaners.pipeline, "extract_body"),
    (cleaners.pipeline, "split_paragraphs"),
    (cleaners.pipeline, "clean_paragraphs"),
    (cleaners.pipeline, "detect_language"),
]


@contextmanager
def stage_timers(stages: list[tuple[ModuleType, str]]) -> Iterator[Counter[str]]:
    spent: Counter[str] = Counter()
    originals = [(module, name, getattr(module, name)) for module, name in stages if hasattr(module, name)]
    for module, name, original in originals:
        setattr(module, name, _timed(original, name, spent))
    try:
        yield spent
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def _timed(function: Callable[..., Any], name: str, spent: Counter[str]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start

    return timed


def stage_breakdown(targets: list[str], chunk: int = 23) -> dict[str, Any]:
    """ms per document: reading, each cleaning stage, what clean_batch adds over cleaning in-process, writing.

    In-process cleaning and clean_batch alternate chunk by chunk, so their difference is not machine noise."""
    start = time.perf_counter()
    items = list(iter_local(targets))
    read = time.perf_counter() - start
    raws = [item for item in items if isinstance(item, RawInput)]
    batches: list[CleanedBatch] = []
    sides = {"in_process": lambda part: [clean_input(raw) for raw in part], "clean_batch": _keeping(batches)}
    Interleaved(sides).run([raws[:2]], len)  # warm-up: first-call loading, and any worker process clean_batch keeps
    batches.clear()
    with stage_timers(STAGES) as spent:  # clean_batch's own process is not patched: only in_process is timed
        times = Interleaved(sides).run([raws[i:i + chunk] for i in range(0, len(raws), chunk)], len)
    in_process, whole_batch = (sum(seconds for _, seconds in times[name]) for name in sides)
    with tempfile.TemporaryDirectory(prefix="copydesk-bench-") as tmp:
        start = time.perf_counter()
        ParquetSink(tmp).write([a for b in batches for a in b.articles], [r for b in batches for r in b.rejects])
        write = time.perf_counter() - start
    seconds = {
        "read": read,
        **spent,
        "other_cleaning": in_process - sum(spent.values()),
        "clean_batch_overhead": whole_batch - in_process,  # guard process, pickling, per-article checks
        "parquet_write": write,
    }
    count = len(items)
    return {
        "documents": count,
        "rejected": sum(len(batch.rejects) for batch in batches) + count - len(raws),
        "ms_per_doc": {name: round(1000 * value / count, 2) for name, value in seconds.items()},
        "share": {name: round(value / sum(seconds.values()), 3) for name, value in seconds.items()},
    }


def _keeping(batches: list[CleanedBatch]) -> Callable[[list[RawInput]], None]:
    def run(part: list[RawInput]) -> None:
        batches.append(clean_batch(list(part)))

    return run


def hottest(items: list[RawInput | InputError], top: int = 15) -> list[dict[str, Any]]:
    """Functions by own time under cProfile while cleaning in this process; compare shares, not absolute times."""
    raws = [item for item in items if isinstance(item, RawInput)]
    clean_input(raws[0])
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [clean_input(raw) for raw in raws])
    rows = sorted(pstats.Stats(profiler).stats.items(), key=lambda row: row[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    return [
        {
            "function": f"{Path(file).name}:{line}({name})",
            "own_ms_per_doc": round(1000 * own / len(raws), 3),
            "cumulative_ms_per_doc": round(1000 * cumulative / len(raws), 3),
        }
        for (file, line, name), (_, _, own, cumulative, _) in rows
    ]
