"""Scheduled sources on a real Prefect API: schedules read back, a served deployment writes rows, no overlap."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from filelock import FileLock
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL

from flows.config import load_sources
from flows.ingest import ingest
from flows.schedule import build_deployments, deploy_sources
from flows.storage import open_store
from flows.working_copy import local_state

pytestmark = pytest.mark.usefixtures("prefect_api")
ROOT = Path(__file__).resolve().parents[1]

SOURCES = """
[defaults]
out = "out"

[sources.folder]
paths = ["in"]
interval = "1h"

[sources.hourly-berlin]
paths = ["in"]
cron = "5 * * * *"
timezone = "Europe/Berlin"
"""


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(
        "Ferry Timetable Changes\n\nThe harbour ferry will leave ten minutes earlier from Monday, the operator said.\n"
    )
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES)
    return path


def test_schedules_and_concurrency_limits_read_back_through_the_client(sources_file: Path) -> None:
    for deployment in build_deployments(load_sources(sources_file)):
        deployment.apply()
    with get_client(sync_client=True) as client:
        folder = client.read_deployment_by_name("ingest/copydesk-folder")
        berlin = client.read_deployment_by_name("ingest/copydesk-hourly-berlin")
    assert folder.schedules[0].schedule.interval == timedelta(hours=1)
    assert (berlin.schedules[0].schedule.cron, berlin.schedules[0].schedule.timezone) == ("5 * * * *", "Europe/Berlin")
    assert folder.global_concurrency_limit.limit == 1
    assert folder.concurrency_options.collision_strategy == "CANCEL_NEW"
    assert folder.parameters["source"] == "folder"
    assert folder.parameters["out"] == str(sources_file.parent / "out")


def test_deploy_registers_the_sources_with_a_process_work_pool(sources_file: Path) -> None:
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="copydesk-test", type="process"), overwrite=True)
    deploy_sources(load_sources(sources_file), pool="copydesk-test")
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("ingest/copydesk-hourly-berlin")
    assert deployment.work_pool_name == "copydesk-test"
    assert deployment.entrypoint == "flows/ingest.py:ingest"
    assert deployment.schedules[0].schedule.cron == "5 * * * *"


def test_served_source_runs_and_writes_rows(sources_file: Path, tmp_path: Path) -> None:
    sources_file.write_text('[sources.served]\npaths = ["in"]\nout = "out"\ninterval = "1h"\n')
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-c", "from flows.cli import app; app()", "serve", "--config", str(sources_file)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        run = _run_when_served("ingest/copydesk-served")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=60)[0].decode(errors="replace")
    assert run.state.is_completed(), output
    assert list((sources_file.parent / "out" / "articles").rglob("*.parquet")), output


def test_a_run_of_a_source_still_running_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Title Line\n\nA paragraph that would be written.\n")
    lock = FileLock(tmp_path / "out" / "_state" / "locks" / "folder.lock")
    (tmp_path / "out" / "_state" / "locks").mkdir(parents=True)
    with lock:
        skipped = ingest(inputs=[str(tmp_path / "in")], out=str(tmp_path / "out"), source="folder")
    ran = ingest(inputs=[str(tmp_path / "in")], out=str(tmp_path / "out"), source="folder")
    assert skipped.skipped and skipped.inputs == 0
    assert not ran.skipped and ran.totals["new"] == 1


def test_on_an_object_store_a_source_still_running_is_skipped_before_its_state_is_downloaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Title Line\n\nA paragraph that would be written.\n")
    uri = f"memory://copydesk-schedule/{tmp_path.name}"
    store = open_store(uri)
    store.write_atomically(store.root / "_state" / "history" / "folder.jsonl", b"")
    with store.lock(store.root / "_state" / "locks" / "folder.lock"):
        skipped = ingest(inputs=[str(tmp_path / "in")], out=uri, source="folder")
    assert skipped.skipped and not local_state(uri).exists()

    # local files alone, with no source, need neither the fetch state nor the archive nor the history
    ran = ingest(inputs=[str(tmp_path / "in")], out=uri)
    assert ran.totals["new"] == 1 and not local_state(uri).exists()


def _run_when_served(name: str, wait: float = 180):
    """Triggers the deployment once `serve` has registered it, and waits for the run to finish."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            with get_client(sync_client=True) as client:
                deployment = client.read_deployment_by_name(name)
            if deployment.last_polled:
                return run_deployment(name, timeout=wait)
        except Exception:  # not registered yet
            pass
        time.sleep(1)
    raise AssertionError(f"{name} was not served within {wait} s")
