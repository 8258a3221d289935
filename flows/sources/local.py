"""Local inputs: files, folders (recursive) and globs of text, HTML, gzip, JSON and JSON Lines."""

from __future__ import annotations

import glob
import gzip
import json
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from flows.sources.base import InputError, InputFormat, Item, RawInput
from flows.sources.warc import is_warc, iter_warc

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# how far past the cap an over-long JSON line is skipped to reach the next line before the file is given up
SKIP_LINE_FACTOR = 16
SIDECAR_MAX_BYTES = 1_000_000
_READ_PIECE = 64 * 1024  # small enough that a read of it costs what reading a small file does
KNOWN_FIELDS = (
    "url",
    "title",
    "published",
    "date",
    "authors",
    "author",
    "site_name",
    "language",
    "description",
    "section",
    "tags",
    "modified",
)
_SUFFIX_FORMATS: dict[str, InputFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_BODY_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
_GLOB_CHARS = set("*?[")



def iter_local(targets: list[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Every input file, expanded and read lazily; each problem becomes an InputError, never an exception."""
    for target in targets:
        for path in _expand(target):
            if isinstance(path, InputError):
                yield path
            elif not _is_sidecar(path):
                yield from (iter_warc if is_warc(path) else read_file)(path, max_bytes=max_bytes)


def file_uri(path: Path) -> str:
    """A stable URI for a local path, safe for paths with newlines or non-UTF-8 bytes."""
    return "file://" + quote(os.fsencode(path.absolute()), safe="/")


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    uri = file_uri(path)
    if problem := _not_readable(path, uri, max_bytes):
        yield problem
        return
    name = path.name.lower().removesuffix(".gz")
    fmt = _SUFFIX_FORMATS.get(Path(name).suffix)
    if fmt == "jsonl" or name.endswith(".json"):
        yield from _read_json_records(path, uri, max_bytes, lines=fmt == "jsonl")
        return
    try:
        data = _read_capped(path, max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        yield _read_error(uri, exc)
        return
    hints, extra = split_fields(_sidecar(path))
    yield RawInput(source_uri=uri, data=data, format=fmt or sniff_format(data), hints=hints, extra=extra)


def sniff_format(data: bytes) -> InputFormat:
    head = data[:4096].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or head.count(b"<p") + head.count(b"<div") >= 2:
        return "html"
    return "text"


class TooLarge(OSError):
    """An input over the size cap; the message names the cap and how to raise it."""


def _not_readable(path: Path, uri: str, max_bytes: int) -> InputError | None:
    """Checks that need no read: a FIFO or device would block or never end, a big plain file is refused unread."""
    try:
        if not path.is_file():
            return InputError(uri, "read", "NotAFile", f"{path} is not a regular file (a folder, device, FIFO or "
                              "broken link); pass regular files or folders")
        size = path.stat().st_size
        if size > max_bytes and not _is_gzip(path) and not _is_json_lines(path):
            return _read_error(uri, TooLarge(f"{path} is {size:,} bytes, over the {max_bytes:,}-byte limit; "
                                             "raise --max-bytes to ingest it"))
    except (OSError, ValueError) as exc:
        return _read_error(uri, exc)
    return None


def _is_json_lines(path: Path) -> bool:
    return _SUFFIX_FORMATS.get(Path(path.name.lower()).suffix) == "jsonl"


def _open(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip whatever its name."""
    return gzip.open(path, "rb") if _is_gzip(path) else open(path, "rb")


def _read_capped(path: Path, max_bytes: int) -> bytes:
    with _open(path) as f:
        data = _read_up_to(f, max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(
            f"{path} is over the {max_bytes:,}-byte limit (after decompression); raise --max-bytes to ingest it"
        )
    return data


def _read_up_to(f: BinaryIO, limit: int) -> bytes:
    """What f.read(limit) gives, in pieces: that call allocates all `limit` bytes first, 20 MB for a 6 kB page."""
    pieces: list[bytes] = []
    while limit > 0 and (piece := f.read(min(limit, _READ_PIECE))):
        pieces.append(piece)
        limit -= len(piece)
    return b"".join(pieces)


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _read_json_records(path: Path, uri: str, max_bytes: int, *, lines: bool) -> Iterator[Item]:
    try:
        if lines:
            with _open(path) as f:
                yield from _json_lines(f, uri, max_bytes)
            return
        data = _read_capped(path, max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        yield _read_error(uri, exc)
        return
    yield from _json_document(data, uri)


def _json_lines(f: Any, uri: str, max_bytes: int) -> Iterator[Item]:
    """One item per non-blank line; memory stays within the cap whatever the line lengths."""
    number = 0
    try:
        while line := f.readline(max_bytes + 1):
            number += 1
            if len(line) > max_bytes and not line.endswith(b"\n"):
                yield InputError(f"{uri}#L{number}", "read", "TooLarge",
                                 f"line {number} is over the {max_bytes:,}-byte limit; raise --max-bytes")
                if not _skip_rest_of_line(f, max_bytes, SKIP_LINE_FACTOR * max_bytes):
                    yield InputError(f"{uri}#L{number + 1}-", "read", "TooLarge",
                                     f"lines after line {number} were not read: that line runs on past "
                                     f"{SKIP_LINE_FACTOR}x the limit; split the file or raise --max-bytes")
                    return
            elif line.strip():
                yield _json_record(line, f"{uri}#L{number}")
    except (OSError, EOFError, zlib.error) as exc:
        # lines already read stay; the error names the line where reading stopped
        yield _read_error(f"{uri}#L{number + 1}", exc)


def _skip_rest_of_line(f: Any, chunk: int, budget: int) -> bool:
    """True once past the end of the line, False when the budget ran out first."""
    while budget > 0:
        part = f.readline(chunk)
        if not part or part.endswith(b"\n"):
            return True
        budget -= len(part)
    return False


def _json_document(data: bytes, uri: str) -> Iterator[Item]:
    try:
        parsed = _loads(data)
    except (ValueError, RecursionError) as exc:
        yield InputError(uri, "read", "InvalidJSON", f"not valid JSON: {exc or 'nested too deeply'}")
        return
    records = parsed if isinstance(parsed, list) else [parsed]
    for index, record in enumerate(records):
        yield record_input(record, f"{uri}#{index}" if isinstance(parsed, list) else uri)


def _json_record(line: bytes, uri: str) -> Item:
    try:
        record = _loads(line)
    except (ValueError, RecursionError) as exc:
        return InputError(uri, "read", "InvalidJSON", f"malformed JSON line: {exc or 'nested too deeply'}")
    return record_input(record, uri)


def _loads(data: bytes) -> Any:
    """json.loads, with lone surrogates (legal as JSON escapes, unstorable as text) replaced by U+FFFD."""
    parsed = json.loads(data)
    return _without_surrogates(parsed) if b"\\u" in data else parsed


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if not value.isascii() else value
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(key): _without_surrogates(item) for key, item in value.items()}
    return value


def record_input(record: Any, uri: str) -> Item:
    """One article given as a JSON object: `html` or `text` is the body, known fields are metadata."""
    if not isinstance(record, dict):
        return InputError(uri, "read", "InvalidRecord", "expected a JSON object with a `text` or `html` field")
    body_field = "html" if isinstance(record.get("html"), str) else "text"
    body = record.get(body_field)
    if not isinstance(body, str) or not body.strip():
        return InputError(uri, "read", "EmptyRecord", "record has no non-empty `text` or `html` field")
    hints, extra = split_fields({key: value for key, value in record.items() if key not in ("html", "text")})
    fmt: InputFormat = "html" if body_field == "html" else "text"
    return RawInput(
        source_uri=uri,
        data=body.encode("utf-8"),
        format=fmt,
        url=hints.get("url"),
        hints=hints,
        extra=extra,
    )


def split_fields(record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Known metadata fields become hints; every other field is kept as extra, never dropped."""
    hints = {key: record[key] for key in KNOWN_FIELDS if record.get(key) not in (None, "", [])}
    extra = {key: value for key, value in record.items() if key not in KNOWN_FIELDS}
    if "url" in hints and not isinstance(hints["url"], str):
        extra["url"] = hints.pop("url")  # kept, but never used as an address
    return hints, extra


def _sidecar(path: Path) -> dict[str, Any]:
    sidecar = _sidecar_of(path)
    try:
        if not sidecar.is_file():
            return {}
        with open(sidecar, "rb") as f:
            record = _loads(_read_up_to(f, SIDECAR_MAX_BYTES))
    except (OSError, ValueError, RecursionError):
        return {}  # a sidecar only adds metadata: without it the page is still ingested
    return record if isinstance(record, dict) else {}


def _sidecar_of(path: Path) -> Path:
    stem = path.name.removesuffix(".gz")
    return path.with_name(Path(stem).stem + ".json")


def _is_sidecar(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    return any(
        path.with_suffix(suffix).exists() or path.with_suffix(suffix + ".gz").exists() for suffix in _BODY_SUFFIXES
    )


def _expand(target: str) -> Iterator[Path | InputError]:
    try:
        if _GLOB_CHARS & set(target):
            yield from _expand_glob(target)
        else:
            yield from _expand_path(Path(target))
    except (OSError, ValueError) as exc:  # names with NUL bytes or over the length limit
        yield InputError(_safe_uri(target), "read", type(exc).__name__, f"cannot read {target!r}: {exc}")


def _expand_glob(target: str) -> Iterator[Path | InputError]:
    """Each file once: a recursive glob through a symlinked folder would find the same files again."""
    seen: set[str] = set()
    matches = sorted(glob.glob(target, recursive=True))
    if not matches:
        yield InputError(target, "read", "FileNotFoundError", f"no file matches {target!r}")
    for match in matches:
        real = os.path.realpath(match)
        if real not in seen:
            seen.add(real)
            yield from _expand_path(Path(match))


def _expand_path(path: Path) -> Iterator[Path | InputError]:
    if path.is_dir():
        yield from _walk(path)
    elif path.is_file():
        yield path
    else:
        yield InputError(file_uri(path), "read", "FileNotFoundError", f"{path} does not exist or is not a regular file")


def _walk(root: Path) -> Iterator[Path | InputError]:
    """Sorted and without following symlinked folders, so link loops cannot recurse forever; each
    skipped link and unreadable folder is reported, so every entry of the folder is accounted for."""
    failures: list[OSError] = []
    for folder, dirs, files in os.walk(root, followlinks=False, onerror=failures.append):
        yield from (_unreadable_folder(exc) for exc in failures)
        failures.clear()
        for name in sorted(d for d in dirs if not d.startswith(".") and Path(folder, d).is_symlink()):
            path = Path(folder, name)
            yield InputError(file_uri(path), "read", "SymlinkedFolder", f"{path} is a link to a folder and is not "
                             "followed, so link loops cannot recurse; pass its target to ingest it")
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not Path(folder, d).is_symlink())
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(folder, name)
                yield (
                    path
                    if path.is_file()
                    else InputError(file_uri(path), "read", "NotAFile",
                                    f"{path} is a broken link, a link loop or not a regular file")
                )
    yield from (_unreadable_folder(exc) for exc in failures)


def _unreadable_folder(exc: OSError) -> InputError:
    where = Path(exc.filename) if exc.filename else Path(".")
    return InputError(file_uri(where), "read", type(exc).__name__, f"cannot list folder {where}: {exc.strerror}")


def _safe_uri(target: str) -> str:
    return quote(target.encode("utf-8", "surrogateescape"), safe="/:")


def _read_error(uri: str, exc: BaseException) -> InputError:
    kind = "TruncatedGzip" if isinstance(exc, EOFError) else type(exc).__name__
    return InputError(uri, "read", kind, f"cannot read {uri}: {exc}")
