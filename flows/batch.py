"""Clean a batch of raw inputs into articles and rejects; every failure of one input becomes its reject.

Cleaning runs in a guard process that is sent documents in chunks and answers a chunk at a time, marking
in shared memory which document it is cleaning since when, so a pathological page costs one reject, not the
batch: a page over the time limit gets its worker killed and replaced, a page over the memory limit raises
MemoryError in the worker, and a page that crashes the parser kills only the worker; the rest of its chunk,
and the pages before it that died with the worker unanswered, go to the new worker.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import pickle
import resource
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path

from cleaners.overrides import Overrides
from cleaners.record import Article, Reject, SourceDoc, check_storable
from flows.sources.base import InputError, RawInput
from flows.sources.decode import DecodeError, decode_bytes


@dataclass(frozen=True)
class CleanLimits:
    """Per-document wall-clock limit and the cleaning worker's address-space limit."""

    seconds_per_document: float = 60.0
    memory_bytes: int = 2 * 1024**3


DEFAULT_LIMITS = CleanLimits()
Sites = dict[str, dict[str, list[str]]]
# the worker holds a chunk's message beside its documents: a few pages' worth keeps that small against its limit
_CHUNK_BYTES = 1024**2
# the document a worker is cleaning and since when (time.monotonic_ns), in a file both processes map
_PROGRESS = struct.Struct("<qq")
# a read of the progress slot is trusted once a second read this much later agrees: the worker writes it unlocked
_SETTLE_S = 0.01
_WARM_UP = RawInput("warm-up", b"Warm Up\n\nThe council met on Friday to agree the budget for the year.", "text")


@dataclass
class CleanedBatch:
    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def clean_batch(
    items: list[RawInput | InputError], limits: CleanLimits | None = DEFAULT_LIMITS, sites: Sites | None = None
) -> CleanedBatch:
    """Clean every item; with `limits=None` in this process, without a time or memory limit.

    `sites` are per-site overrides as the sources file gives them: {domain: {"xpaths": [...], "phrases": [...]}}."""
    batch = CleanedBatch()
    with _cleaner(limits, sites) as clean:
        cleaned = iter(clean([item for item in items if isinstance(item, RawInput)]))
    for item in items:
        outcome = item if isinstance(item, InputError) else next(cleaned)
        if isinstance(outcome, Article):
            batch.articles.append(outcome)
        else:
            batch.rejects.append(to_reject(outcome))
    _reject_unstorable(batch, {item.source_uri: item for item in items if isinstance(item, RawInput)})
    return batch


def _reject_unstorable(batch: CleanedBatch, raws: dict[str, RawInput]) -> None:
    """One conversion for the whole batch; only when it fails is each article tried on its own."""
    try:
        check_storable(batch.articles)
        return
    except (ValueError, TypeError, OverflowError):
        pass
    outcomes = [_storable(article, raws[article.source_uri]) for article in batch.articles]
    batch.articles = [o for o in outcomes if isinstance(o, Article)]
    batch.rejects += [to_reject(o) for o in outcomes if isinstance(o, InputError)]


def clean_input(raw: RawInput, overrides: Overrides | None = None) -> Article | InputError:
    """Decode and clean one input; any failure of this document becomes its InputError."""
    from cleaners.pipeline import CleanError, clean_document  # only cleaning processes pay for trafilatura

    try:
        return clean_document(to_source_doc(raw), overrides)
    except DecodeError as exc:
        return InputError(raw.source_uri, "decode", "DecodeError", str(exc), url=raw.url)
    except CleanError as exc:
        return InputError(raw.source_uri, "clean", "CleanError", str(exc), url=raw.url)
    except MemoryError:
        return InputError(raw.source_uri, "clean", "MemoryError", "cleaning needed more memory than the worker's "
                          "limit: the page is too large or pathological; raise the memory limit", url=raw.url)
    except RecursionError:
        return InputError(raw.source_uri, "clean", "RecursionError", "the page is nested too deeply to clean",
                          url=raw.url)
    except Exception as exc:  # a bug or a hostile page must cost one document, not the batch
        return InputError(raw.source_uri, "clean", type(exc).__name__, f"cleaning failed: {exc}", url=raw.url)


def _storable(article: Article, raw: RawInput) -> Article | InputError:
    """An article the sink could not store (lone surrogates in a field, say) is rejected here, not there."""
    try:
        check_storable([article])
    except (ValueError, TypeError, OverflowError) as exc:  # pyarrow's conversion errors derive from these
        return InputError(raw.source_uri, "store", type(exc).__name__, f"article cannot be stored: {exc}", url=raw.url)
    return article


