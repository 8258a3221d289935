"""Peak RSS of one ingest run, measured in a subprocess of its own: `python -m bench.memory INPUT OUT --mode loop`.

`loop` runs the flow's own batch loop and task body without the Prefect API; `flow` runs the Prefect flow.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.corpus import REPO


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


def descendants(pid: int) -> list[int]:
    """Live child processes, recursively: the guard cleaning workers and, for the flow, the Prefect server."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:  # the thread ended while we looked
            continue
        for child in children:
            found += [int(child), *descendants(int(child))]
    return found


def process_peak_mb(pid: int) -> dict[str, Any] | None:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        return {"command": command[:100], "peak_rss_mb": proc_status_mb(pid, "VmHWM")}
    except (FileNotFoundError, ProcessLookupError):  # it exited while we looked
        return None


def proc_status_mb(pid: int | str, field: str) -> float:
    """VmHWM is the peak resident set, VmRSS the current one."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return round(int(status[field].split()[0]) / 1024, 1)


def run_loop(source: str, out: str, batch_size: int) -> int:
    from flows.ingest import batched, process_batch
    from flows.sources.local import iter_local
    from flows.summary import RunSummary

    summary = RunSummary()
    for number, batch in enumerate(batched(iter_local([source]), batch_size), start=1):
        summary.add(process_batch.fn(batch, out, number))
    return summary.inputs


def run_flow(source: str, out: str, batch_size: int) -> int:
    from flows.ingest import ingest

    return ingest(inputs=[source], out=out, batch_size=batch_size, workers=1).inputs


def measure(source: Path, out: Path, mode: str, batch_size: int, env: dict[str, str]) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter, so earlier runs' memory cannot count."""
    command = [sys.executable, "-m", "bench.memory", str(source), str(out), f"--mode={mode}", f"--batch={batch_size}"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"memory run failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--mode", choices=("loop", "flow"), default="loop")
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    import flows.batch  # noqa: F401  the import cost is a floor, not growth: measure it apart
    import flows.ingest  # noqa: F401

    after_imports = peak_rss_mb()
    start = time.perf_counter()
    runner = run_flow if args.mode == "flow" else run_loop
    documents = runner(args.source, args.out, args.batch)
    seconds = time.perf_counter() - start
    result = {
        "mode": args.mode,
        "documents": documents,
        "seconds": round(seconds, 2),
        "docs_per_s": round(documents / seconds, 1),
        "rss_after_imports_mb": after_imports,
        "peak_rss_mb": peak_rss_mb(),
        "rss_at_end_mb": proc_status_mb("self", "VmRSS"),  # growth the import-time peak would hide
        "live_descendants": [peak for pid in descendants(os.getpid()) if (peak := process_peak_mb(pid))],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
