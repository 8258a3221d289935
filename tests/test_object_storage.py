"""A dataset on S3: the real command line against an S3-compatible server (moto) on 127.0.0.1."""

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from unittest.mock import Mock

import boto3
import polars as pl
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest
from moto.server import ThreadedMotoServer

from flows.fetch import FetchState
from flows.sink import ParquetSink
from flows.storage import UnsafePathError, open_store
from flows.working_copy import local_state, working_copy
from tests.test_sink import article
from tests.webserver import Route, Site
from tests.webserver import article as page

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "copydesk"
STORIES = {
    "harbour.txt": "Harbour Wall Repaired\n\nThe council finished the harbour wall on Tuesday after two winters.\n",
    "library.txt": "Library Opens Late\n\nThe town library now opens until nine on weekdays, the mayor said.\n",
    "orchard.html": "<html><head><title>Orchard Sold</title></head><body><article><h1>Orchard Sold</h1>"
    "<p>The old orchard by the river was sold to a cooperative of growers this spring.</p></article></body></html>",
    "empty.txt": "",
}


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a client of a fresh S3 server: no real AWS configuration is read."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    home = tmp_path_factory.mktemp("home")
    env = {
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": str(home / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"), "XDG_CACHE_HOME": str(home / "cache"),
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        yield env
    server.stop()


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from flows.cli import app; app()", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env}, timeout=600)


def keys(prefix: str) -> list[str]:
    listing = boto3.client("s3").list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [entry["Key"][len(prefix):] for entry in listing.get("Contents", [])]


def read_articles(uri: str, env: dict[str, str]) -> pl.DataFrame:
    """Polars reads through its own S3 client (object_store), not through copydesk's code."""
    options = {"aws_endpoint_url": env["AWS_ENDPOINT_URL"], "aws_access_key_id": "testing",
               "aws_secret_access_key": "testing", "aws_region": "us-east-1", "aws_allow_http": "true"}
    return pl.read_parquet(f"{uri}/articles/**/*.parquet", storage_options=options, hive_partitioning=True)


def count_rejects(prefix: str, env: dict[str, str]) -> int:
    s3 = pafs.S3FileSystem(endpoint_override=env["AWS_ENDPOINT_URL"].removeprefix("http://"), scheme="http",
                           access_key="testing", secret_key="testing", region="us-east-1")
    return ds.dataset(f"{BUCKET}/{prefix}/rejects", filesystem=s3, partitioning="hive").count_rows()


def test_ingest_rerun_compact_and_reclean_on_s3(s3: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / name).write_text(text)
    uri = f"s3://{BUCKET}/news"
    env = {**s3, "PREFECT_HOME": str(tmp_path / "prefect-home"), "COLUMNS": "200"}
    with Site() as site:
        site.add("/robots.txt", Route(b"User-agent: *\n", content_type="text/plain"))
        url = site.add("/news/bridge", Route(page("bridge"), etag='"bridge-v1"'))
        command = ("ingest", str(folder), url, "--out", uri, "--batch-size", "1", "--allow-private-addresses")

        first = run_cli(*command, env=env)
        assert first.returncode == 3, first.stdout + first.stderr
        frame = read_articles(uri, s3)
        assert frame.height == 4 and frame["doc_id"].n_unique() == 4
        assert count_rejects("news", s3) == 1
        stored = keys("news/")
        assert {"_state/fetch.sqlite", "raw/index.sqlite"} <= set(stored)
        assert any(key.startswith("raw/127.0.0.1_") and key.endswith(".gz") for key in stored)

        second = run_cli(*command, env=env)
        assert second.returncode == 3, second.stdout + second.stderr
        assert read_articles(uri, s3).height == 4 and count_rejects("news", s3) == 1
        assert [hit.headers.get("if-none-match") for hit in site.hits if hit.path == "/news/bridge"] == [
            None, '"bridge-v1"'
        ]

    files_before = len([key for key in keys("news/articles/") if key.endswith(".parquet")])
    compacted = run_cli("compact", uri, env=env)
    assert compacted.returncode == 0, compacted.stdout + compacted.stderr
    assert len([key for key in keys("news/articles/") if key.endswith(".parquet")]) < files_before
    assert read_articles(uri, s3).sort("doc_id").equals(frame.sort("doc_id"))
    # an empty "folder/" object is how pyarrow keeps a prefix that lost its last object
    leftovers = [key for key in keys("news/") if key.endswith(".tmp") or key.startswith("_journal/")]
    assert leftovers in ([], ["_journal/"])

    inspected = run_cli("inspect", uri, env=env)
    assert inspected.returncode == 0 and "rejects: 1" in inspected.stdout, inspected.stdout + inspected.stderr

    # another machine: an empty cache, so the archive comes from the bucket; the web server is gone
    recleaned = run_cli("reclean", "--out", uri, env={**env, "XDG_CACHE_HOME": str(tmp_path / "new-machine")})
    assert recleaned.returncode == 0, recleaned.stdout + recleaned.stderr
    assert "1 inputs" in recleaned.stdout
    assert read_articles(uri, s3).height == 4


