"""The ingest flow on a real Prefect API: every input format, bad inputs, re-runs, and readers of the output."""

import gzip
import json
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from cleaners.record import ARTICLE_SCHEMA
from flows.ingest import ingest

pytestmark = pytest.mark.usefixtures("prefect_api")

STORY = "\n\n".join([
    "Town Hall Roof Repairs Finish Early",
    "Builders finished repairing the town hall roof two weeks ahead of schedule, the mayor said on Friday.",
    "The works cost less than planned because the old slate could be reused. "
    "The council said it would continue to check the building every winter.",
    "Residents can visit the restored council chamber on Saturday.",
]) + "\n"

HTML_STORY = """<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">
<title>{title} | The Example Gazette</title>
<meta property="og:site_name" content="The Example Gazette">
<link rel="canonical" href="https://www.example-gazette.com/{slug}">
<meta property="article:published_time" content="2024-05-02T10:00:00+02:00">
</head><body><article><h1>{title}</h1>
<p>{body} The decision was announced after a long meeting of the district board on Thursday evening.</p>
<p>Officials said the new rules would apply from the first of June and would be reviewed after a year.</p>
<p>Several residents who spoke at the meeting said they welcomed the change but wanted more information.</p>
</article></body></html>"""


def html_page(slug: str, title: str, body: str, charset: str = "utf-8") -> str:
    return HTML_STORY.format(slug=slug, title=title, body=body, charset=charset)


def read_articles(out: Path) -> pl.DataFrame:
    return pl.read_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True)


def read_rejects(out: Path) -> pl.DataFrame:
    return pl.read_parquet(out / "rejects" / "**" / "*.parquet", hive_partitioning=True)


def test_every_input_format_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    (folder / "plain.txt").write_text(STORY)
    (folder / "page.html").write_text(html_page("page", "Bridge Closed for Repairs", "The old bridge is closed."))
    (folder / "nested" / "zipped.html.gz").write_bytes(
        gzip.compress(html_page("zipped", "Market Moves Indoors", "The market moves indoors.").encode())
    )
    (folder / "russian.html").write_bytes(
        html_page(
            "ru",
            "Новый мост откроют летом",
            "Строительство нового моста через реку идёт по плану. Мэр города сообщил, что движение откроют в июле.",
            charset="windows-1251",
        ).encode("cp1251")
    )
    (folder / "latin.txt").write_bytes(
        "Été chaud à Genève\n\nLa ville a connu son été le plus chaud depuis dix ans, selon les services météo. "
        "Les fontaines publiques resteront ouvertes jusqu'à minuit.\n".encode("latin-1")
    )
    (folder / "with-sidecar.txt").write_text(STORY)
    (folder / "with-sidecar.json").write_text(
        json.dumps(
            {"url": "https://news.example/roof?utm_source=x", "authors": ["Jo Smith"], "site_name": "News Example",
             "crawler": "scrapy"}
        )
    )
    (folder / "lines.jsonl").write_text(
        "\n".join(
            json.dumps(record)
            for record in [
                {
                    "url": "https://wire.example/a",
                    "title": "Rain Returns",
                    "text": "Rain returned to the valley on Monday.",
                    "published": "2024-03-01T08:00:00Z",
                    "authors": ["A. Writer"],
                    "desk": "weather",
                },
                {
                    "url": "https://wire.example/b",
                    "title": "Snow Leaves",
                    "html": "<p>The last snow melted in the hills.</p>",
                },
            ]
        )
    )

    summary = ingest([str(folder)], out=str(tmp_path / "out"))

    assert summary.totals == {"new": 8, "updated": 0, "unchanged": 0, "rejected": 0}
    rows = {Path(r["source_uri"]).name: r for r in read_articles(tmp_path / "out").to_dicts()}
    assert rows["plain.txt"]["title"] == "Town Hall Roof Repairs Finish Early"
    assert rows["russian.html"]["title"] == "Новый мост откроют летом"
    assert "Строительство нового моста" in rows["russian.html"]["text"]
    assert rows["latin.txt"]["text"].startswith("La ville a connu son été")
    assert rows["zipped.html.gz"]["title"] == "Market Moves Indoors"
    assert rows["with-sidecar.txt"]["authors"] == ["Jo Smith"]
    assert rows["with-sidecar.txt"]["url"] == "https://news.example/roof"
    assert json.loads(rows["with-sidecar.txt"]["extra_json"]) == {"crawler": "scrapy"}
    assert json.loads(rows["lines.jsonl#L1"]["extra_json"]) == {"desk": "weather"}
    assert rows["lines.jsonl#L2"]["text"] == "The last snow melted in the hills."


def test_bad_inputs_are_rejected_and_the_rest_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.html").write_bytes(b"")
    (folder / "broken-utf8.txt").write_bytes("Überschrift\n\nEin Absatz über nichts.".encode() + b"\xff\xfe\xfd")
    (folder / "truncated.txt.gz").write_bytes(gzip.compress(STORY.encode())[:-20])
    (folder / "mixed.jsonl").write_text(
        json.dumps({"title": "Kept Line", "text": "This line is a good article."})
        + "\n{not json\n"
        + json.dumps({"title": "Also Kept", "text": "So is this one."})
        + "\n"
    )
    (folder / "huge.txt").write_bytes(b"word " * (10 * 1024 * 1024))

    summary = ingest([str(folder)], out=str(tmp_path / "out"))

    assert summary.totals == {"new": 3, "updated": 0, "unchanged": 0, "rejected": 6}
    assert summary.inputs == 9
    rejects = {Path(r["source_uri"]).name: r for r in read_rejects(tmp_path / "out").to_dicts()}
    assert rejects["binary.txt"]["message"].startswith("binary content")
    assert rejects["empty.html"]["message"] == "empty document: no text in it"
    assert "invalid UTF-8" in rejects["broken-utf8.txt"]["message"]
    assert rejects["truncated.txt.gz"]["error_class"] == "TruncatedGzip"
    assert rejects["mixed.jsonl#L2"]["error_class"] == "InvalidJSON"
    assert "raise --max-bytes" in rejects["huge.txt"]["message"]
    assert {"stage", "error_class", "message", "rejected_at"} <= set(rejects["huge.txt"])


