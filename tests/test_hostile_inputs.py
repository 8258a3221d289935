"""Hostile inputs: each becomes a reject with a clear reason while the rest of its batch is written."""

import ast
import json
import os
import shutil
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import polars as pl
import pytest

import flows.batch as batch_module
from flows.batch import CleanLimits, clean_batch
from flows.sink import ParquetSink
from flows.sources.base import InputError, RawInput
from flows.sources.local import iter_local, read_file

ROOT = Path(__file__).resolve().parents[1]
STORY = b"Harbour Wall Rebuilt\n\nThe old harbour wall was rebuilt over the summer, the port authority said.\n"
MB = 1024 * 1024


def ingest_directly(targets: list[Path], out: Path, **kwargs) -> tuple[int, dict[str, dict], dict[str, dict]]:
    """iter_local -> clean_batch -> sink, without Prefect: (inputs, articles by file name, rejects by file name)."""
    items = list(iter_local([str(t) for t in targets], **kwargs))
    cleaned = clean_batch(items)
    ParquetSink(out).write(cleaned.articles, cleaned.rejects)
    assert len(cleaned.articles) + len(cleaned.rejects) == len(items)
    return len(items), by_name(out / "articles"), by_name(out / "rejects")


def by_name(folder: Path) -> dict[str, dict]:
    files = list(folder.rglob("*.parquet"))
    frame = pl.read_parquet(files) if files else pl.DataFrame()
    return {uri.rsplit("/", 1)[-1]: row for uri, row in zip(frame["source_uri"], frame.to_dicts(), strict=True)}


