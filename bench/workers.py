"""Speed-up of `--workers 2`: the flow's task body on as many threads as workers, without the Prefect API."""

from __future__ import annotations

import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.corpus import html_pages
from bench.timing import wall
from flows.ingest import batched, process_batch
from flows.sources.local import iter_local


def run_threads(targets: list[str], out: Path, workers: int, batch_size: int) -> None:
    """What `ingest` does: one task thread per worker, each cleaning in its own guard process, then writing."""
    with ThreadPoolExecutor(max_workers=workers) as threads:
        batches = enumerate(batched(iter_local(targets), batch_size), start=1)
        futures = [threads.submit(process_batch.fn, batch, str(out), number) for number, batch in batches]
        for future in futures:
            future.result()


def workers_bench(copies: int, batch_size: int, repeats: int) -> dict[str, Any]:
    """The dev pages `copies` times over; 1 and 2 workers alternate (1, 2, 2, 1, ...).

    Steady state: a warm-up starts both guard processes first, since their start-up is in the CLI figures."""
    targets = [str(path) for path in html_pages()] * copies
    times: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory(prefix="copydesk-bench-") as tmp:
        run_threads(targets[:4], Path(tmp) / "warm-up", workers=2, batch_size=2)
        for number in range(repeats):
            for workers in (1, 2) if number % 2 == 0 else (2, 1):
                out = Path(tmp) / uuid.uuid4().hex
                times[workers].append(wall(lambda w=workers, o=out: run_threads(targets, o, w, batch_size)))
    one, two = (sum(times[w]) / len(times[w]) for w in (1, 2))
    return {
        "documents": len(targets),
        "batch_size": batch_size,
        "one_worker_s": [round(t, 2) for t in times[1]],
        "two_workers_s": [round(t, 2) for t in times[2]],
        "speedup": round(one / two, 3),
    }
