"""The Prefect `ingest` flow: stream inputs in batches, clean and write each batch in one task."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

from filelock import Timeout
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.settings import PREFECT_API_URL
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.batch import Sites, clean_batch
from flows.boilerplate_store import BoilerplateStore
from flows.drift import append_history, find_drift, read_history, site_measures
from flows.fetch import Unchanged
from flows.inputs import InputSpec, iter_inputs, mark_written, split_targets
from flows.inputs import Item as InputItem
from flows.progress import report_progress
from flows.sink import ParquetSink, sanitize_partition_value
from flows.sources.base import Item
from flows.sources.local import DEFAULT_MAX_BYTES
from flows.storage import open_store
from flows.summary import RunSummary, site_of_url
from flows.working_copy import local_state, working_copy

DEFAULT_BATCH_SIZE = 200

_sinks: dict[str, ParquetSink] = {}
_sinks_lock = threading.Lock()


@flow(name="ingest", log_prints=True)
def ingest(
    inputs: list[str] | None = None,
    out: str = "output",
    feeds: list[str] | None = None,
    sitemaps: list[str] | None = None,
    url_files: list[str] | None = None,
    since: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private_addresses: bool = False,
    user_agent: str | None = None,
    contact: str | None = None,
    source: str | None = None,
    sites: dict[str, dict[str, list[str]]] | None = None,
    dask_address: str | None = None,
    dask_local_workers: int = 0,
    from_archive: bool = False,
) -> RunSummary:
    """Local paths and http(s) URLs in `inputs`; feeds, sitemaps and URL-list files are fetched politely.

    A named `source` (a scheduled run) never overlaps its previous run and is checked for drift.
    `sites` are per-site overrides: {domain: {"xpaths": [...], "phrases": [...]}}.
    `dask_address` (or `dask_local_workers` for a local cluster) runs the batches on Dask workers.
    `from_archive` re-cleans every page kept in `<out>/raw` without fetching it again.
    `out` is a folder or a URI (s3://bucket/prefix); for a URI the state is worked on in a local copy."""
    paths, urls = split_targets(inputs or [])
    spec = InputSpec(paths=paths, urls=urls, feeds=feeds or [], sitemaps=sitemaps or [], url_files=url_files or [],
                     since=since, max_bytes=max_bytes, allow_private_addresses=allow_private_addresses,
                     user_agent=user_agent, contact=contact, from_archive=from_archive)
    runner = batch_runner(workers, dask_address, dask_local_workers)
    # the source lock first: an overlapping run is skipped at once, not after waiting for the working copy
    with source_lock(out, source) as acquired:
        if not acquired:
            get_run_logger().warning("source %r is still running from an earlier run: this run is skipped", source)
            return RunSummary(skipped=True)
        with state_folder(spec, out, source) as state_dir:
            summary = run_batches(spec, out, state_dir, batch_size, runner, sites)
            if source is not None:
                summary.drift = check_drift(state_dir, source, summary)
    create_markdown_artifact(summary.as_markdown(), key=_artifact_key(source), description="copydesk ingest summary")
    return summary


@dataclass
class BatchRunner:
    task_runner: TaskRunner
    in_flight: int


def batch_runner(workers: int, dask_address: str | None, dask_local_workers: int) -> BatchRunner:
    """Task threads, each cleaning in its own guard process (plain Python, no Prefect, so no extra API
    server), or Dask workers that clean and write their batches themselves."""
    if not (dask_address or dask_local_workers):
        return BatchRunner(ThreadPoolTaskRunner(max_workers=workers), in_flight=workers)
    if not PREFECT_API_URL.value():
        raise RuntimeError("Dask workers need a running Prefect server, or each would start its own: run "
                           "`prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api")
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return BatchRunner(DaskTaskRunner(address=dask_address), in_flight=2 * max(workers, 2))
    cluster = {"n_workers": dask_local_workers, "processes": True, "threads_per_worker": 1}
    return BatchRunner(DaskTaskRunner(cluster_kwargs=cluster), in_flight=2 * dask_local_workers)


def run_batches(
    spec: InputSpec, out: str, state_dir: Path, batch_size: int, runner: BatchRunner, sites: Sites | None
) -> RunSummary:
    summary = RunSummary()
    with runner.task_runner as task_runner:
        pending: list[PrefectFuture] = []
        items = _counting_unchanged(iter_inputs(spec, state_dir), summary)
        for number, batch in enumerate(batched(items, batch_size), start=1):
            parameters = {"items": batch, "out": out, "number": number, "sites": sites}
            pending.append(task_runner.submit(process_batch, parameters=parameters))
            if len(pending) > runner.in_flight:
                _collect(pending.pop(0), summary)
        for future in pending:
            _collect(future, summary)
    return summary


def state_folder(spec: InputSpec, out: str, source: str | None) -> AbstractContextManager[Path]:
    """The folder of the fetch state, raw archive and drift history. Only a run that fetches, reads the archive or
    runs a named source uses them: for an object store, any other run skips downloading them."""
    if spec.fetches or spec.from_archive or source is not None:
        return working_copy(out)
    return nullcontext(local_state(out))


@contextmanager
def source_lock(out: str, source: str | None) -> Iterator[bool]:
    """Held for a whole run of a named source, by processes sharing the dataset folder (for an object store, on
    this machine: the lock is in its cache); a run with no source takes none."""
    if source is None:
        yield True
        return
    store = open_store(out)
    lock = store.lock(store.root / "_state" / "locks" / f"{sanitize_partition_value(source)}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def check_drift(out: Path, source: str, summary: RunSummary) -> list[str]:
    history_path = out / "_state" / "history" / f"{sanitize_partition_value(source)}.jsonl"
    current = site_measures(summary)
    drifts = [drift.describe() for drift in find_drift(read_history(history_path), current)]
    for drift in drifts:
        get_run_logger().warning("drift in source %r: %s", source, drift)
    append_history(history_path, current)
    return drifts


def _artifact_key(source: str | None) -> str:
    """Artifact keys allow lowercase letters, digits and dashes only."""
    name = re.sub(r"[^a-z0-9-]+", "-", (source or "").lower()).strip("-")
    return f"ingest-summary-{name}" if name else "ingest-summary"


@task(cache_policy=NO_CACHE, task_run_name="batch-{number}")
def process_batch(items: list[Item], out: str, number: int, sites: Sites | None = None) -> RunSummary:
    cleaned = clean_batch(items, sites=sites)
    articles = BoilerplateStore(out).learn_and_strip(cleaned.articles)
    outcome = sink_for(out).write(articles, cleaned.rejects)
    mark_written(local_state(out), items)
    return RunSummary.of_batch(len(items), articles, cleaned.rejects, outcome)


def sink_for(out: str) -> ParquetSink:
    """One sink per dataset and process, so its index of written rows is read once."""
    with _sinks_lock:
        if out not in _sinks:
            _sinks[out] = ParquetSink(out)
        return _sinks[out]


def batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _counting_unchanged(items: Iterable[InputItem], summary: RunSummary) -> Iterator[Item]:
    """Pages the server says are unchanged are counted here and never cleaned or written again."""
    for item in items:
        if isinstance(item, Unchanged):
            if item.kind != "page":
                summary.listings_unchanged += 1
                continue
            summary.inputs += 1
            summary.by_site[site_of_url(item.url)]["unchanged"] += 1
        else:
            yield item


def _collect(future: PrefectFuture, summary: RunSummary) -> None:
    batch_summary = future.result()
    summary.add(batch_summary)
    report_progress(batch_summary)
