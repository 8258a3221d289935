"""compact merges small files per partition without losing or duplicating a row, even when killed."""

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.dataset as ds
import pytest

from cleaners.record import PIPELINE_VERSION, Article, Reject
from flows import inspect
from flows.compact import compact, plan_groups
from flows.inspect import open_articles
from flows.sink import ParquetSink
from flows.storage import Store

ROOT = Path(__file__).resolve().parents[1]
# imports once (pandas too, which pyarrow loads lazily), then forks one compaction per line read
ZYGOTE = """
import os, sys
import pandas
from flows.compact import compact
for line in sys.stdin:
    do, arg = line.split(maxsplit=1)
    if do == "reap":
        _, status = os.waitpid(int(arg), 0)
        print(os.WTERMSIG(status) if os.WIFSIGNALED(status) else -os.WEXITSTATUS(status), flush=True)
        continue
    pid = os.fork()
    if pid == 0:
        compact(arg.strip(), target_bytes=1_000_000)
        os._exit(0)
    print(pid, flush=True)
"""


COMPACT_ON_GO = """
import sys
import pandas
from flows.compact import compact
print("ready", flush=True)
sys.stdin.readline()
compact(sys.argv[1], target_bytes=1_000_000)
"""


def article(n: int, site: int, version: str = "first") -> Article:
    body = f"Story {n} from site {site}, {version} version: the council agreed the budget. " * 3
    return Article(
        doc_id=hashlib.sha256(f"{n}".encode()).hexdigest()[:32], url=None, fetched_url=None,
        source_uri=f"file:///in/{n}.txt", site_name=None, domain=f"site{site}.example", title=f"Story {n}",
        authors=["A. Writer"], agencies=[], published_at=datetime(2020 + n % 2, 1, 1, tzinfo=UTC),
        published_precision="day", published_offset_min=None, modified_at=None, date_source=None, language="en",
        language_confidence=None, description=None, section=None, tags=["council"], text=body,
        word_count=len(body.split()), content_sha256=hashlib.sha256(body.encode()).hexdigest(), removed=[],
        extra_json=None, ingested_at=datetime.now(UTC), pipeline_version=PIPELINE_VERSION, rules_version="test",
    )


def reject(n: int) -> Reject:
    return Reject(source_uri=f"file:///in/bad-{n}", url=None, stage="read", error_class="TooLarge",
                  message="too large", http_status=None, rejected_at=datetime.now(UTC))


@pytest.fixture(scope="module")
def small_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """16 sites, each partition written by 4 batches: 64 small article files and 4 reject files."""
    out = tmp_path_factory.mktemp("small") / "out"
    sink = ParquetSink(out)
    n = 0
    for _ in range(4):
        batch = []
        for site in range(16):
            batch += [article(n, site), article(n + 1, site)]
            n += 2
        sink.write(batch, [reject(n)])
    return out


def snapshot(out: Path) -> list[tuple]:
    frame = pl.read_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True)
    return sorted(frame.drop("ingested_at").rows())


def reject_ids(out: Path) -> list[str]:
    return sorted(pl.read_parquet(out / "rejects" / "**" / "*.parquet")["reject_id"].to_list())


def parquet_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*.parquet") if not p.name.startswith(".")]


def test_compact_merges_each_partition_and_keeps_every_row(small_files: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_files, out)
    before, rejects_before, files_before = snapshot(out), reject_ids(out), len(parquet_files(out))

    outcome = compact(out)

    assert snapshot(out) == before and reject_ids(out) == rejects_before
    assert len(parquet_files(out)) == files_before - outcome.files_removed == 17  # 16 sites + 1 reject day
    assert compact(out).partitions == []


def test_groups_stay_near_the_target_and_big_files_are_left_alone() -> None:
    sizes = {Path(f"part-{i}.parquet"): size for i, size in enumerate([40, 40, 40, 500, 30, 90])}
    groups = plan_groups(sizes, target_bytes=100)
    assert all(sum(sizes[p] for p in group) <= 100 for group in groups)
    assert Path("part-3.parquet") not in {p for group in groups for p in group}
    assert [len(group) for group in groups] == [2, 2]


