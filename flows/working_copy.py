"""The state a run keeps beside an object-store dataset, worked on in a local copy: SQLite needs a local file.

The fetch state (`_state/fetch.sqlite`), the drift history (`_state/history/`) and the raw archive (`raw/`)
are downloaded when a run that uses them starts and uploaded when it ends, the archive before the fetch state:
a fetch state never gets ahead of the archive, so a page the server calls unchanged is always found in the
archive if it was not written. A run that dies before its upload leaves the remote state as it was: the next
run fetches those pages again. One run at a time per dataset on this machine holds the copy.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.files import write_atomically
from flows.storage import LocalStore, ObjectStore, open_store

DATABASES = ("raw/index.sqlite", "_state/fetch.sqlite")  # in upload order: the archive first
HISTORY = "_state/history"
BLOBS = "raw"


def local_state(out: str | Path) -> Path:
    """Where a run reads and writes the fetch state and the raw archive of `out`."""
    store = open_store(out)
    if isinstance(store, LocalStore):
        return store.root
    return store.cache / "copy"


@contextmanager
def working_copy(out: str | Path) -> Iterator[Path]:
    """The local folder holding `out`'s state for one run; for an object store, synced down then up."""
    store = open_store(out)
    if isinstance(store, LocalStore):
        yield store.root
        return
    local = local_state(out)
    with store.lock(store.root / ".working-copy.lock"):
        _download(store, local)
        try:
            yield local
        finally:
            _upload(local, store)


def _download(store: ObjectStore, local: Path) -> None:
    """The remote state replaces whatever a dead run left here; blobs are named by their hash, so kept."""
    for name in DATABASES:
        for leftover in (local / name).parent.glob(f"{Path(name).name}*"):
            leftover.unlink()
    shutil.rmtree(local / HISTORY, ignore_errors=True)
    remote_files = [*store.files(store.root / HISTORY, "*.jsonl"), *store.files(store.root / BLOBS, "*.gz")]
    remote_files += [path for path in (store.root / name for name in DATABASES) if store.exists(path)]
    for remote in remote_files:
        if not (target := local / store.relative(remote)).exists():
            # whole or absent: a blob a killed run left half-written would be trusted (and never uploaded) forever
            write_atomically(target, store.read_bytes(remote))


def _upload(local: Path, store: ObjectStore) -> None:
    uploaded = set(store.files(store.root / BLOBS, "*.gz"))
    for blob in (local / BLOBS).rglob("*.gz"):
        if (remote := store.root / blob.relative_to(local).as_posix()) not in uploaded:
            store.write_atomically(remote, blob.read_bytes())
    for history in (local / HISTORY).glob("*.jsonl"):
        store.write_atomically(store.root / history.relative_to(local).as_posix(), history.read_bytes())
    for name in DATABASES:
        if (local / name).exists():
            store.write_atomically(store.root / name, _snapshot(local / name))


def _snapshot(database: Path) -> bytes:
    """One consistent file, whatever the write-ahead log still holds."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / database.name
        source, target = sqlite3.connect(database), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return copy.read_bytes()
