"""Writers killed with SIGKILL at random moments, and two writers at once, lose and duplicate nothing.

The writer is iter_local -> clean_batch -> ParquetSink.write in batches of two, without Prefect. A zygote
process imports copydesk once and forks one writer per run, so each kill costs milliseconds, not imports.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
KILL_POINTS = 24

ZYGOTE = r"""
import json, os, sys, traceback
from itertools import islice
from flows.batch import clean_batch, clean_input
from flows.sink import ParquetSink
from flows.sources.base import RawInput
from flows.sources.local import iter_local

# load the language model, suffix list and what pyarrow imports lazily once, here, not in every forked writer
import _strptime, pandas, zoneinfo  # noqa: E401,F401
clean_input(RawInput("warm-up", b"Warm Up\n\nThe council met on Friday to agree a budget.", "text", url="https://a.example/"))

def run(out, targets, counts_file):
    sink = ParquetSink(out)
    items = iter_local(targets)
    counts = {"inputs": 0, "new": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    while batch := list(islice(items, 2)):
        cleaned = clean_batch(batch, limits=None)
        outcome = sink.write(cleaned.articles, cleaned.rejects)
        counts["inputs"] += len(batch)
        counts["rejected"] += len(cleaned.rejects)
        for name in ("new", "updated", "unchanged"):
            counts[name] += len(getattr(outcome, name))
    with open(counts_file, "w") as f:
        json.dump(counts, f)

for line in sys.stdin:
    command = json.loads(line)
    if command["do"] == "reap":
        _, status = os.waitpid(command["pid"], 0)
        print(json.dumps({"signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0,
                          "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None}), flush=True)
        continue
    pid = os.fork()
    if pid == 0:
        try:
            run(command["out"], command["targets"], command["counts"])
            os._exit(0)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
    print(json.dumps({"pid": pid}), flush=True)
"""


class Zygote:
    """Forks writer processes on demand; the test kills them by pid, the zygote reaps them."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
        )

    def start(self, out: Path, targets: list[Path], counts: Path) -> int:
        self._send({"do": "run", "out": str(out), "targets": [str(t) for t in targets], "counts": str(counts)})
        return self._answer()["pid"]

    def reap(self, pid: int) -> dict:
        self._send({"do": "reap", "pid": pid})
        answer = self._answer()
        assert answer["code"] in (0, None), f"writer {pid} failed with exit code {answer['code']}: see stderr"
        return answer

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)

    def _send(self, command: dict) -> None:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def _answer(self) -> dict:
        return json.loads(self.process.stdout.readline())


@dataclass
class KillLog:
    killed: int = 0
    finished: int = 0
    states: dict[str, int] = field(default_factory=dict)

    def note(self, state: str) -> None:
        self.states[state] = self.states.get(state, 0) + 1


STORY = "Story {n}: the council of town {n} met on Friday and agreed a budget of {n} thousand for the {v} year.\n"


def make_inputs(folder: Path, version: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(24):
        # half the stories change between versions: the killed runs update rows, not only add them
        v = version if n % 2 else "first"
        (folder / f"story-{n:02d}.txt").write_text(f"Headline {n}\n\n" + STORY.format(n=n, v=v) * 3)
    (folder / "wire.jsonl").write_text(
        "".join(
            json.dumps({"url": f"https://wire.example/{n}", "title": f"Wire {n}", "text": STORY.format(n=n, v=version)})
            + "\n"
            for n in range(8)
        )
        + "{broken\n"
    )
    (folder / "binary.txt").write_bytes(b"\x7fELF" + bytes(range(256)))
    (folder / "empty.txt").write_bytes(b"")


def article_rows(out: Path) -> list[tuple[str, str]]:
    frame = pl.read_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True)
    return sorted(zip(frame["doc_id"].to_list(), frame["content_sha256"].to_list(), strict=True))


def reject_ids(out: Path) -> list[str]:
    return sorted(pl.read_parquet(out / "rejects" / "**" / "*.parquet")["reject_id"].to_list())


def assert_readable(out: Path) -> None:
    """What a reader sees mid-crash: every visible file is whole, and all three readers agree on the rows."""
    visible = [p for p in out.rglob("*.parquet") if not any(part.startswith((".", "_")) for part in p.parts[-3:])]
    counts = [pq.ParquetFile(p).metadata.num_rows for p in visible if "articles" in p.parts]
    glob = f"{out}/articles/**/*.parquet"
    in_duckdb = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true)")
    in_polars = pl.read_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True).height
    in_pyarrow = ds.dataset(out / "articles", format="parquet", partitioning="hive").to_table().num_rows
    assert in_duckdb.fetchone()[0] == in_polars == in_pyarrow == sum(counts)
    pl.read_parquet(out / "rejects" / "**" / "*.parquet")


