"""The Prefect `ingest` flow: stream inputs in batches, clean and write each batch in one task."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from multiprocessing import get_context
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner

from cleaners.metadata.urls import registered_domain
from flows.batch import CleanedBatch, clean_batch
from flows.fetch import Unchanged
from flows.inputs import InputSpec, iter_inputs, split_targets
from flows.inputs import Item as InputItem
from flows.progress import report_progress
from flows.sink import ParquetSink
from flows.sources.base import InputError, RawInput
from flows.sources.local import DEFAULT_MAX_BYTES
from flows.summary import RunSummary

DEFAULT_BATCH_SIZE = 200
NO_SITE = "(no site)"
Item = RawInput | InputError

_pool: ProcessPoolExecutor | None = None
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
) -> RunSummary:
    """Local paths and http(s) URLs in `inputs`; feeds, sitemaps and URL-list files are fetched politely."""
    paths, urls = split_targets(inputs or [])
    spec = InputSpec(paths=paths, urls=urls, feeds=feeds or [], sitemaps=sitemaps or [], url_files=url_files or [],
                     since=since, max_bytes=max_bytes, allow_private_addresses=allow_private_addresses,
                     user_agent=user_agent)
    summary = RunSummary()
    runner = ThreadPoolTaskRunner(max_workers=workers)
    with cleaning_pool(workers), runner:
        pending: list[PrefectFuture] = []
        for number, batch in enumerate(batched(_counting_unchanged(iter_inputs(spec, Path(out)), summary),
                                               batch_size), start=1):
            pending.append(runner.submit(process_batch, parameters={"items": batch, "out": out, "number": number}))
            if len(pending) > workers:
                _collect(pending.pop(0), summary)
        for future in pending:
            _collect(future, summary)
    create_markdown_artifact(summary.as_markdown(), key="ingest-summary", description="copydesk ingest summary")
    return summary


@task(cache_policy=NO_CACHE, task_run_name="batch-{number}")
def process_batch(items: list[Item], out: str, number: int) -> RunSummary:
    cleaned = _pool.submit(clean_batch, items).result() if _pool else clean_batch(items)
    return write_batch(cleaned, sink_for(out), inputs=len(items))


def write_batch(cleaned: CleanedBatch, sink: ParquetSink, inputs: int) -> RunSummary:
    outcome = sink.write(cleaned.articles, cleaned.rejects)
    summary = RunSummary(inputs=inputs, removals_by_rule=cleaned.removals_by_rule)
    site_of = {article.doc_id: article.domain or NO_SITE for article in cleaned.articles}
    for name, doc_ids in (("new", outcome.new), ("updated", outcome.updated), ("unchanged", outcome.unchanged)):
        for doc_id in doc_ids:
            summary.by_site[site_of[doc_id]][name] += 1
    duplicates_in_batch = len(cleaned.articles) - len(site_of)
    summary.by_site[NO_SITE]["unchanged"] += duplicates_in_batch
    for reject in cleaned.rejects:
        summary.by_site[registered_domain(reject.url) or NO_SITE]["rejected"] += 1
        summary.rejects_by_reason[f"{reject.stage}: {reject.error_class}"] += 1
    return summary


def sink_for(out: str) -> ParquetSink:
    """One sink per dataset and process, so its index of written rows is read once."""
    with _sinks_lock:
        if out not in _sinks:
            _sinks[out] = ParquetSink(out)
        return _sinks[out]


@contextmanager
def cleaning_pool(workers: int) -> Iterator[None]:
    """Plain worker processes for the CPU-bound cleaning: no Prefect in them, so no extra API servers."""
    global _pool
    if workers <= 1:
        yield
        return
    _pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    try:
        yield
    finally:
        _pool.shutdown()
        _pool = None


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
            summary.by_site[registered_domain(item.url) or NO_SITE]["unchanged"] += 1
        else:
            yield item


def _collect(future: PrefectFuture, summary: RunSummary) -> None:
    batch_summary = future.result()
    summary.add(batch_summary)
    report_progress(batch_summary)