def to_source_doc(raw: RawInput) -> SourceDoc:
    kind = "html" if raw.format == "html" else "text"
    body = decode_bytes(raw.data, html=kind == "html", content_type=raw.content_type)
    if not body.strip():
        raise DecodeError("empty document: no text in it")
    return SourceDoc(
        source_uri=raw.source_uri,
        body=body,
        kind=kind,
        url=raw.url or _text_or_none(raw.hints.get("url")),
        hints=raw.hints,
        extra=raw.extra,
    )


def to_reject(error: InputError) -> Reject:
    return Reject(
        source_uri=_printable(error.source_uri),
        url=_printable(error.url) if error.url is not None else None,
        stage=error.stage,
        error_class=error.error_class,
        message=_printable(error.message),
        http_status=error.http_status,
        rejected_at=datetime.now(UTC),
    )


def _text_or_none(value: object) -> str | None:
    """Sidecars are free-form JSON: a `url` that is not a string is no address."""
    return value if isinstance(value, str) else None


def _printable(text: str) -> str:
    """Lone surrogates (from non-UTF-8 file names or JSON escapes) cannot be stored: show them escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if not text.isascii() else text


class _Worker:
    """A child process that cleans the documents of a chunk in turn, answering after each one; replaced after a
    page overruns or kills it.

    A plain `python -c` child over a socket pair, not multiprocessing: it never re-imports the caller's
    main module, so scripts without a `__main__` guard and Prefect's task threads both work."""

    def __init__(self, limits: CleanLimits) -> None:
        self.limits = limits
        self._conn: Connection | None = None
        self._process: subprocess.Popen | None = None
        self._progress: mmap.mmap | None = None
        self._starting = threading.Lock()

    def start_soon(self) -> None:
        """Start in the background, so the worker is ready by the time the first page comes."""
        threading.Thread(target=self._started, daemon=True).start()

    def clean(self, raws: list[RawInput], sites: Sites | None) -> list[Article | InputError]:
        """One outcome per document, in order; a document that stops the worker is the one it was cleaning."""
        return [outcome for chunk in _chunks(raws) for outcome in self._clean_all(chunk, sites)]

    def _clean_all(self, chunk: list[RawInput], sites: Sites | None) -> list[Article | InputError]:
        """Every document's outcome; the one that stopped the worker is rejected, those before it (lost with the
        worker) and after it are cleaned by the next worker."""
        answered = self._clean_chunk(chunk, sites)
        if isinstance(answered, list):
            return answered
        stopped, reject = answered
        return [*self._clean_all(chunk[:stopped], sites), reject, *self._clean_all(chunk[stopped + 1:], sites)]

    def _clean_chunk(
        self, chunk: list[RawInput], sites: Sites | None
    ) -> list[Article | InputError] | tuple[int, InputError]:
        """All the chunk's outcomes, or the index of the document that stopped the worker and its reject."""
        if not chunk:
            return []
        try:
            conn = self._send(chunk, sites)
        except OSError:  # the worker died between two chunks (killed from outside): start afresh
            self.stop()
            conn = self._send(chunk, sites)
        wait = self.limits.seconds_per_document
        while not conn.poll(wait):  # the limit holds per document: each one's clock starts when the worker takes it
            index, overdue = self._overdue()
            if overdue >= 0:
                self.stop()
                return index, self._overran(chunk[index])
            wait = -overdue
        try:
            return [pickle.loads(outcome) for outcome in conn.recv()]
        except EOFError:
            index, _ = self._overdue()
            return index, _crashed(chunk[index], self.stop())

    def _send(self, chunk: list[RawInput], sites: Sites | None) -> Connection:
        conn = self._started()
        _PROGRESS.pack_into(self._progress, 0, 0, time.monotonic_ns())  # no stale slot from the last chunk
        conn.send((chunk, sites))
        return conn

    def _overdue(self) -> tuple[int, float]:
        """The document the worker is on, and the seconds it has run past the limit (negative: time left)."""
        slot = _PROGRESS.unpack_from(self._progress)
        while True:  # a read made while the worker was writing may mix two documents: wait for two that agree
            time.sleep(_SETTLE_S)
            again = _PROGRESS.unpack_from(self._progress)
            if again == slot:
                break
            slot = again
        index, started_ns = slot
        return index, (time.monotonic_ns() - started_ns) / 1e9 - self.limits.seconds_per_document

    def _overran(self, raw: RawInput) -> InputError:
        return InputError(raw.source_uri, "clean", "TimeLimit",
                          f"cleaning took longer than {self.limits.seconds_per_document:g} s and was stopped: "
                          "the page is pathological or very large; raise the time limit to retry it", url=raw.url)

    def stop(self) -> int | None:
        if self._process is None:
            return None
        self._process.kill()
        code = self._process.wait()
        if self._conn is not None:
            self._conn.close()
        if self._progress is not None:
            self._progress.close()
        self._process = self._conn = self._progress = None
        return code

    def _started(self) -> Connection:
        with self._starting:
            return self._start()

    def _start(self) -> Connection:
        if self._process is not None and self._process.poll() is not None:
            self.stop()
        if self._process is None:
            ours, theirs = socket.socketpair()
            with tempfile.TemporaryFile() as progress:
                progress.write(bytes(_PROGRESS.size))  # real blocks: a full disk fails here, not later as SIGBUS
                progress.flush()
                self._progress = mmap.mmap(progress.fileno(), _PROGRESS.size)
                command = [sys.executable, "-c", "from flows.batch import serve; serve()", str(theirs.fileno()),
                           str(self.limits.memory_bytes), str(progress.fileno())]
                self._process = subprocess.Popen(command, pass_fds=[theirs.fileno(), progress.fileno()],
                                                 env=_child_env())
            theirs.close()
            self._conn = Connection(ours.detach())
            self._await_ready()
        return self._conn

    def _await_ready(self) -> None:
        """Start-up and warm-up never count against a document's time; a worker that dies here is misconfigured."""
        try:
            self._conn.recv()
        except EOFError:
            code = self.stop()
            raise RuntimeError(f"the cleaning worker exited with code {code} before cleaning anything: with a "
                               f"memory limit of {self.limits.memory_bytes:,} bytes it cannot even start; "
                               "raise the memory limit") from None


