"""Reading labeled folders and running copydesk's cleaner on their pages, shared by every evaluation."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Sized
from pathlib import Path
from typing import Any

from cleaners.record import Article
from flows.batch import clean_input
from flows.sources.base import InputError, InputFormat, RawInput


class NoCases(ValueError):
    """The folder (or the chosen split of it) holds no labelled case: scoring nothing would print zeros."""


def require_cases(cases: Sized, folder: Path, split: str | None) -> None:
    if not cases:
        raise NoCases(f"no labelled cases in {folder}" + (f" for split {split!r}" if split else ""))


def dataset_dir(path: Path, split: str | None) -> Path:
    """`--split dev` accepts both the split folder itself and its parent (../shared/data/extraction)."""
    return path / split if split and (path / split).is_dir() else path


def in_split(record: dict[str, Any], split: str | None) -> bool:
    """Records without a `split` field belong to every split."""
    return split is None or record.get("split", split) == split


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def read_bytes(path: Path) -> bytes:
    """A page file's bytes; `.gz` files are gunzipped."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def clean_file(path: Path, kind: InputFormat, url: str | None = None) -> Article | InputError:
    """Decode and clean one page exactly as `copydesk ingest` does; a failure becomes the page's InputError."""
    return clean_input(RawInput(source_uri=str(path), data=read_bytes(path), format=kind, url=url))


def reason(error: InputError) -> str:
    return f"{error.stage}: {error.error_class}: {error.message}"
