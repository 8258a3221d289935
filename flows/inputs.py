"""Everything one run reads: local paths and web targets, as one lazy stream."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flows.fetch import FetchSettings, FetchState, FetchTargets, RawArchive, Unchanged, fetch_all
from flows.fetch.settings import DEFAULT_CONTACT
from flows.sources.base import InputError, RawInput
from flows.sources.local import DEFAULT_MAX_BYTES, file_uri, iter_local

Item = RawInput | InputError | Unchanged


@dataclass(frozen=True)
class InputSpec:
    paths: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    url_files: list[str] = field(default_factory=list)
    since: datetime | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private_addresses: bool = False
    user_agent: str | None = None
    contact: str | None = None
    from_archive: bool = False

    @property
    def fetches(self) -> bool:
        return bool(self.urls or self.feeds or self.sitemaps or self.url_files)


def split_targets(targets: list[str]) -> tuple[list[str], list[str]]:
    """Command-line targets: http(s) addresses are fetched, everything else is a local path."""
    urls = [t for t in targets if t.lower().startswith(("http://", "https://"))]
    return [t for t in targets if t not in urls], urls


def iter_inputs(spec: InputSpec, out: Path) -> Iterator[Item]:
    if spec.from_archive:
        yield from _archived(out)
    yield from iter_local(spec.paths, max_bytes=spec.max_bytes)
    if spec.fetches:
        yield from _fetch(spec, out)


def _fetch(spec: InputSpec, out: Path) -> Iterator[Item]:
    url_files = [Path(p) for p in spec.url_files]
    for missing in (path for path in url_files if not path.is_file()):
        yield InputError(file_uri(missing), "read", "FileNotFoundError",
                         f"URL list {missing} does not exist or is not a file: give a file with one URL a line")
    targets = FetchTargets(urls=tuple(spec.urls), feeds=tuple(spec.feeds), sitemaps=tuple(spec.sitemaps),
                           url_files=tuple(path for path in url_files if path.is_file()), since=spec.since)
    settings = FetchSettings(user_agent=spec.user_agent, max_page_bytes=spec.max_bytes,
                             allow_private_addresses=spec.allow_private_addresses,
                             contact=spec.contact or DEFAULT_CONTACT)
    (out / "_state").mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        state = FetchState(out / "_state" / "fetch.sqlite")
        stack.callback(state.close)
        archive = RawArchive(out)
        stack.callback(archive.close)
        yield from _unwritten(archive)
        yield from fetch_all(targets, settings, state, archive)


def _unwritten(archive: RawArchive) -> Iterator[Item]:
    """Pages (new or changed) a run fetched but died before writing: taken from the archive, not lost."""
    for uri in archive.unwritten_uris():
        if (item := _kept(archive, uri)) is not None:
            yield item


def mark_written(out: Path, items: list[RawInput | InputError]) -> None:
    """Fetched pages whose article or reject the sink has stored are done: a crash before this repeats them."""
    fetched = [(item.source_uri, hashlib.sha256(item.data).hexdigest()) for item in items
               if isinstance(item, RawInput) and item.source_uri.startswith(("http://", "https://"))]
    if fetched and (out / "raw").is_dir():
        archive = RawArchive(out)
        try:
            archive.mark_written(fetched)
        finally:
            archive.close()


def _kept(archive: RawArchive, uri: str) -> Item | None:
    try:
        return archive.get(uri)
    except (OSError, EOFError, zlib.error) as exc:  # a blob lost or damaged on disk costs that page only
        return InputError(uri, "read", "ArchiveError", f"the kept copy of {uri} cannot be read ({exc}): "
                          "ingest the URL again to fetch it anew", url=uri)


def _archived(out: Path) -> Iterator[Item]:
    """Every page fetched before, as its bytes were kept: re-cleaned with today's rules, not fetched again."""
    archive = RawArchive(out)
    try:
        for uri in archive.source_uris():
            if (item := _kept(archive, uri)) is not None:
                yield item
    finally:
        archive.close()
