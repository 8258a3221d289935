"""Fuzz the local readers and decoding with atheris: arbitrary file names, suffixes and bytes.

Invariants checked on every input: iter_local and read_file never raise; every item is a RawInput
within the size cap or an InputError; decoding (to_source_doc) raises nothing but DecodeError; every
reject row, a decode failure's included, converts to the rejects table. Run it as fuzz/README.md says.
"""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from cleaners.record import rejects_table
    from flows.batch import to_reject, to_source_doc
    from flows.sources.base import InputError, RawInput
    from flows.sources.decode import DecodeError
    from flows.sources.local import iter_local, read_file

MAX_BYTES = 64  # small, so the fuzzer reaches the size caps and over-long JSON lines
SUFFIXES = ["", ".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".txt.gz", ".html.gz", ".jsonl.gz"]
WORKDIR = Path(tempfile.mkdtemp(prefix="copydesk-fuzz-"))


def file_name(fdp: atheris.FuzzedDataProvider) -> bytes:
    """Any bytes a POSIX name may hold: no '/', no NUL, not '.' or '..', at most 200 bytes."""
    raw = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 40)).replace(b"/", b"_").replace(b"\x00", b"_")
    return (raw or b"f")[:200] if raw not in (b".", b"..") else b"f"


def build(fdp: atheris.FuzzedDataProvider, folder: Path) -> None:
    for _ in range(fdp.ConsumeIntInRange(1, 3)):
        suffix = SUFFIXES[fdp.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
        body = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 3 * MAX_BYTES))
        if suffix.endswith(".gz") and fdp.ConsumeBool():
            body = gzip.compress(body)
        path = os.path.join(os.fsencode(folder), file_name(fdp) + suffix.encode())
        with open(path, "wb") as f:
            f.write(body)


def check(item: RawInput | InputError) -> None:
    if isinstance(item, InputError):
        rejects_table([to_reject(item)])
        return
    assert isinstance(item, RawInput), item
    assert len(item.data) <= MAX_BYTES, (item.source_uri, len(item.data))
    assert item.source_uri.isascii(), item.source_uri
    try:
        to_source_doc(item)
    except DecodeError as exc:
        check(InputError(item.source_uri, "decode", "DecodeError", str(exc), url=item.url))


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    folder = Path(tempfile.mkdtemp(dir=WORKDIR))
    try:
        build(fdp, folder)
        for item in iter_local([str(folder)], max_bytes=MAX_BYTES):
            check(item)
        for path in folder.iterdir():
            for item in read_file(path, max_bytes=MAX_BYTES):
                check(item)
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
