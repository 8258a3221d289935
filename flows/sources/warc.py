"""Common Crawl WARC files (CC-NEWS segments, gzipped or not): each HTML `response` record is one RawInput.

Read with FastWARC where installed and warcio otherwise; both give the same items. Records that are not
HTTP responses with an HTML content type and a 2xx status are skipped: they are not article pages. A
record that cannot be read (cut short, undecodable body, over the size cap) becomes an InputError and the
file goes on; a corrupt stream, after which no record boundary can be found, ends the file with one.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flows.sources.base import InputError, Item, RawInput

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})



@dataclass(frozen=True)
class Response:
    """One HTTP response record as either library reads it, before any check."""

    offset: int
    target_uri: str | None
    status: int
    content_type: str | None
    content_encoding: str | None
    declared_length: int  # payload bytes the record says it holds
    body: bytes  # at most max_bytes + 1 of them, still content-encoded


class BrokenWarc(OSError):
    """The stream itself is corrupt: no later record can be found."""


class ContentEncodingError(ValueError):
    """The body does not decode with the Content-Encoding its headers name."""


Reader = Callable[[Path, int], Iterator[Response]]


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def warc_uri(path: Path) -> str:
    """Like file_uri: safe for any path; a record's URI adds `#<offset of the record in the file>`."""
    return "warc://" + quote(os.fsencode(path.absolute()), safe="/")


def iter_warc(path: Path, *, max_bytes: int, backend: str | None = None) -> Iterator[Item]:
    """Every HTML response of one WARC file, read lazily; problems become InputErrors, never exceptions."""
    uri = warc_uri(path)
    last = "the start of the file"
    try:
        for response in BACKENDS[backend or default_backend()](path, max_bytes):
            last = f"the record at offset {response.offset}"
            item = to_item(response, uri, max_bytes)
            if item is not None:
                yield item
    except BrokenWarc as exc:
        yield InputError(uri, "read", "BrokenWarc", f"cannot read {path} after {last}: {exc}")


def to_item(response: Response, uri: str, max_bytes: int) -> Item | None:
    record_uri = f"{uri}#{response.offset}"
    if not (200 <= response.status < 300 and media_type(response.content_type) in HTML_TYPES):
        return None
    if len(response.body) > max_bytes:
        return _record_error(record_uri, response, "TooLarge", f"the body is over the {max_bytes:,}-byte limit; "
                             "raise --max-bytes to ingest it")
    if len(response.body) < response.declared_length:
        return _record_error(record_uri, response, "TruncatedRecord", f"the record holds {len(response.body):,} of "
                             f"the {response.declared_length:,} body bytes it declares: the file was cut short")
    try:
        data = decode_content(response.body, response.content_encoding, max_bytes)
    except ContentEncodingError as exc:
        return _record_error(record_uri, response, "ContentEncodingError", str(exc))
    return RawInput(source_uri=record_uri, data=data, format="html", url=response.target_uri,
                    content_type=response.content_type)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def decode_content(body: bytes, content_encoding: str | None, max_bytes: int) -> bytes:
    """Undo each Content-Encoding, last applied first; decompressing past max_bytes is refused, not attempted."""
    codings = [coding.strip().lower() for coding in (content_encoding or "").split(",") if coding.strip()]
    for coding in reversed(codings):
        body = _decode_one(body, coding, max_bytes)
    return body


def _decode_one(body: bytes, coding: str, max_bytes: int) -> bytes:
    if coding == "identity":
        return body
    if coding in ("gzip", "x-gzip"):
        return _inflate(body, zlib.MAX_WBITS | 16, coding, max_bytes)
    if coding == "deflate":  # servers send zlib-wrapped or raw deflate under this name
        try:
            return _inflate(body, zlib.MAX_WBITS, coding, max_bytes)
        except ContentEncodingError:
            return _inflate(body, -zlib.MAX_WBITS, coding, max_bytes)
    if coding == "br":
        return _unbrotli(body, max_bytes)
    raise ContentEncodingError(f"unsupported Content-Encoding {coding!r}")


def _inflate(body: bytes, wbits: int, coding: str, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise ContentEncodingError(f"the body is not valid {coding}: {exc}") from exc
    _check_size(data, max_bytes)
    if not inflater.eof:
        raise ContentEncodingError(f"the {coding} body ends early: the record was cut short")
    return data


def _unbrotli(body: bytes, max_bytes: int) -> bytes:
    try:
        import brotli
    except ImportError as exc:
        raise ContentEncodingError("the body is brotli-encoded and the brotli package is not installed") from exc
    try:
        data = brotli.decompress(body)  # no streaming cap in its one-shot API; the body itself is capped
    except brotli.error as exc:
        raise ContentEncodingError(f"the body is not valid br: {exc}") from exc
    _check_size(data, max_bytes)
    return data


def _check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise ContentEncodingError(f"the body decompresses to over the {max_bytes:,}-byte limit; raise --max-bytes")


def _record_error(uri: str, response: Response, kind: str, message: str) -> InputError:
    return InputError(uri, "read", kind, message, url=response.target_uri, http_status=response.status)


def read_fastwarc(path: Path, max_bytes: int) -> Iterator[Response]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    try:
        # no auto_decode: a body that fails to decode would break the iterator, not just its record
        for record in ArchiveIterator(str(path), record_types=WarcRecordType.response, fsspec_args=False):
            headers = record.http_headers
            if headers is None:  # dns: and other non-HTTP responses
                continue
            yield Response(
                offset=record.stream_pos,
                target_uri=record.headers.get("WARC-Target-URI"),
                status=headers.status_code,
                content_type=headers.get("Content-Type"),
                content_encoding=headers.get("Content-Encoding"),
                declared_length=record.content_length,
                body=_body(record.reader.read, headers.get("Content-Type"), max_bytes),
            )
    except OSError as exc:
        raise BrokenWarc(str(exc)) from exc


def read_warcio(path: Path, max_bytes: int) -> Iterator[Response]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    try:
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                headers = record.http_headers
                if record.rec_type != "response" or headers is None:
                    continue
                body = _body(record.raw_stream.read, headers.get_header("Content-Type"), max_bytes)
                yield Response(
                    offset=records.get_record_offset(),  # after the body: warcio reads the record to its end here
                    target_uri=record.rec_headers.get_header("WARC-Target-URI"),
                    status=int(headers.get_statuscode() or 0),
                    content_type=headers.get_header("Content-Type"),
                    content_encoding=headers.get_header("Content-Encoding"),
                    declared_length=record.payload_length,
                    body=body,
                )
    except (OSError, EOFError, zlib.error, ArchiveLoadFailed, StatusAndHeadersParserException) as exc:
        raise BrokenWarc(str(exc)) from exc


def _body(read: Callable[[int], bytes], content_type: str | None, max_bytes: int) -> bytes:
    """Only HTML bodies are read, and no more than one byte past the cap."""
    return read(max_bytes + 1) if media_type(content_type) in HTML_TYPES else b""


BACKENDS: dict[str, Reader] = {"fastwarc": read_fastwarc, "warcio": read_warcio}


def default_backend() -> str:
    try:
        import fastwarc  # noqa: F401
    except ImportError:
        return "warcio"
    return "fastwarc"
