"""Batches on a Dask LocalCluster of two process workers, through prefect-dask, give the local run's rows."""

from pathlib import Path

import polars as pl
import pytest
from distributed import LocalCluster
from prefect.settings import PREFECT_API_URL

from flows.ingest import ingest

pytestmark = pytest.mark.usefixtures("prefect_api")


def rows(out: Path) -> set[tuple[str, str]]:
    frame = pl.read_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True)
    return set(zip(frame["doc_id"], frame["content_sha256"], strict=True))


def test_dask_cluster_output_equals_local_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(12):
        (folder / f"story-{n}.txt").write_text(
            f"Council Meeting Number {n}\n\nThe council met for the {n}th time this year and approved the budget.\n"
            f"Members said item {n} on the agenda would continue to be discussed next week.\n")
    # Dask workers are other processes: they must reach this test's API, not start their own
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    local = ingest(inputs=[str(folder)], out=str(tmp_path / "local"), batch_size=3)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        on_dask = ingest(inputs=[str(folder)], out=str(tmp_path / "dask"), batch_size=3,
                         dask_address=cluster.scheduler_address)

    assert on_dask.totals == local.totals == {"new": 12, "updated": 0, "unchanged": 0, "rejected": 0}
    assert rows(tmp_path / "dask") == rows(tmp_path / "local")
