"""Where a dataset lives: a local folder, or an object store named by a URI (s3://bucket/prefix, or any
filesystem pyarrow or fsspec knows), behind the few operations the sink and its state need.

A local folder keeps its rename-and-fsync writes. An object store has no rename and no lock: an object
appears whole by a single PUT (or a completed multipart upload), a "move" is a server-side copy then a
delete, and locks are files in a local cache folder keyed by the dataset's location, so they hold on one
machine only.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import os
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import pyarrow as pa
import pyarrow.fs as pafs
from filelock import FileLock

from flows.files import sync_to_disk, write_atomically


class UnsafePathError(ValueError):
    """A path that would land outside the dataset root; nothing is written."""


class StorageError(ValueError):
    """An --out that names no filesystem copydesk can open."""


@dataclass(frozen=True)
class Stamp:
    """Equal stamps mean equal contents locally (a rewrite is a new inode); an object rewritten in the same
    second at the same size would keep its stamp, so the sink forgets the files it rewrites itself."""

    size: int
    mtime_ns: int
    inode: int = 0


@dataclass(frozen=True)
class LocalStore:
    root: Path
    fs: pafs.FileSystem

    def inside(self, path: PurePosixPath) -> Path:
        """The path itself, if it stays inside the root once symlinks are resolved; UnsafePathError otherwise."""
        resolved = (self.root / path).resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            raise UnsafePathError(f"refusing to touch {path}: it is outside the dataset root {self.root}")
        return resolved

    def relative(self, path: PurePosixPath) -> str:
        return str(self.inside(path).relative_to(self.root.resolve()))

    def location(self, path: PurePosixPath) -> str:
        """The path as `fs` names it."""
        return str(path)

    def makedirs(self, folder: PurePosixPath) -> None:
        Path(folder).mkdir(parents=True, exist_ok=True)

    def lock(self, path: PurePosixPath) -> FileLock:
        return FileLock(path)

    def exists(self, path: PurePosixPath) -> bool:
        return Path(path).exists()

    def is_dir(self, path: PurePosixPath) -> bool:
        return Path(path).is_dir()

    def read_bytes(self, path: PurePosixPath) -> bytes:
        return Path(path).read_bytes()

    def write_atomically(self, path: PurePosixPath, data: bytes) -> None:
        write_atomically(Path(path), data)

    @contextmanager
    def open_output(self, path: PurePosixPath) -> Iterator[BinaryIO]:
        """A new file under a temporary name; `sync` or `publish` makes it durable."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            yield f

    def sync(self, paths: list[PurePosixPath]) -> None:
        sync_to_disk(Path(path) for path in paths)

    def publish(self, moves: list[tuple[PurePosixPath, PurePosixPath]]) -> None:
        """Temporary files, made durable by `sync` first, take their final names; the renames are durable after."""
        for temp, final in moves:
            os.replace(temp, final)
        self.sync(sorted({final.parent for _, final in moves}))

    def delete(self, path: PurePosixPath) -> None:
        Path(path).unlink(missing_ok=True)

    def files(self, folder: PurePosixPath, pattern: str) -> dict[PurePosixPath, Stamp]:
        """Files below `folder`, at any depth, whose name matches `pattern`."""
        found = {}
        for path in Path(folder).rglob(pattern):
            stat = path.stat()
            found[path] = Stamp(stat.st_size, stat.st_mtime_ns, stat.st_ino)
        return found


