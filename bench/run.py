"""`python -m bench [--quick] [--only SECTION ...]`: run the benchmarks, print the figures, write them as JSON."""

from __future__ import annotations

import argparse
import json
import operator
import os
import platform
import subprocess
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.corpus import REPO, html_pages, short_jsonl, text_files

RESULTS = REPO / "bench" / "results"
PYCACHE = RESULTS / "pycache"
MEMORY_SIZES = {"full": (1_000, 10_000, 100_000), "quick": (200,)}  # each size costs a fresh interpreter


@dataclass(frozen=True)
class Plan:
    """How much of each bench to run; `quick` is for the smoke test and a first look."""

    quick: bool
    html_pages: int | None
    html_chunk: int
    html_rounds: int
    text_documents: int
    text_chunk: int
    memory_sizes: tuple[int, ...]
    cli_repeats: int
    startup_repeats: int
    worker_copies: int
    worker_repeats: int

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if quick:
            return cls(True, 5, 5, 1, 20, 10, MEMORY_SIZES["quick"], 1, 0, 0, 0)
        return cls(False, None, 23, 2, 1_000, 200, MEMORY_SIZES["full"], 3, 4, 3, 2)


def section_html(plan: Plan) -> dict[str, Any]:
    from bench.throughput import html_bench

    return html_bench(plan.html_pages, plan.html_chunk, plan.html_rounds)


def section_text(plan: Plan) -> dict[str, Any]:
    from bench.throughput import text_bench

    return text_bench(plan.text_documents, plan.text_chunk)


def section_profile(plan: Plan) -> dict[str, Any]:
    from bench.profile import hottest, stage_breakdown
    from flows.sources.local import iter_local

    pages = [str(path) for path in html_pages(plan.html_pages)]
    with tempfile.TemporaryDirectory(prefix="copydesk-bench-") as tmp:
        texts = [str(path) for path in text_files(Path(tmp), min(plan.text_documents, 200))]
        return {
            "html_stages": stage_breakdown(pages),
            "text_stages": stage_breakdown(texts),
            "html_hottest": hottest(list(iter_local(pages))),
            "text_hottest": hottest(list(iter_local(texts))),
        }


def section_memory(plan: Plan) -> dict[str, Any]:
    """Text path, short articles in one JSON Lines file; the Prefect flow (its batch loop alone when quick)."""
    from bench.memory import measure
    from bench.startup import prefect_env

    mode = "loop" if plan.quick else "flow"
    runs = {}
    with tempfile.TemporaryDirectory(prefix="copydesk-bench-") as tmp:
        env = prefect_env(Path(tmp) / "prefect-home")
        for size in plan.memory_sizes:
            source = short_jsonl(Path(tmp) / f"{size}.jsonl.gz", size)
            runs[str(size)] = measure(source, Path(tmp) / f"out-{size}", mode, 200, env)
    if len(runs) < 2:
        return {"mode": mode, "runs": runs}
    previous, largest = (runs[str(size)] for size in plan.memory_sizes[-2:])
    return {
        "mode": mode,
        "runs": runs,
        "largest_vs_previous": round(largest["peak_rss_mb"] / previous["peak_rss_mb"], 3),
        "largest_vs_previous_with_descendants": round(_with_descendants(largest) / _with_descendants(previous), 3),
        "largest_vs_previous_at_end": round(largest["rss_at_end_mb"] / previous["rss_at_end_mb"], 3),
    }


def _with_descendants(run: dict[str, Any]) -> float:
    return run["peak_rss_mb"] + sum(child["peak_rss_mb"] for child in run["live_descendants"])


def section_cli(plan: Plan) -> dict[str, Any]:
    from bench.startup import cli_bench

    return cli_bench(plan.cli_repeats)


def section_startup(plan: Plan) -> dict[str, Any]:
    from bench.startup import ingest_startup_bench

    return ingest_startup_bench(plan.startup_repeats)


def section_workers(plan: Plan) -> dict[str, Any]:
    from bench.workers import workers_bench

    return workers_bench(plan.worker_copies, batch_size=23, repeats=plan.worker_repeats)