def test_compact_killed_at_random_points_loses_and_duplicates_nothing(small_files: Path, tmp_path: Path) -> None:
    expected, expected_rejects = snapshot(small_files), reject_ids(small_files)
    expected_keys = {(row[0], row[21]) for row in expected}  # doc_id, content_sha256
    zygote = subprocess.Popen([sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        for attempt in ("warm-up", "timing"):  # the first run also pays for what pyarrow loads lazily
            shutil.copytree(small_files, tmp_path / attempt)
            started = time.monotonic()
            assert run_compaction(zygote, tmp_path / attempt, kill_after=None) == 0
            duration = time.monotonic() - started
        rng = random.Random(7)
        killed = 0
        for point in range(10):
            out = tmp_path / f"run-{point}"
            shutil.copytree(small_files, out)
            killed += run_compaction(zygote, out, kill_after=rng.uniform(0, duration)) == signal.SIGKILL
            assert_no_row_lost(out, expected_keys)
            compact(out, target_bytes=1_000_000)
            assert snapshot(out) == expected and reject_ids(out) == expected_rejects
            assert not list(out.rglob(".*.tmp")) and not list((out / "_journal").iterdir())
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
    print(f"compactions killed: {killed} of 10")
    assert killed >= 5


def test_compact_beside_a_writer_loses_no_update(small_files: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_files, out)
    child = subprocess.Popen([sys.executable, "-c", COMPACT_ON_GO, str(out)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout.readline() == "ready\n"
    child.stdin.write("go\n")
    child.stdin.flush()
    sink, written, n = ParquetSink(out), {}, 0
    # updates of existing rows (in files being merged, some moving site) and new rows, while compaction runs
    while child.poll() is None or n < 40:
        for doc in (article(n % 128, n % 128 // 8, version=f"v{n}"), article(1000 + n, 3)):
            sink.write([doc], [])
            written[doc.doc_id] = doc.content_sha256
        n += 1
    assert child.wait() == 0

    frame = pl.read_parquet(out / "articles" / "**" / "*.parquet")
    final = dict(zip(frame["doc_id"], frame["content_sha256"], strict=True))
    assert frame.height == len(final) == 128 + n
    assert all(final[doc_id] == sha for doc_id, sha in written.items())


def run_compaction(zygote: subprocess.Popen, out: Path, kill_after: float | None) -> int:
    """The signal that ended the forked compaction, or minus its exit code."""
    zygote.stdin.write(f"run {out}\n")
    zygote.stdin.flush()
    pid = int(zygote.stdout.readline())
    if kill_after is not None:
        time.sleep(kill_after)
        os.kill(pid, signal.SIGKILL)  # a finished child is a zombie until reaped: the signal is then a no-op
    zygote.stdin.write(f"reap {pid}\n")
    zygote.stdin.flush()
    return int(zygote.stdout.readline())


def assert_no_row_lost(out: Path, expected_keys: set[tuple[str, str]]) -> None:
    """Mid-change a reader may see a row twice until the journal is replayed, never a partial file or a lost row."""
    frame = pl.read_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True)
    assert set(zip(frame["doc_id"], frame["content_sha256"], strict=True)) == expected_keys
    assert ds.dataset(out / "articles", partitioning="hive").to_table().num_rows == frame.height
    assert duckdb.sql(f"SELECT count(*) FROM '{out}/articles/**/*.parquet'").fetchall() == [(frame.height,)]


def test_inspect_lists_again_when_compact_replaced_the_files_it_listed(
    small_files: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_files, out)
    listings = []

    def listed_then_compacted(store: Store) -> ds.Dataset:
        listings.append(open_articles(store))
        if len(listings) == 1:
            compact(out)  # the merge deletes every small file the first listing holds
        return listings[-1]

    monkeypatch.setattr(inspect, "open_articles", listed_then_compacted)
    report = inspect.describe(out)
    assert len(listings) == 2
    assert sum(site.articles for site in report.sites) == 128