@dataclass(frozen=True)
class ObjectStore:
    """Paths are absolute ("/bucket/prefix/articles/..."), as local ones, so joining one to the root keeps it."""

    root: PurePosixPath
    fs: pafs.FileSystem
    uri: str
    slashed: bool  # whether `fs` names keys with a leading slash, as fsspec's memory filesystem does
    cache: Path  # this machine's folder for the dataset: its locks and the working copy of its state

    def inside(self, path: PurePosixPath) -> PurePosixPath:
        """The normalised path, if it stays below the root; object stores have no symlinks to follow."""
        joined = PurePosixPath(posixpath.normpath(self.root / path))
        if not joined.is_relative_to(self.root):
            raise UnsafePathError(f"refusing to touch {path}: it is outside the dataset root {self.uri}")
        return joined

    def relative(self, path: PurePosixPath) -> str:
        return str(self.inside(path).relative_to(self.root))

    def location(self, path: PurePosixPath) -> str:
        """The key as `fs` names it: bucket/prefix/... on S3."""
        return str(path) if self.slashed else str(path)[1:]

    def makedirs(self, folder: PurePosixPath) -> None:
        """Object stores have no folders: a key's prefix exists once an object is written under it."""

    def lock(self, path: PurePosixPath) -> FileLock:
        """A lock file in this machine's cache: writers on one machine exclude each other, not across machines."""
        local = self.cache / "locks" / self.relative(path)
        local.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(local)

    def exists(self, path: PurePosixPath) -> bool:
        return self.fs.get_file_info(self.location(path)).type == pafs.FileType.File

    def is_dir(self, path: PurePosixPath) -> bool:
        return self.fs.get_file_info(self.location(path)).type == pafs.FileType.Directory

    def read_bytes(self, path: PurePosixPath) -> bytes:
        with self.fs.open_input_stream(self.location(path)) as f:
            return f.read()

    def write_atomically(self, path: PurePosixPath, data: bytes) -> None:
        """One PUT: readers see the old object or the new one."""
        with self.open_output(path) as f:
            f.write(data)

    @contextmanager
    def open_output(self, path: PurePosixPath) -> Iterator[BinaryIO]:
        with self.fs.open_output_stream(self.location(path)) as f:
            yield f

    def sync(self, paths: list[PurePosixPath]) -> None:
        """An object is durable once its PUT returns."""

    def publish(self, moves: list[tuple[PurePosixPath, PurePosixPath]]) -> None:
        """Server-side copies, each atomic for its final key, then the deletes of the temporary keys."""
        for temp, final in moves:
            self.fs.move(self.location(temp), self.location(final))

    def delete(self, path: PurePosixPath) -> None:
        if self.exists(path):
            self.fs.delete_file(self.location(path))

    def files(self, folder: PurePosixPath, pattern: str) -> dict[PurePosixPath, Stamp]:
        """Objects below `folder`, at any depth, whose name matches `pattern`: one listing request."""
        selector = pafs.FileSelector(self.location(folder), recursive=True, allow_not_found=True)
        return {
            PurePosixPath("/", info.path): Stamp(info.size, info.mtime_ns or 0)
            for info in self.fs.get_file_info(selector)
            if info.type == pafs.FileType.File and fnmatch.fnmatchcase(info.base_name, pattern)
        }


Store = LocalStore | ObjectStore


def open_store(out: str | Path) -> Store:
    """A local folder for a path or a file:// URI; pyarrow's filesystem for s3://, gs://, hdfs://...;
    fsspec's for any other scheme it knows (installed through its extra packages)."""
    if isinstance(out, Path) or "://" not in out:
        return LocalStore(Path(out).absolute(), pafs.LocalFileSystem())
    return _store_at(out)


@functools.cache
def _store_at(out: str) -> Store:
    """One filesystem per URI and process: opening one may ask the server for the bucket's region."""
    try:
        fs, root = pafs.FileSystem.from_uri(out)
    except pa.ArrowInvalid:  # a scheme pyarrow does not know: fsspec may
        fs, root = _fsspec_filesystem(out)
    if isinstance(fs, pafs.LocalFileSystem):
        return LocalStore(Path(root), fs)
    normalised = PurePosixPath(posixpath.normpath(PurePosixPath("/", root)))
    return ObjectStore(normalised, fs, out, root.startswith("/"), cache_dir(fs, normalised))


def _fsspec_filesystem(out: str) -> tuple[pafs.FileSystem, str]:
    import fsspec

    try:
        fs, root = fsspec.core.url_to_fs(out)
    except (ValueError, ImportError) as exc:
        raise StorageError(f"cannot open --out {out}: {exc}; give a local folder, an s3://bucket/prefix URI, "
                           "or a URI of a filesystem whose fsspec package is installed") from exc
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), root


def cache_dir(fs: pafs.FileSystem, root: PurePosixPath) -> Path:
    """This machine's folder for one remote dataset, named by where the dataset is, not by how its URI is
    spelled (s3://b/p and s3://b/p/ are one dataset, so one set of locks)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    location = f"{fs.type_name} {_server(fs)} {root}"
    return base / "copydesk" / hashlib.sha256(location.encode()).hexdigest()[:16]


def _server(fs: pafs.FileSystem) -> str:
    """The server a pyarrow filesystem talks to (an S3 or GCS endpoint, an HDFS namenode): only the options it
    is pickled with name it; fsspec's filesystems have none here."""
    options = fs.__reduce__()[1][0]
    if not isinstance(options, dict):
        return ""
    return " ".join(str(options.get(name, "")) for name in ("endpoint_override", "host", "port"))