def test_every_spelling_of_a_dataset_uri_shares_its_locks_and_working_copy(s3: dict[str, str]) -> None:
    spellings = [f"s3://{BUCKET}/same", f"s3://{BUCKET}/same/", f"s3://{BUCKET}/same/sub/.."]
    stores = [open_store(uri) for uri in spellings]
    assert len({store.lock(store.root / ".copydesk.lock").lock_file for store in stores}) == 1
    assert len({local_state(uri) for uri in spellings}) == 1
    # another filesystem, or another server, holding the same path is another dataset
    assert local_state(f"memory://{BUCKET}/same") != local_state(spellings[0])
    elsewhere = f"s3://{BUCKET}/same?endpoint_override=127.0.0.2:1&region=us-east-1"
    assert local_state(elsewhere) != local_state(spellings[0])


def test_a_journal_left_on_s3_is_finished_by_the_next_writer(s3: dict[str, str]) -> None:
    uri = f"s3://{BUCKET}/crash"
    ParquetSink(uri).write([article(1)], [])
    store = open_store(uri)
    old_file = next(iter(store.files(store.root / "articles", "part-*.parquet")))
    new_file = old_file.with_name("part-new.parquet")
    # what a writer killed right after its journal leaves: a staged object, a journal, the old row in place
    staged = old_file.with_name(".part-new.parquet.0000.tmp")
    store.write_atomically(staged, store.read_bytes(old_file))
    store.write_atomically(old_file.with_name(".part-x.parquet.dead.tmp"), b"PAR1 half a file")
    journal = {"moves": [[store.relative(staged), store.relative(new_file)]], "drop": {},
               "delete": [store.relative(old_file)]}
    store.write_atomically(store.root / "_journal" / "left-over.json", json.dumps(journal).encode())

    outcome = ParquetSink(uri).write([article(1)], [])

    assert outcome.unchanged == [f"{1:032x}"]
    assert [key for key in keys("crash/") if key.endswith((".parquet", ".json", ".tmp"))] == [
        f"articles/site=example.com/{new_file.name}"
    ]
    assert read_articles(uri, s3).height == 1


def test_any_fsspec_filesystem_holds_a_dataset() -> None:
    sink = ParquetSink("memory://copydesk-test/out")
    sink.write([article(1), article(2)], [])
    outcome = sink.write([article(1), article(2, text="Story two, corrected.")], [])
    assert (outcome.unchanged, outcome.updated) == ([f"{1:032x}"], [f"{2:032x}"])
    store = open_store("memory://copydesk-test/out")
    table = ds.dataset(store.location(store.root / "articles"), filesystem=store.fs, partitioning="hive").to_table()
    assert sorted(table["doc_id"].to_pylist()) == [f"{1:032x}", f"{2:032x}"]


@pytest.mark.parametrize("escape", ["../victim.parquet", "articles/../../victim.parquet", "/copydesk-test/victim"])
def test_an_object_store_refuses_keys_outside_its_root(escape: str) -> None:
    store = open_store("memory://copydesk-test/out")
    with pytest.raises(UnsafePathError, match="outside the dataset root memory://copydesk-test/out"):
        store.inside(PurePosixPath(escape))


def test_a_run_starts_from_the_state_in_the_bucket_not_from_a_dead_runs_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    uri = "memory://copydesk-test/state"
    with working_copy(uri) as local:
        state = FetchState(local / "_state" / "fetch.sqlite")
        state.record_failure("https://a.example/", "timeout", None)
        state.close()
    # a run killed before its upload: its copy knows a page the bucket's archive may lack
    state = FetchState(local / "_state" / "fetch.sqlite")
    state.record_failure("https://b.example/", "timeout", None)

    with working_copy(uri) as local:
        fresh = FetchState(local / "_state" / "fetch.sqlite")
        assert fresh.get("https://a.example/") is not None and fresh.get("https://b.example/") is None
        fresh.close()
    state.close()


def test_a_download_killed_half_way_leaves_no_file_the_next_run_trusts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    uri = "memory://copydesk-test/killed"
    blob = "raw/a.example/" + "0" * 64 + ".gz"
    store = open_store(uri)
    store.write_atomically(store.root / blob, b"the whole blob")
    with monkeypatch.context() as patch:
        patch.setattr("flows.files.os.replace", Mock(side_effect=KeyboardInterrupt))
        with pytest.raises(KeyboardInterrupt), working_copy(uri):
            pass
    assert not (local_state(uri) / blob).exists()

    with working_copy(uri) as local:
        assert (local / blob).read_bytes() == b"the whole blob"