def crash_state(out: Path) -> str:
    if list((out / "_journal").glob("*.json")):
        return "journal written, not yet applied"
    if list(out.rglob(".*.tmp")):
        return "writing a file"
    return "cleaning or between files"


def run_to_end(zygote: Zygote, out: Path, targets: list[Path], counts: Path) -> dict:
    zygote.reap(zygote.start(out, targets, counts))
    return json.loads(counts.read_text())


def test_writers_killed_at_random_points_leave_readable_data_and_the_rerun_matches(tmp_path: Path) -> None:
    inputs, reference, crashed = tmp_path / "in", tmp_path / "reference", tmp_path / "crashed"
    make_inputs(inputs, "first")
    zygote = Zygote()
    try:
        for out in (reference, crashed):
            run_to_end(zygote, out, [inputs], tmp_path / "counts.json")
        make_inputs(inputs, "second")
        started = time.monotonic()
        run_to_end(zygote, tmp_path / "timing", [inputs], tmp_path / "counts.json")
        duration = time.monotonic() - started
        log = kill_repeatedly(zygote, crashed, inputs, duration)
        make_inputs(inputs, "final")
        expected = run_to_end(zygote, reference, [inputs], tmp_path / "counts.json")
        final = run_to_end(zygote, crashed, [inputs], tmp_path / "counts.json")
    finally:
        zygote.close()

    print(f"kill points: {log.killed} killed, {log.finished} finished first; states: {log.states}")
    assert log.killed >= 20
    assert expected["updated"] > 0 and expected["inputs"] == final["inputs"]
    assert article_rows(crashed) == article_rows(reference)
    assert len({doc_id for doc_id, _ in article_rows(crashed)}) == len(article_rows(crashed))
    assert reject_ids(crashed) == reject_ids(reference)
    assert not list(crashed.rglob(".*.tmp")) and not list((crashed / "_journal").iterdir())


def kill_repeatedly(zygote: Zygote, out: Path, inputs: Path, duration: float) -> KillLog:
    """Each run gets a new version of half the inputs, so there is always writing to interrupt."""
    rng = random.Random(8)
    log = KillLog()
    while log.killed < KILL_POINTS and log.killed + log.finished < 2 * KILL_POINTS:
        make_inputs(inputs, f"run {log.killed + log.finished}")
        pid = zygote.start(out, [inputs], out.parent / "killed.json")
        time.sleep(rng.uniform(0, duration))
        os.kill(pid, signal.SIGKILL)  # a finished writer is a zombie until reaped: the signal is then a no-op
        if zygote.reap(pid)["signal"] == signal.SIGKILL:
            log.killed += 1
            log.note(crash_state(out))
        else:
            log.finished += 1
        assert_readable(out)
    return log


def test_two_writers_at_once_with_overlapping_inputs_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, numbers in ((first, range(0, 40)), (second, range(20, 60))):
        folder.mkdir()
        (folder / "wire.jsonl").write_text(
            "".join(
                json.dumps(
                    {"url": f"https://wire.example/{n}", "title": f"Wire {n}", "text": STORY.format(n=n, v="one")}
                )
                + "\n"
                for n in numbers
            )
        )
    out = tmp_path / "out"
    zygote = Zygote()
    try:
        pids = [zygote.start(out, [folder], tmp_path / f"{folder.name}.json") for folder in (first, second)]
        for pid in pids:
            zygote.reap(pid)
    finally:
        zygote.close()

    counts = [json.loads((tmp_path / f"{name}.json").read_text()) for name in ("first", "second")]
    rows = article_rows(out)
    assert len(rows) == 60 and len({doc_id for doc_id, _ in rows}) == 60
    assert sum(c["new"] for c in counts) == 60
    assert all(c["new"] + c["unchanged"] == c["inputs"] == 40 for c in counts)
