"""The `copydesk` command line. Prefect is imported only by commands that orchestrate."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flows.sources.local import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from cleaners.record import Removal
    from flows.config import Source
    from flows.summary import RunSummary

EXIT_OK, EXIT_FATAL, EXIT_SOME_REJECTED = 0, 1, 3

app = typer.Typer(help="Turn raw news pages into clean, analysis-ready Parquet.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
console = Console()
errors = Console(stderr=True)


@app.command()
def ingest(
    inputs: Annotated[list[str] | None, typer.Argument(help="Files, folders (recursive), globs or page URLs.")] = None,
    out: Annotated[str, typer.Option(help="Dataset folder, or a URI such as s3://bucket/prefix.")] = "output",
    feed: Annotated[list[str] | None, typer.Option(help="RSS or Atom feed URL (repeatable).")] = None,
    sitemap: Annotated[list[str] | None, typer.Option(help="Sitemap or sitemap index URL (repeatable).")] = None,
    urls: Annotated[list[str] | None, typer.Option(help="File with one URL a line (repeatable).")] = None,
    since: Annotated[datetime | None, typer.Option(help="Skip feed entries and sitemap URLs older than this.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes that clean in parallel.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per Prefect task.")] = 200,
    max_bytes: Annotated[int, typer.Option(min=1, help="Largest document accepted, in bytes.")] = DEFAULT_MAX_BYTES,
    allow_private_addresses: Annotated[
        bool, typer.Option(help="Fetch links from feeds and sitemaps that point at private or loopback hosts.")
    ] = False,
    contact: Annotated[
        str | None, typer.Option(help="How site operators reach you (URL or mailto:), put in the User-Agent.")
    ] = None,
    user_agent: Annotated[str | None, typer.Option(help="A whole User-Agent, replacing copydesk's.")] = None,
    dask_address: Annotated[
        str | None, typer.Option(help="Run the batches on this Dask scheduler (tcp://HOST:PORT).")
    ] = None,
    dask_local_workers: Annotated[
        int, typer.Option(min=0, help="Run the batches on a local Dask cluster of this many processes.")
    ] = 0,
) -> None:
    """Read or fetch, clean and write articles to <out>/articles; failures go to <out>/rejects.

    Exit code 0: every input ingested; 3: some inputs rejected; 1: the run failed."""
    if not (inputs or feed or sitemap or urls):
        errors.print("[red]nothing to ingest[/red]: give files, folders, URLs, --feed, --sitemap or --urls")
        raise typer.Exit(EXIT_FATAL)
    if (dask_address or dask_local_workers) and not _prefect_server():
        errors.print("[red]Dask workers need a Prefect server[/red]: run `uv run prefect server start` and "
                     "`export PREFECT_API_URL=http://127.0.0.1:4200/api`, then run this again")
        raise typer.Exit(EXIT_FATAL)
    _prefect_defaults()
    from flows.batch import prestart

    if not (dask_address or dask_local_workers):
        prestart(workers)
    _run_ingest(inputs=inputs, out=out, feeds=feed, sitemaps=sitemap, url_files=urls, since=_as_utc(since),
                batch_size=batch_size, workers=workers, max_bytes=max_bytes,
                allow_private_addresses=allow_private_addresses, user_agent=user_agent, contact=contact,
                dask_address=dask_address, dask_local_workers=dask_local_workers)


@app.command()
def reclean(
    out: Annotated[str, typer.Option(help="Dataset folder or URI whose raw archive to re-clean.")] = "output",
    workers: Annotated[int, typer.Option(min=1, help="Processes that clean in parallel.")] = 1,
) -> None:
    """Re-clean every fetched page kept in <out>/raw with the current rules, without fetching again.

    Rows whose text changed are updated; the others are counted as unchanged."""
    _prefect_defaults()
    _run_ingest(out=out, workers=workers, from_archive=True)


@app.command()
def compact(
    out: Annotated[str, typer.Argument(help="Dataset folder, or a URI such as s3://bucket/prefix.")] = "output",
    target_mb: Annotated[int, typer.Option(min=1, help="Size of the merged files, in MiB.")] = 128,
) -> None:
    """Merge the small Parquet files of each partition into files of about the target size.

    Safe beside running ingests: every merge is journaled under the dataset's lock."""
    from flows.compact import compact as compact_dataset

    _require_dataset(out)
    outcome = compact_dataset(out, target_bytes=target_mb * 1024 * 1024)
    table = Table("partition", "files before", "files after", "rows", title=f"{outcome.files_removed} files fewer")
    for partition in outcome.partitions:
        table.add_row(partition.partition, str(partition.files_before), str(partition.files_after),
                      str(partition.rows))
    console.print(table)


