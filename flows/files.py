"""Writing a file so that readers see the old contents or the new, never a part."""

from __future__ import annotations

import ctypes
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

_SYNCFS = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None) if os.name == "posix" else None


def write_atomically(path: Path, data: bytes) -> None:
    """A unique temporary name per writer (several may write one path at once), fsynced, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(temp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)
    fsync_path(path.parent)


def fsync_path(path: Path) -> None:
    """fsync by path: a folder (its entries) or a file (its data)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_to_disk(paths: Iterable[Path]) -> None:
    """Make written files and folder entries durable. Where Linux has syncfs, one call per file system flushes
    a whole batch, instead of an fsync per file and per folder (1 ms each for a batch of one-row files).
    Before Linux 5.8 syncfs did not report writeback errors: a failed write there goes unnoticed."""
    paths = list(paths)
    if _SYNCFS is None:
        for path in paths:
            fsync_path(path)
        return
    for device, path in {os.stat(path).st_dev: path for path in paths}.items():
        fd = os.open(path, os.O_RDONLY)
        try:
            if _SYNCFS(fd) != 0:
                raise OSError(ctypes.get_errno(), f"syncfs failed on device {device}", str(path))
        finally:
            os.close(fd)