def gzip_of_zeros(size_mb: int, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """A valid gzip member of prefix + size_mb MiB of b"0" + suffix, built from one repeated deflate block,
    so a 1 GiB bomb costs a second to make and about a megabyte on disk."""
    chunk = b"0" * MB
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = block.compress(chunk) + block.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = tail.compress(suffix) + tail.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    for _ in range(size_mb):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    length = (len(prefix) + size_mb * MB + len(suffix)) & 0xFFFFFFFF
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + start + repeated * size_mb + end + struct.pack("<II", crc, length)


def peak_memory(action) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_hostile_files_are_rejected_with_reasons_and_the_rest_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(STORY)
    shutil.copy("/bin/true", folder / "program")
    shutil.copy("/bin/true", folder / "program.html")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with zipfile.ZipFile(folder / "archive.html", "w") as archive:
        archive.writestr("page.html", "<p>hello</p>")
    (folder / "zero.html").write_bytes(b"")
    (folder / "nul.txt").write_bytes(b"Some text\x00with NUL bytes\x00 in it")
    (folder / "invalid.txt").write_bytes("Überschrift\n\nEin Absatz.".encode() + b"\xff\xfe\xfd")
    (folder / "mixed.txt").write_bytes("Café au lait in Zürich\n\n".encode() + "Café crème à Genève".encode("latin-1"))
    (folder / "deep.html").write_bytes(b"<html><body>" + b"<div>" * 100_000 + b"<p>Deep text.</p>"
                                       + b"</div>" * 100_000 + b"</body></html>")
    (folder / "nested.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    (folder / "lines.jsonl").write_bytes(b'{"title": "Kept", "text": "A good line about the harbour wall."}\n'
                                         b'{"text": "raw \x00 NUL"}\n\x00\x00\x00\n'
                                         b'{"title": "Escaped NUL", "text": "text \\u0000 here"}\n'
                                         b'{"title": "Lone \\ud800 surrogate", "text": "A line about the harbour."}\n')
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")
    (folder / "sub").mkdir()
    (folder / "sub" / "back-up").symlink_to(folder, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")

    inputs, articles, rejects = ingest_directly([folder], tmp_path / "out")

    assert set(articles) == {"good.txt", "lines.jsonl#L1", "lines.jsonl#L5"}
    reasons = {name: f"{row['error_class']}: {row['message']}" for name, row in rejects.items()}
    assert "ELF executable" in reasons["program"] and "ELF executable" in reasons["program.html"]
    assert "PNG image" in reasons["image.txt"] and "ZIP archive" in reasons["archive.html"]
    assert reasons["zero.html"] == "DecodeError: empty document: no text in it"
    assert "NUL bytes" in reasons["nul.txt"] and "NUL bytes" in reasons["lines.jsonl#L4"]
    assert "invalid UTF-8" in reasons["invalid.txt"] and "mixed encodings" in reasons["mixed.txt"]
    assert reasons["deep.html"].startswith("CleanError")
    assert reasons["nested.json"].startswith("InvalidJSON")
    assert reasons["lines.jsonl#L2"].startswith("InvalidJSON") and reasons["lines.jsonl#L3"].startswith("InvalidJSON")
    assert "link loop" in reasons["loop-a"] and "link loop" in reasons["loop-b"]
    assert "not followed" in reasons["back-up"] and "not a regular file" in reasons["pipe.txt"]
    assert articles["lines.jsonl#L5"]["title"] == "Lone \ufffd surrogate"
    assert inputs == len(articles) + len(rejects) == 20


def test_odd_file_names_are_read_and_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    odd = [b"new\nline.txt", b"latin-\xe9t\xe9.txt", b"big-\xff\xfe.txt", b"tab\tand space .txt"]
    for name in odd:
        with open(os.path.join(os.fsencode(folder), name), "wb") as f:
            f.write(STORY if not name.startswith(b"big") else STORY * 10)

    inputs, articles, rejects = ingest_directly([folder], tmp_path / "out", max_bytes=len(STORY))

    assert (inputs, len(articles), len(rejects)) == (4, 3, 1)
    assert {"new%0Aline.txt", "latin-%E9t%E9.txt", "tab%09and%20space%20.txt"} == set(articles)
    # the path in the message keeps its undecodable bytes visible, as escapes Parquet can store
    assert "big-\\udcff\\udcfe.txt" in rejects["big-%FF%FE.txt"]["message"]


def test_a_200_mb_single_line_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    with open(path, "wb") as f:
        for _ in range(200):
            f.write(b"word " * (MB // 5))
    items, peak = peak_memory(lambda: list(read_file(path)))
    path.unlink()

    assert [(i.error_class, "raise --max-bytes" in i.message) for i in items] == [("TooLarge", True)]
    assert peak < MB


def test_a_gzip_bomb_is_read_only_up_to_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip_of_zeros(1024))
    assert path.stat().st_size < 2 * MB

    items, peak = peak_memory(lambda: list(read_file(path, max_bytes=MB)))

    assert [i.error_class for i in items] == ["TooLarge"] and "after decompression" in items[0].message
    assert peak < 8 * MB


@pytest.mark.parametrize("sparse", [False, True], ids=["gzip", "sparse"])
def test_a_1_gb_json_line_is_refused_at_the_cap(tmp_path: Path, sparse: bool) -> None:
    good = json.dumps({"title": "After", "text": "The line after the long one."}).encode() + b"\n"
    if sparse:
        path = tmp_path / "long.jsonl"
        with open(path, "wb") as f:
            f.write(b'{"text": "')
            f.seek(1024 * MB)
            f.write(b'"}\n' + good)
    else:
        path = tmp_path / "long.jsonl.gz"
        path.write_bytes(gzip_of_zeros(1024, prefix=b'{"text": "', suffix=b'"}\n' + good))

    items, peak = peak_memory(lambda: list(read_file(path, max_bytes=MB)))

    assert [(i.error_class, i.source_uri.rsplit("#", 1)[1]) for i in items] == [("TooLarge", "L1"), ("TooLarge", "L2-")]
    assert "lines after line 1 were not read" in items[1].message
    assert peak < 8 * MB


def slow_batch() -> list[RawInput]:
    paragraph = b"<p>" + b"The council met on Friday to discuss the budget for the town and its schools. " * 5 + b"</p>"
    slow = b"<html><body><article>" + paragraph * (12 * MB // len(paragraph)) + b"</article></body></html>"
    return [RawInput("a", STORY, "text"), RawInput("slow", slow, "html"), RawInput("b", STORY + b"More.", "text")]


def test_a_page_over_the_time_limit_is_rejected_and_the_batch_goes_on() -> None:
    items = slow_batch()

    batch = clean_batch(items, CleanLimits(seconds_per_document=1))

    assert [a.source_uri for a in batch.articles] == ["a", "b"]
    assert [(r.source_uri, r.error_class) for r in batch.rejects] == [("slow", "TimeLimit")]
    assert "raise the time limit" in batch.rejects[0].message


def test_a_page_over_the_time_limit_inside_a_chunk_is_rejected_and_the_rest_of_the_chunk_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batch_module, "_CHUNK_BYTES", 64 * MB)  # the three documents travel in one message
    items = slow_batch()

    batch = clean_batch(items, CleanLimits(seconds_per_document=1))

    assert [a.source_uri for a in batch.articles] == ["a", "b"]
    assert [(r.source_uri, r.error_class) for r in batch.rejects] == [("slow", "TimeLimit")]


def test_a_page_over_the_memory_limit_is_rejected_and_the_batch_goes_on() -> None:
    tags = b"<html><body>" + b"<p>a" * (4 * MB) + b"</body></html>"
    items = [RawInput("tags", tags, "html"), RawInput("a", STORY, "text")]

    batch = clean_batch(items, CleanLimits(seconds_per_document=300, memory_bytes=700 * MB))

    assert [a.source_uri for a in batch.articles] == ["a"]
    assert [r.source_uri for r in batch.rejects] == ["tags"]


def test_a_cleaning_worker_killed_from_outside_is_replaced() -> None:
    limits = CleanLimits(seconds_per_document=30)
    assert len(clean_batch([RawInput("a", STORY, "text")], limits).articles) == 1
    for worker in [w for w in batch_module._idle if w.limits == limits]:
        worker._process.kill()  # as the kernel's OOM killer would
        worker._process.wait()

    batch = clean_batch([RawInput("b", STORY, "text")], limits)

    assert [a.source_uri for a in batch.articles] == ["b"]


def test_entities_and_scripts_in_pages_are_never_resolved_or_run(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    marker = tmp_path / "ran"
    page = (f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            '<html><body><article><h1>Entities</h1><p>Start &xxe; end of the first paragraph here.</p>'
            '<p>Laughs &lol2; and more words in the second paragraph.</p>'
            f'<script>__import__("os").system("touch {marker}")</script>'
            f'<img src="file://{secret}" onerror="touch {marker}"></article></body></html>').encode()

    batch = clean_batch([RawInput("page", page, "html")])

    text = " ".join(a.text for a in batch.articles) + " ".join(r.message for r in batch.rejects)
    assert "TOP-SECRET-VALUE" not in text and "lollollol" not in text
    assert not marker.exists()


def test_no_eval_or_exec_in_the_code_that_reads_and_cleans_pages() -> None:
    calls = []
    for path in [*ROOT.glob("flows/**/*.py"), *ROOT.glob("cleaners/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"eval", "exec", "compile"}:
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls == []


def test_input_errors_never_escape_the_readers(tmp_path: Path) -> None:
    targets = ["bad\x00name.txt", "x" * 5000, str(tmp_path / "missing"), str(tmp_path / "nothing-*.txt"), "/dev/zero"]
    items = list(iter_local(targets))
    assert len(items) == len(targets) and all(isinstance(i, InputError) for i in items)


@pytest.mark.usefixtures("prefect_api")
def test_every_input_of_a_flow_run_is_written_unchanged_or_rejected(tmp_path: Path) -> None:
    from flows.ingest import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"story-{n}.txt").write_bytes(STORY.replace(b"summer", f"summer of {2020 + n}".encode()))
    (folder / "copy.txt").write_bytes(STORY)
    shutil.copy("/bin/true", folder / "program")
    (folder / "zero.html").write_bytes(b"")
    (folder / "lines.jsonl").write_bytes(b'{"title": "Kept", "text": "A good line about the harbour wall."}\n{bad\n')
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "bomb.txt.gz").write_bytes(gzip_of_zeros(64))
    expected_inputs = len(list(iter_local([str(folder)], max_bytes=MB)))

    runs = [ingest([str(folder)], out=str(tmp_path / "out"), batch_size=3, max_bytes=MB) for _ in range(2)]

    for summary in runs:
        assert summary.inputs == expected_inputs == 10
        assert sum(summary.totals.values()) == summary.inputs
    assert runs[0].totals["rejected"] == runs[1].totals["rejected"] == 5
    assert runs[1].totals["new"] == runs[1].totals["updated"] == 0


def test_one_stray_byte_in_a_large_utf8_page_keeps_the_page() -> None:
    from flows.sources.decode import decode_bytes

    body = ("Ein Absatz über den Hafen und die Fähre, die wieder fährt. " * 400).encode()
    text = decode_bytes(body[:9000] + b"\xff" + body[9000:], html=False)
    assert text.count("\ufffd") == 1 and "Fähre" in text