def _crashed(raw: RawInput, code: int | None) -> InputError:
    return InputError(raw.source_uri, "clean", "WorkerCrash",
                      f"the cleaning process died (exit code {code}; negative: killed by that signal) on "
                      "this page: it crashed the parser or went over the memory limit", url=raw.url)


def serve() -> None:
    """The worker's loop (argv: socket fd, memory limit, progress file fd): clean what the parent sends until it
    hangs up, answering once per chunk with each outcome pickled as soon as it is made (a page whose outcome
    cannot be pickled fails as itself)."""
    fd, memory_bytes, progress_fd = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    progress = mmap.mmap(progress_fd, _PROGRESS.size)
    with contextlib.suppress(ValueError, OSError):  # macOS refuses RLIMIT_AS: there only the size caps hold
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    conn = Connection(fd)
    clean_input(_WARM_UP)
    conn.send("ready")
    while True:
        try:
            chunk, sites = conn.recv()
        except EOFError:
            return
        overrides = overrides_for(sites)
        outcomes = []
        for index, raw in enumerate(chunk):
            _PROGRESS.pack_into(progress, 0, index, time.monotonic_ns())
            outcomes.append(pickle.dumps(clean_input(raw, overrides), pickle.HIGHEST_PROTOCOL))
        conn.send(outcomes)


def _chunks(raws: list[RawInput]) -> Iterator[list[RawInput]]:
    """Consecutive documents up to _CHUNK_BYTES together (a larger one alone): one message per chunk, not per page."""
    chunk: list[RawInput] = []
    size = 0
    for raw in raws:
        if chunk and size + len(raw.data) > _CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(raw)
        size += len(raw.data)
    if chunk:
        yield chunk


def overrides_for(sites: Sites | None) -> Overrides | None:
    return _overrides(json.dumps(sites, sort_keys=True)) if sites else None


@lru_cache(maxsize=8)
def _overrides(key: str) -> Overrides:
    """Compiled once per process and configuration, not once per document."""
    return Overrides.from_dict({"sites": json.loads(key)})


def _child_env() -> dict[str, str]:
    """The worker imports copydesk from where this process did, installed or not; its language scoring is
    too small for BLAS threads, which would only spin against the other workers (unless the user set them)."""
    root = str(Path(__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH")
    return {"OPENBLAS_NUM_THREADS": "1", **os.environ, "PYTHONPATH": f"{root}{os.pathsep}{path}" if path else root}


_idle: list[_Worker] = []
_idle_lock = threading.Lock()


def prestart(workers: int, limits: CleanLimits = DEFAULT_LIMITS) -> None:
    """Start guard workers while the caller does something else (Prefect's API starting, say)."""
    for _ in range(workers):
        worker = _Worker(limits)
        worker.start_soon()
        with _idle_lock:
            _idle.append(worker)


Cleaner = Callable[[list[RawInput]], list[Article | InputError]]


@contextmanager
def _cleaner(limits: CleanLimits | None, sites: Sites | None) -> Iterator[Cleaner]:
    """A cleaning function for one batch: in-process, or a guard worker reused across batches and threads."""
    if limits is None:
        overrides = overrides_for(sites)
        yield lambda raws: [clean_input(raw, overrides) for raw in raws]
        return
    with _idle_lock:
        worker = next((w for w in _idle if w.limits == limits), None)
        if worker:
            _idle.remove(worker)
    worker = worker or _Worker(limits)
    try:
        yield lambda raws: worker.clean(raws, sites)
    except BaseException:
        worker.stop()  # it may hold a half-sent page or an unread answer
        raise
    finally:
        with _idle_lock:
            _idle.append(worker)
