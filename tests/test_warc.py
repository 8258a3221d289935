"""WARC input: a small WARC built here with made-up pages, read by every installed backend."""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from flows.batch import clean_input
from flows.sources.base import InputError, RawInput
from flows.sources.local import iter_local
from flows.sources.warc import BACKENDS, decode_content, is_warc, iter_warc

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

MAX = 1_000_000


def installed(backend: str) -> bool:
    try:
        __import__(backend)
    except ImportError:
        return False
    return True


BACKEND_NAMES = [pytest.param(name, marks=pytest.mark.skipif(not installed(name), reason=f"{name} not installed"))
                 for name in BACKENDS]


def page(title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


LIBRARY = page(
    "Village Library Opens a Second Floor",
    "The village library opened its new second floor on Saturday after a year of building work.",
    "The floor holds a reading room, four study desks and a corner for children's picture books.",
    "Volunteers carried more than two thousand books up the stairs before the doors opened in the morning.",
)
BAKERY = page(
    "Bakery on Mill Street Wins Bread Prize",
    "A small bakery on Mill Street won the regional prize for its rye loaf, the judges said on Tuesday.",
    "The owners said they bake every night from three o'clock and sell out before lunch on most days.",
)
LONG = page("Canal Path Reopens", *[f"Section {n} of the canal path was resurfaced and the benches were painted "
                                    f"green, said the trust in charge of the work, number {n}." for n in range(200)])


@dataclass
class WarcBuilder:
    """Writes records with warcio and remembers where each one starts."""

    compress: bool
    buffer: io.BytesIO = field(default_factory=io.BytesIO)
    offsets: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.writer = WARCWriter(self.buffer, gzip=self.compress)

    def response(self, url: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK",
                 encoding: str | None = None) -> None:
        headers = [("Content-Type", content_type)] + ([("Content-Encoding", encoding)] if encoding else [])
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        self.offsets[url] = self.buffer.tell()
        self.writer.write_record(self.writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                                http_headers=http))

    def info(self) -> None:
        self.writer.write_record(self.writer.create_warcinfo_record("sample.warc", {"software": "copydesk tests"}))

    def request(self, url: str) -> None:
        payload = io.BytesIO(f"GET {url} HTTP/1.1\r\nHost: news.example.org\r\n\r\n".encode())
        self.writer.write_record(self.writer.create_warc_record(url, "request", payload=payload))

    def save(self, path: Path, keep: float = 1.0) -> Path:
        """`keep` < 1 cuts the last record short, as an interrupted download does."""
        data = self.buffer.getvalue()
        last = max(self.offsets.values())
        path.write_bytes(data[: last + int((len(data) - last) * keep)])
        return path


def sample_warc(folder: Path, compress: bool) -> tuple[Path, WarcBuilder]:
    warc = WarcBuilder(compress)
    warc.info()
    warc.request("https://news.example.org/library")
    warc.response("https://news.example.org/library", LIBRARY)
    warc.response("https://news.example.org/bakery", gzip.compress(BAKERY), encoding="gzip")
    warc.response("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n not really", content_type="image/png")
    warc.response("https://news.example.org/gone", page("Not Found", "No page here."), status="404 Not Found")
    warc.response("https://news.example.org/bad-gzip", b"<html>plain, not gzip</html>", encoding="gzip")
    warc.response("https://news.example.org/canal", LONG)
    name = "sample.warc.gz" if compress else "sample.warc"
    return warc.save(folder / name, keep=0.9), warc