SECTIONS: dict[str, Callable[[Plan], dict[str, Any]]] = {
    "html": section_html,
    "text": section_text,
    "profile": section_profile,
    "memory": section_memory,
    "cli": section_cli,
    "startup": section_startup,
    "workers": section_workers,
}
PREFECT_SECTIONS = {"startup", "workers"}  # the embedded API, or the dev pages many times over: too slow for --quick


def run_section(section: Callable[[Plan], dict[str, Any]], plan: Plan) -> dict[str, Any]:
    """A section that fails (the code under test is being changed, say) is recorded; the others still run."""
    start = time.perf_counter()
    try:
        figures = section(plan)
    except Exception as exc:  # one broken section must not cost the figures of the rest
        figures = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-3000:]}
    return figures | {"bench_seconds": round(time.perf_counter() - start, 1)}


def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target of issue 7 with the figure it is judged on; absent when its section or figure did not run."""
    at_least, at_most = operator.ge, operator.le
    checks = {
        "html copydesk/bare_extraction >= 1.0x": ("html", lambda r: r["copydesk_vs_bare_extraction"]["ratio"],
                                                  at_least, 1.0),
        "text docs/s per worker >= 2000": ("text", lambda r: r["copydesk_docs_per_s_per_worker"], at_least, 2000),
        "RSS largest/previous size <= 1.10": ("memory", lambda r: r["largest_vs_previous"], at_most, 1.10),
        # the peak can be the imports' alone; the resident size at the end shows what a long run accumulates
        "RSS at end largest/previous <= 1.10": ("memory", lambda r: r["largest_vs_previous_at_end"], at_most, 1.10),
        "ingest start-up overhead <= 1 s": ("startup", lambda r: r["overhead_s"], at_most, 1.0),
        "clean one page < 1.5 s": ("cli", lambda r: r["clean_one_page_s"]["median"], operator.lt, 1.5),
        "--help < 1 s": ("cli", lambda r: r["help_s"]["median"], operator.lt, 1.0),
        "--workers 2 speed-up >= 1.7x": ("workers", lambda r: r["speedup"], at_least, 1.7),
    }
    verdicts = {}
    for name, (section, figure, meets, limit) in checks.items():
        try:
            value = figure(results[section])
        except KeyError:  # the section, or this figure of it, did not run
            continue
        verdicts[name] = {"value": value, "met": meets(value, limit)}
    return verdicts


def use_bytecode_cache() -> str:
    """Child interpreters (CLI runs, cleaning workers) read cached bytecode, as a user's second run does.

    Without this, an environment with PYTHONDONTWRITEBYTECODE and a venv installed without bytecode
    compiles ~2,000 modules from source in every process, and start-up figures measure that instead."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return str(PYCACHE)


def environment(quick: bool) -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "cleaners", "flows"], cwd=REPO,
                           capture_output=True, text=True, check=False)
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "commit": commit.stdout.strip(),
        "uncommitted_changes_in_cleaners_or_flows": bool(dirty.stdout.strip()),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "bytecode_cache": use_bytecode_cache(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small run, without the Prefect and pool benches")
    parser.add_argument("--only", nargs="+", choices=sorted(SECTIONS), help="run these sections only")
    parser.add_argument("--out", type=Path, default=None, help="JSON file to write (default: bench/results/)")
    args = parser.parse_args()
    plan = Plan.make(args.quick)
    results: dict[str, Any] = {"environment": environment(args.quick)}
    start = time.perf_counter()
    for name, section in SECTIONS.items():
        if args.only and name not in args.only:
            continue
        if plan.quick and name in PREFECT_SECTIONS:
            results[name] = {"skipped": "quick run"}
            continue
        results[name] = run_section(section, plan)
        print(f"{name}: {json.dumps(results[name])}", flush=True)
    results["environment"]["load_average_at_end"] = os.getloadavg()
    results["environment"]["total_seconds"] = round(time.perf_counter() - start, 1)
    results["targets"] = targets(results)
    for name, verdict in results["targets"].items():
        print(f"{'MET ' if verdict['met'] else 'MISS'} {name}: {verdict['value']}")
    path = args.out or RESULTS / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}{'-quick' if plan.quick else ''}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))
    print(f"results: {path}")
