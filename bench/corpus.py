"""Bench inputs: the shared dev pages (read in place) and generated text corpora in a temporary folder."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
HTML_DIR = SHARED / "extraction" / "dev" / "html"
SEED_TEXT = SHARED / "seed" / "moscow-times-2022-02-15.txt"

# Short on purpose: the memory runs go to 100k documents and must stay affordable.
SHORT_ARTICLE = """Harbour Ferry Returns After Winter Repairs

The small ferry that links the harbour to the island returned to service on Monday after three months of repairs.

Engineers replaced the engine and the deck boards, and the operator said crossings would run every half hour.

Local shops on the island said they expected more visitors now that the boat was back.
"""


def html_pages(limit: int | None = None) -> list[Path]:
    pages = sorted(HTML_DIR.glob("*.html.gz"))
    if not pages:
        raise SystemExit(f"no pages under {HTML_DIR}: the bench needs ../shared beside the repo")
    return pages[:limit]


def text_files(folder: Path, count: int) -> list[Path]:
    """The seed article under `count` different names, as a user's folder of plain-text files would be."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = SEED_TEXT.read_bytes()
    paths = [folder / f"article-{number:06d}.txt" for number in range(count)]
    for path in paths:
        path.write_bytes(seed)
    return paths


def short_jsonl(path: Path, count: int) -> Path:
    """`count` short articles as one gzipped JSON Lines file: one input, read line by line like any large dump."""
    line = (json.dumps({"text": SHORT_ARTICLE}) + "\n").encode()
    with gzip.open(path, "wb", compresslevel=1) as f:
        for _ in range(count):
            f.write(line)
    return path


def read_page(path: Path) -> bytes:
    with gzip.open(path, "rb") as f:
        return f.read()