@pytest.mark.parametrize("compress", [True, False], ids=["gzip", "plain"])
@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_html_responses_become_inputs_and_broken_records_errors(tmp_path: Path, backend: str, compress: bool) -> None:
    path, warc = sample_warc(tmp_path, compress)
    items = list(iter_warc(path, max_bytes=MAX, backend=backend))
    uri = f"warc://{path.absolute()}"
    library, bakery, bad_gzip, canal = items
    assert library == RawInput(f"{uri}#{warc.offsets['https://news.example.org/library']}", LIBRARY, "html",
                               "https://news.example.org/library", "text/html; charset=utf-8")
    assert (bakery.data, bakery.url) == (BAKERY, "https://news.example.org/bakery")
    assert bakery.source_uri == f"{uri}#{warc.offsets['https://news.example.org/bakery']}"
    assert isinstance(bad_gzip, InputError) and bad_gzip.error_class == "ContentEncodingError"
    assert bad_gzip.url == "https://news.example.org/bad-gzip"
    assert isinstance(canal, InputError) and canal.error_class == "TruncatedRecord"
    assert canal.source_uri == f"{uri}#{warc.offsets['https://news.example.org/canal']}"


def test_backends_agree(tmp_path: Path) -> None:
    if not all(installed(name) for name in BACKENDS):
        pytest.skip("needs both fastwarc and warcio")
    path, _ = sample_warc(tmp_path, compress=True)
    fast, slow = (list(iter_warc(path, max_bytes=MAX, backend=name)) for name in BACKENDS)
    assert fast == slow


@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_corrupt_stream_ends_the_file_with_one_error(tmp_path: Path, backend: str) -> None:
    warc = WarcBuilder(compress=True)
    warc.response("https://news.example.org/library", LIBRARY)
    warc.response("https://news.example.org/bakery", BAKERY)
    warc.response("https://news.example.org/canal", LONG)
    data = bytearray(warc.buffer.getvalue())
    start = warc.offsets["https://news.example.org/bakery"]
    data[start + 20: start + 60] = b"\x00" * 40  # garbage inside the second gzip member
    path = tmp_path / "corrupt.warc.gz"
    path.write_bytes(bytes(data))
    items = list(iter_warc(path, max_bytes=MAX, backend=backend))
    assert isinstance(items[0], RawInput) and items[0].data == LIBRARY
    assert isinstance(items[-1], InputError) and items[-1].error_class == "BrokenWarc"
    assert "offset 0" in items[-1].message


@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_size_cap_and_missing_file(tmp_path: Path, backend: str) -> None:
    warc = WarcBuilder(compress=True)
    warc.response("https://news.example.org/canal", LONG)
    path = warc.save(tmp_path / "big.warc.gz")
    [item] = iter_warc(path, max_bytes=1000, backend=backend)
    assert isinstance(item, InputError) and item.error_class == "TooLarge"
    [missing] = iter_warc(tmp_path / "none.warc.gz", max_bytes=MAX, backend=backend)
    assert isinstance(missing, InputError) and missing.error_class == "BrokenWarc"


def test_a_record_cleans_into_an_article(tmp_path: Path) -> None:
    path, _ = sample_warc(tmp_path, compress=True)
    library = next(iter_warc(path, max_bytes=MAX))
    article = clean_input(library)
    assert not isinstance(article, InputError), article
    assert article.title == "Village Library Opens a Second Floor"
    assert "reading room" in article.text
    assert article.url == "https://news.example.org/library"


def test_content_encodings() -> None:
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert decode_content(raw_deflate.compress(BAKERY) + raw_deflate.flush(), "deflate", MAX) == BAKERY
    assert decode_content(zlib.compress(BAKERY), "Deflate", MAX) == BAKERY
    assert decode_content(gzip.compress(gzip.compress(BAKERY)), "gzip, x-gzip", MAX) == BAKERY
    assert decode_content(BAKERY, None, MAX) == decode_content(BAKERY, "identity", MAX) == BAKERY
    brotli = pytest.importorskip("brotli")
    assert decode_content(brotli.compress(BAKERY), "br", MAX) == BAKERY


def test_is_warc() -> None:
    assert is_warc(Path("CC-NEWS-20240101.warc.gz")) and is_warc(Path("a.WARC"))
    assert not is_warc(Path("page.html.gz"))


def test_a_folder_holding_a_warc_is_read_record_by_record(tmp_path: Path) -> None:
    path, _ = sample_warc(tmp_path, compress=True)
    items = list(iter_local([str(tmp_path)], max_bytes=MAX))
    assert [item.source_uri.startswith(f"warc://{path.absolute()}#") for item in items] == [True] * 4
