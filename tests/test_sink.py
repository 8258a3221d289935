"""The Parquet sink on its own: upserts, journal replay, and output paths that never leave the root."""

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow.dataset as ds
import pytest

from cleaners.record import PIPELINE_VERSION, Article, Reject
from flows.files import sync_to_disk
from flows.sink import UNKNOWN_SITE, Change, ParquetSink, partition_of, sanitize_partition_value
from flows.storage import UnsafePathError


def article(n: int, *, domain: str | None = "example.com", text: str | None = None, year: int | None = 2024) -> Article:
    body = text or f"Story number {n} about the town council."
    return Article(
        doc_id=f"{n:032x}",
        url=f"https://{domain}/{n}" if domain else None,
        fetched_url=None,
        source_uri=f"file:///in/{n}.txt",
        site_name=None,
        domain=domain,
        title=f"Story {n}",
        authors=[],
        agencies=[],
        published_at=datetime(year, 5, 1, tzinfo=UTC) if year else None,
        published_precision="day" if year else None,
        published_offset_min=None,
        modified_at=None,
        date_source=None,
        language="en",
        language_confidence=None,
        description=None,
        section=None,
        tags=[],
        text=body,
        word_count=len(body.split()),
        content_sha256=hashlib.sha256(body.encode()).hexdigest(),
        removed=[],
        extra_json=None,
        ingested_at=datetime.now(UTC),
        pipeline_version=PIPELINE_VERSION,
        rules_version="test",
    )


def reject(name: str) -> Reject:
    return Reject(
        source_uri=f"file:///in/{name}",
        url=None,
        stage="read",
        error_class="TooLarge",
        message="too large",
        http_status=None,
        rejected_at=datetime.now(UTC),
    )


def rows(out: Path) -> pl.DataFrame:
    return pl.read_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True)


def visible_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]


def test_upsert_replaces_a_changed_row_and_keeps_one_row_per_doc(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path)
    first = sink.write([article(1), article(2)], [reject("a")])
    second = sink.write([article(1), article(2, text="Story two, corrected.")], [reject("a"), reject("b")])

    assert (first.new, second.unchanged, second.updated) == ([f"{1:032x}", f"{2:032x}"], [f"{1:032x}"], [f"{2:032x}"])
    assert (first.rejects_written, second.rejects_written) == (1, 1)
    frame = rows(tmp_path)
    assert frame.height == 2 and frame["doc_id"].n_unique() == 2
    assert "corrected" in frame.filter(pl.col("doc_id") == f"{2:032x}")["text"][0]


def test_a_second_sink_sees_the_first_ones_rows(tmp_path: Path) -> None:
    ParquetSink(tmp_path).write([article(1)], [])
    outcome = ParquetSink(tmp_path).write([article(1), article(2)], [])
    assert (len(outcome.new), len(outcome.unchanged)) == (1, 1)


def test_a_left_over_journal_is_finished_by_the_next_write_of_an_open_sink(tmp_path: Path) -> None:
    writer, other = ParquetSink(tmp_path), ParquetSink(tmp_path)
    writer.write([article(1)], [])
    old_file = next((tmp_path / "articles").rglob("part-*.parquet"))
    # what a writer killed right after its journal leaves: a staged file, a journal, the old row in place
    staged = other.temp_path(old_file.with_name("part-new.parquet"))
    staged.write_bytes(old_file.read_bytes())
    journal = {
        "moves": [[str(staged), str(old_file.with_name("part-new.parquet"))]],
        "drop": {},
        "delete": [str(old_file.relative_to(tmp_path))],
    }
    (tmp_path / "_journal" / "left-over.json").write_text(json.dumps(journal))

    outcome = other.write([article(1)], [])

    assert outcome.unchanged == [f"{1:032x}"]
    assert not list((tmp_path / "_journal").iterdir())
    assert [p.name for p in (tmp_path / "articles").rglob("*.parquet")] == ["part-new.parquet"]


def record_syncs(monkeypatch: pytest.MonkeyPatch, out: Path) -> list[tuple[list[Path], list[str]]]:
    """Each sync of the local store: the paths it made durable, and the journals there were at that moment."""
    syncs: list[tuple[list[Path], list[str]]] = []

    def record(paths: list[Path]) -> None:
        paths = list(paths)
        sync_to_disk(paths)
        syncs.append((paths, [p.name for p in (out / "_journal").iterdir()]))

    monkeypatch.setattr("flows.storage.sync_to_disk", record)
    return syncs


