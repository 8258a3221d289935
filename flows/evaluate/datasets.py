"""Reading labeled folders and running copydesk's cleaner on their pages, shared by every evaluation."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cleaners.pipeline import CleanError, clean_document
from cleaners.record import Article, DocKind, SourceDoc

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


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


def read_page(path: Path) -> str:
    """A page file as text; `.gz` files are gunzipped first."""
    data = path.read_bytes()
    return decode_page(gzip.decompress(data) if path.suffix == ".gz" else data)


def decode_page(data: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8 (legacy text almost never is), else the page's declared charset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if (declared := _META_CHARSET.search(data[:4096])) is not None:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("utf-8", errors="replace")


def clean_or_none(source_uri: str, body: str, kind: DocKind, url: str | None = None) -> Article | None:
    """None when the cleaner rejects the page: the scorers count that as an empty output."""
    try:
        return clean_document(SourceDoc(source_uri=source_uri, body=body, kind=kind, url=url))
    except CleanError:
        return None