def test_rerun_adds_nothing_and_a_changed_article_updates_its_row(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY)
    (folder / "b.html").write_text(html_page("b", "Parking Fees Rise", "Parking fees will rise."))
    first = ingest([str(folder)], out=str(out))
    second = ingest([str(folder)], out=str(out))
    assert first.totals["new"] == 2
    assert second.totals == {"new": 0, "updated": 0, "unchanged": 2, "rejected": 0}

    (folder / "b.html").write_text(html_page("b", "Parking Fees Rise", "Parking fees will rise by ten percent."))
    third = ingest([str(folder)], out=str(out))

    assert third.totals == {"new": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    rows = read_articles(out)
    assert rows.height == 2
    assert rows["doc_id"].n_unique() == 2
    assert "ten percent" in rows.filter(pl.col("title") == "Parking Fees Rise")["text"][0]


def test_output_reads_in_duckdb_polars_and_pandas_with_partitions(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "p.html").write_text(html_page("p", "Ferry Fares Frozen", "Ferry fares will not rise this year."))
    (folder / "q.txt").write_text(STORY)
    ingest([str(folder)], out=str(out))

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    glob = f"{out}/articles/**/*.parquet"
    describe = f"DESCRIBE SELECT * FROM read_parquet('{glob}', hive_partitioning=true)"
    described = {name: kind for name, kind, *_ in con.execute(describe).fetchall()}
    assert described["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert described["authors"] == "VARCHAR[]"
    assert "site" in described
    site, published = con.execute(
        f"SELECT site, published_at FROM read_parquet('{glob}', hive_partitioning=true) "
        "WHERE title = 'Ferry Fares Frozen'"
    ).fetchone()
    assert (site, published.isoformat()) == ("example-gazette.com", "2024-05-02T08:00:00+00:00")

    frame = read_articles(out)
    assert frame.schema["published_at"] == pl.Datetime("us", "UTC")
    assert frame.schema["authors"] == pl.List(pl.String)

    pandas_frame = pd.read_parquet(out / "articles")
    assert str(pandas_frame["published_at"].dtype) == "datetime64[us, UTC]"
    assert set(pandas_frame["site"].astype(str)) == {"example-gazette.com", "unknown"}


def test_files_carry_schema_and_versions_and_no_temp_files_remain(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY)
    ingest([str(folder)], out=str(out))
    files = list((out / "articles").rglob("*"))
    parquet = [f for f in files if f.suffix == ".parquet"]
    assert parquet and not [f for f in files if f.name.endswith(".tmp")]
    schema = pq.read_schema(parquet[0])
    assert schema.metadata[b"copydesk.pipeline_version"]
    assert schema.remove_metadata().equals(ARTICLE_SCHEMA.remove_metadata())
    assert pq.ParquetFile(parquet[0]).metadata.row_group(0).column(0).compression == "ZSTD"


def test_flow_publishes_a_summary_artifact(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY)
    ingest([str(folder)], out=str(tmp_path / "out"))

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"]))
        )
    assert artifacts
    assert "| **all** |" in artifacts[-1].data


def test_two_cleaning_processes_write_the_same_rows_as_one(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(9):  # no paragraph shared between pages, so learned boilerplate cannot depend on batch order
        paragraphs = "".join(f"<p>Paragraph {k} of story {n}: the district board met about item {n * 10 + k}.</p>"
                             for k in range(3))
        page = f"<html><body><article><h1>Story {n}</h1>{paragraphs}</article></body></html>"
        (folder / f"p{n}.html").write_text(page)
    one = ingest([str(folder)], out=str(tmp_path / "one"), batch_size=2)
    two = ingest([str(folder)], out=str(tmp_path / "two"), batch_size=2, workers=2)
    assert one.totals == two.totals == {"new": 9, "updated": 0, "unchanged": 0, "rejected": 0}
    columns = ["doc_id", "content_sha256", "title"]
    assert read_articles(tmp_path / "one").select(columns).sort("doc_id").equals(
        read_articles(tmp_path / "two").select(columns).sort("doc_id"))


def test_per_site_overrides_from_the_sources_file_are_applied(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    page = html_page("o", "Harbour Crane Replaced", "A new crane was lifted into place on Tuesday.").replace(
        "</article>", "<p class='house-ad'>Our new cookbook of harbour recipes is out now in every good shop.</p>"
        "<p>Listen to our harbour podcast on every platform, new episodes each week.</p></article>")
    (folder / "o.html").write_text(page)
    sites = {"example-gazette.com": {"xpaths": ["//p[@class='house-ad']"], "phrases": ["harbour podcast"]}}
    ingest([str(folder)], out=str(tmp_path / "out"), sites=sites)
    row = read_articles(tmp_path / "out").to_dicts()[0]
    assert "cookbook" not in row["text"] and "podcast" not in row["text"]
    assert "A new crane was lifted" in row["text"]
    assert {"override-phrase"} <= {removal["rule"] for removal in row["removed"]}