def test_a_batch_syncs_twice_its_files_before_its_journal_and_their_names_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = ParquetSink(tmp_path)
    syncs = record_syncs(monkeypatch, tmp_path)
    sink.write([article(1)], [reject("a")])

    (temps, journals_before), (folders, journals_after) = syncs
    assert len(temps) == 2 and all(p.name.endswith(".tmp") for p in temps) and journals_before == []
    assert all(p.is_dir() for p in folders) and len(journals_after) == 1
    assert rows(tmp_path).height == 1 and len(visible_files(tmp_path / "rejects")) == 1


def test_a_replayed_journal_syncs_the_dead_writers_files_before_renaming_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = ParquetSink(tmp_path)
    staged = sink.temp_path(tmp_path / "articles" / "site=example.com" / "part-new.parquet")
    staged.parent.mkdir(parents=True)
    staged.write_bytes(b"rows of a dead writer")
    journal = {"moves": [[str(staged), str(staged.with_name("part-new.parquet"))]], "drop": {}, "delete": []}
    (tmp_path / "_journal" / "left-over.json").write_text(json.dumps(journal))
    syncs = record_syncs(monkeypatch, tmp_path)

    ParquetSink(tmp_path)

    assert syncs[0] == ([staged], ["left-over.json"])
    assert staged.with_name("part-new.parquet").read_bytes() == b"rows of a dead writer"


def test_temporary_files_of_a_dead_writer_are_invisible_and_swept(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path)
    sink.write([article(1)], [])
    final = next((tmp_path / "articles").rglob("part-*.parquet"))
    sink.temp_path(final.with_name("part-x.parquet")).write_bytes(b"PAR1 half a file")

    assert ds.dataset(tmp_path / "articles", partitioning="hive").to_table().num_rows == 1
    assert rows(tmp_path).height == 1
    ParquetSink(tmp_path)
    assert not [p for p in tmp_path.rglob(".*.tmp")]


@pytest.mark.parametrize(
    "hostile",
    [
        "../../etc",
        "..",
        ".",
        "a/b",
        "/abs",
        "a\\b",
        "%2e%2e",
        "x/../../y",
        "",
        None,
        "ÄÖ.example",
        "a" * 300,
        "\x00",
        "..\u2215..",
        "site=evil/year=1",
    ],
)
def test_partition_values_from_pages_never_leave_the_root(tmp_path: Path, hostile: str | None) -> None:
    out = tmp_path / "out"
    ParquetSink(out).write([article(1, domain=hostile)], [])

    value = sanitize_partition_value(hostile)
    assert "/" not in value and "\\" not in value and value.strip(".") == value and value not in ("", ".", "..")
    assert all(p.resolve().is_relative_to(out.resolve()) for p in tmp_path.rglob("*"))
    assert partition_of(article(1, domain=None)) == f"site={UNKNOWN_SITE}"
    assert rows(out).height == 1


def test_the_sink_refuses_any_path_outside_its_root(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path / "out")
    (tmp_path / "victim.parquet").write_bytes(b"keep me")
    for escape in [tmp_path / "victim.parquet", Path("../victim.parquet"), Path("articles/../../victim.parquet")]:
        with pytest.raises(UnsafePathError, match="outside the dataset root"):
            sink.commit(Change(deletes=[escape]))
    (tmp_path / "out" / "_journal" / "evil.json").write_text(
        json.dumps({"moves": [], "drop": {}, "delete": ["../victim.parquet"]})
    )
    with pytest.raises(UnsafePathError):
        ParquetSink(tmp_path / "out")
    assert (tmp_path / "victim.parquet").read_bytes() == b"keep me"


def test_a_symlinked_partition_folder_cannot_redirect_writes(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    ParquetSink(out)
    (out / "articles" / "site=example.com").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError):
        ParquetSink(out).write([article(1)], [])
    assert not list(outside.iterdir())


def test_rejects_are_written_once_per_failure(tmp_path: Path) -> None:
    sink = ParquetSink(tmp_path)
    sink.write([], [reject("a"), reject("a"), replace(reject("b"), message="other")])
    sink.write([], [reject("a")])
    assert pl.read_parquet(tmp_path / "rejects" / "**" / "*.parquet").height == 2
    assert all(p.suffix == ".parquet" for p in visible_files(tmp_path / "rejects"))


def test_sync_to_disk_takes_files_and_folders(tmp_path: Path) -> None:
    written = tmp_path / "part.parquet"
    written.write_bytes(b"rows")
    sync_to_disk([written, tmp_path])
    assert written.read_bytes() == b"rows"