@app.command()
def clean(
    path: Annotated[Path, typer.Argument(help="One text, HTML, gzip or JSON file.")],
    explain: Annotated[bool, typer.Option(help="List every removal with its rule.")] = False,
) -> None:
    """Print the cleaned text of one document, without Prefect and without writing anything."""
    from flows.batch import clean_input
    from flows.sources.base import InputError
    from flows.sources.local import read_file

    if not path.is_file():
        errors.print(f"[red]{path} is not a file[/red]: give the path of one document")
        raise typer.Exit(EXIT_FATAL)
    for item in read_file(path):
        outcome = item if isinstance(item, InputError) else clean_input(item)
        if isinstance(outcome, InputError):
            errors.print(f"[red]rejected[/red] {outcome.source_uri} ({outcome.stage}: {outcome.error_class}): "
                         f"{outcome.message}")
            raise typer.Exit(EXIT_SOME_REJECTED)
        if outcome.title:
            console.print(f"[bold]{outcome.title}[/bold]\n", highlight=False)
        console.print(outcome.text, highlight=False, markup=False)
        if explain:
            _print_removals(outcome.removed)


@app.command()
def inspect(
    out: Annotated[str, typer.Argument(help="Dataset folder, or a URI such as s3://bucket/prefix.")] = "output",
) -> None:
    """Rows by site and the schema of a dataset."""
    from flows.inspect import describe

    _require_dataset(out)
    report = describe(out)
    table = Table("site", "articles", "words", "newest published", title=f"{out}/articles")
    for row in report.sites:
        table.add_row(row.site, str(row.articles), str(row.words), row.newest or "")
    console.print(table)
    console.print(f"rejects: {report.rejects}")
    schema = Table("column", "type", "meaning", title="schema")
    for name, kind, meaning in report.schema:
        schema.add_row(name, kind, meaning)
    console.print(schema)


@app.command()
def serve(config: Annotated[Path, typer.Option(help="Sources file (TOML).")] = Path("sources.toml")) -> None:
    """Serve one scheduled deployment per source from this process, against the server in PREFECT_API_URL."""
    sources = _load_config(config)
    if not _prefect_server():
        errors.print(
            "[red]scheduling needs a Prefect server[/red], and PREFECT_API_URL is not set. In another terminal run\n"
            "  uv run prefect server start\nthen here\n"
            "  export PREFECT_API_URL=http://127.0.0.1:4200/api\n"
            f"  uv run copydesk serve --config {config}"
        )
        raise typer.Exit(EXIT_FATAL)
    from flows.schedule import serve_sources

    console.print(f"serving {len(sources)} source(s): " + ", ".join(s.name for s in sources))
    serve_sources(sources)


@app.command()
def deploy(
    pool: Annotated[str, typer.Option(help="Prefect work pool (type process) whose workers run the flows.")],
    config: Annotated[Path, typer.Option(help="Sources file (TOML).")] = Path("sources.toml"),
) -> None:
    """Register one scheduled deployment per source with a work pool; `prefect worker start --pool` runs them."""
    sources = _load_config(config)
    from flows.schedule import deploy_sources

    for source, deployment_id in zip(sources, deploy_sources(sources, pool), strict=True):
        console.print(f"deployed {source.name} to pool {pool} ({deployment_id})")
    console.print(f"start a worker with: uv run prefect worker start --pool {pool}")


