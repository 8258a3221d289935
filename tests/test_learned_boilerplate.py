"""Learned site boilerplate across runs: persisted beside the dataset, per site, never from one document."""

import json
from pathlib import Path

import polars as pl
import pytest

from flows.ingest import ingest

pytestmark = pytest.mark.usefixtures("prefect_api")
FOOTER = "Tips for our reporters go to the tips desk at the harbour office, open every weekday."


def page(domain: str, n: int, footer: str = FOOTER) -> dict[str, str]:
    body = (f"Story number {n} from the quay: the ferry schedule changed again this week.\n\n"
            f"Officials gave detail {n} about the new timetable and the repairs.\n\n{footer}")
    return {"url": f"https://www.{domain}/story-{n}", "title": f"Story {n}", "text": body}


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


def test_a_paragraph_repeated_across_a_sites_pages_is_removed_and_remembered(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = write_jsonl(tmp_path / "first.jsonl", [page("quay-news.com", n) for n in range(3)]
                        + [page("other-wire.com", 0)])
    ingest(inputs=[str(first)], out=str(out))
    later = write_jsonl(tmp_path / "later.jsonl", [page("quay-news.com", 9)])
    ingest(inputs=[str(later)], out=str(out))

    rows = pl.read_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True)
    by_url = {row["url"]: row for row in rows.to_dicts()}
    assert FOOTER not in by_url["https://www.quay-news.com/story-9"]["text"]
    assert FOOTER not in by_url["https://www.quay-news.com/story-0"]["text"]
    assert any(r["rule"] == "learned-boilerplate" for r in by_url["https://www.quay-news.com/story-9"]["removed"])
    assert FOOTER in by_url["https://www.other-wire.com/story-0"]["text"]
    assert sorted(path.name for path in (out / "_state" / "boilerplate").iterdir()) == [
        "other-wire.com.json",
        "quay-news.com.json",
    ]


def test_one_document_never_teaches_boilerplate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest(inputs=[str(write_jsonl(tmp_path / "a.jsonl", [page("solo-news.com", 1)]))], out=str(out))
    ingest(inputs=[str(write_jsonl(tmp_path / "a.jsonl", [page("solo-news.com", 1)]))], out=str(out))
    text = pl.read_parquet(out / "articles" / "**" / "*.parquet")["text"][0]
    assert FOOTER in text
