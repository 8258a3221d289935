"""Wall time of CLI subprocesses: `copydesk ingest` of a tiny input against an empty Prefect flow, `clean`, `--help`."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.corpus import REPO, SHORT_ARTICLE, html_pages
from bench.timing import wall

COPYDESK = str(Path(sys.executable).with_name("copydesk"))
EMPTY_FLOW = "from prefect import flow\n\n@flow\ndef empty() -> None:\n    pass\n\nempty()\n"


def prefect_env(home: Path) -> dict[str, str]:
    """One PREFECT_HOME and the CLI's own start-up timeout for both sides, so both start the same embedded API."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    return env | {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }


def timed_run(command: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> float:
    def run() -> None:
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, check=False)
        if done.returncode not in ok:
            raise RuntimeError(f"{command} exited {done.returncode}: {done.stderr.decode()[-2000:]}")

    return wall(run)


def cli_bench(repeats: int) -> dict[str, Any]:
    """`copydesk clean` of one page and `copydesk --help`: no Prefect in either."""
    page = str(html_pages(1)[0])
    timed_run([COPYDESK, "clean", page], ok=(0, 3))  # warm-up: fills the bytecode cache
    clean = [timed_run([COPYDESK, "clean", page], ok=(0, 3)) for _ in range(repeats)]
    helps = [timed_run([COPYDESK, "--help"]) for _ in range(repeats)]
    return {"clean_one_page_s": _summary(clean), "help_s": _summary(helps)}


def ingest_startup_bench(repeats: int) -> dict[str, Any]:
    """Alternating runs after one warm-up of each, which creates the Prefect database both then reuse."""
    with tempfile.TemporaryDirectory(prefix="copydesk-bench-") as tmp:
        root = Path(tmp)
        env = prefect_env(root / "prefect-home")
        tiny = root / "tiny.txt"
        tiny.write_text(SHORT_ARTICLE)
        sides = {
            "copydesk_ingest": lambda n: [COPYDESK, "ingest", str(tiny), "--out", str(root / f"out-{n}")],
            "bare_flow": lambda n: [sys.executable, "-c", EMPTY_FLOW],
        }
        for command in sides.values():
            timed_run(command("warm"), env)
        times: dict[str, list[float]] = {name: [] for name in sides}
        for number in range(repeats):
            order = list(sides) if number % 2 == 0 else list(sides)[::-1]
            for name in order:
                times[name].append(timed_run(sides[name](number), env))
    ingest, bare = (statistics.median(times[name]) for name in sides)
    return {**{f"{name}_s": _summary(values) for name, values in times.items()}, "overhead_s": round(ingest - bare, 2)}


def _summary(values: list[float]) -> dict[str, Any]:
    return {"median": round(statistics.median(values), 3), "runs": [round(value, 3) for value in values]}