@app.command()
def evaluate(
    kind: Annotated[str, typer.Argument(help="appeals, extraction or metadata.")],
    path: Annotated[Path, typer.Argument(help="A labelled folder, or its parent with --split.")],
    split: Annotated[str | None, typer.Option(help="Split: a subfolder of PATH and/or the records' split.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    predictions: Annotated[
        Path | None, typer.Option(help="Also write the predictions JSONL for the reference scorer.")
    ] = None,
) -> None:
    """Score the cleaner on a labelled folder, exactly as the reference scorers do."""
    from flows.evaluate.datasets import NoCases
    from flows.evaluate.kinds import KINDS

    if kind not in KINDS:
        errors.print(f"unknown kind {kind!r}: choose {', '.join(KINDS)}")
        raise typer.Exit(EXIT_FATAL)
    evaluation = KINDS[kind]
    try:
        result = evaluation.evaluate(path, split)
    except (NoCases, FileNotFoundError) as exc:
        errors.print(str(exc))
        raise typer.Exit(EXIT_FATAL) from exc
    for written in evaluation.write_predictions(result, predictions) if predictions else []:
        errors.print(f"wrote {written}; cross-check with {evaluation.reference}")
    if as_json:
        print(json.dumps(evaluation.to_json(result), ensure_ascii=False, indent=1))
    else:
        console.print(evaluation.table(result))


def _require_dataset(out: str) -> None:
    from flows.storage import StorageError, open_store

    try:
        store = open_store(out)
    except StorageError as exc:
        errors.print(str(exc), highlight=False)
        raise typer.Exit(EXIT_FATAL) from exc
    if not store.is_dir(store.root / "articles"):
        errors.print(f"[red]no dataset at {out}[/red]: run `copydesk ingest ... --out {out}` first")
        raise typer.Exit(EXIT_FATAL)


def _load_config(path: Path) -> list[Source]:
    from flows.config import ConfigError, load_sources

    try:
        return load_sources(path)
    except ConfigError as exc:
        errors.print(f"[red]invalid sources file[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_FATAL) from exc


def _as_utc(moment: datetime | None) -> datetime | None:
    """A --since without a zone means UTC, so runs on machines in other zones agree."""
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _prefect_server() -> str | None:
    """PREFECT_API_URL from the environment or the active Prefect profile."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def _prefect_defaults() -> None:
    """The embedded API needs about 15-21 s to start here, past Prefect's 20 s default; and its telemetry
    only prints an error on machines without internet access."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def _print_removals(removals: list[Removal]) -> None:
    table = Table("rule", "kind", "removed text", title=f"{len(removals)} removals")
    for removal in removals:
        table.add_row(removal.rule, removal.kind, removal.text)
    console.print(table)


def _run_ingest(**parameters: Any) -> None:
    """Run the ingest flow with a progress bar, print its summary and exit with its code."""
    from flows.ingest import ingest as ingest_flow
    from flows.progress import listening

    with _progress() as on_batch, listening(on_batch):
        summary = ingest_flow(**parameters)
    _print_summary(summary)
    raise typer.Exit(EXIT_SOME_REJECTED if summary.count("rejected") else EXIT_OK)


def _print_summary(summary: RunSummary) -> None:
    table = Table("site", "new", "updated", "unchanged", "rejected", title=f"{summary.inputs} inputs")
    for site in sorted(summary.by_site):
        counts = summary.by_site[site]
        table.add_row(site, *(str(counts[outcome]) for outcome in summary.totals))
    table.add_row("[bold]all[/bold]", *(f"[bold]{n}[/bold]" for n in summary.totals.values()))
    console.print(table)
    for reason, count in summary.rejects_by_reason.most_common():
        errors.print(f"rejected {count}: {reason}")


@contextmanager
def _progress() -> Iterator[Callable[[RunSummary], None]]:
    """A progress line counting documents as batches finish."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("ingesting"), BarColumn(), TextColumn("{task.completed} documents"), TimeElapsedColumn())
    with Progress(*columns, console=errors, transient=True) as bar:
        task_id = bar.add_task("ingest", total=None)
        yield lambda batch: bar.advance(task_id, batch.inputs)
