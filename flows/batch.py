"""Clean a batch of raw inputs into articles and rejects; every failure of one input becomes its reject.

Cleaning runs in a guard process that is sent documents in chunks and answers one document at a time, so a
pathological page costs one reject, not the batch: a page over the time limit gets its worker killed and
replaced, a page over the memory limit raises MemoryError in the worker, and a page that crashes the parser
kills only the worker; the rest of its chunk goes to the new worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import socket
import subprocess
import sys
import threading
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
        self._starting = threading.Lock()

    def start_soon(self) -> None:
        """Start in the background, so the worker is ready by the time the first page comes."""
        threading.Thread(target=self._started, daemon=True).start()

    def clean(self, raws: list[RawInput], sites: Sites | None) -> list[Article | InputError]:
        """One outcome per document, in order; a document that stops the worker is the one it was cleaning."""
        outcomes: list[Article | InputError] = []
        for chunk in _chunks(raws):
            while chunk:
                done = self._clean_chunk(chunk, sites)
                outcomes += done
                chunk = chunk[len(done):]
        return outcomes

    def _clean_chunk(self, chunk: list[RawInput], sites: Sites | None) -> list[Article | InputError]:
        """The outcomes of the chunk's first documents: all of them, or up to the one that stopped the worker."""
        conn = self._started()
        try:
            conn.send((chunk, sites))
        except OSError:  # the worker died between two chunks (killed from outside): start afresh
            self.stop()
            conn = self._started()
            conn.send((chunk, sites))
        outcomes: list[Article | InputError] = []
        for raw in chunk:  # the clock restarts at each answer: the limit holds per document
            if not conn.poll(self.limits.seconds_per_document):
                self.stop()
                return [*outcomes, self._overran(raw)]
            try:
                outcomes.append(conn.recv())
            except EOFError:
                return [*outcomes, _crashed(raw, self.stop())]
        return outcomes

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
        self._process = self._conn = None
        return code

    def _started(self) -> Connection:
        with self._starting:
            return self._start()

    def _start(self) -> Connection:
        if self._process is not None and self._process.poll() is not None:
            self.stop()
        if self._process is None:
            ours, theirs = socket.socketpair()
            command = [sys.executable, "-c", "from flows.batch import serve; serve()", str(theirs.fileno()),
                       str(self.limits.memory_bytes)]
            self._process = subprocess.Popen(command, pass_fds=[theirs.fileno()], env=_child_env())
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
    """The worker's loop (argv: socket fd, memory limit): clean what the parent sends until it hangs up."""
    fd, memory_bytes = int(sys.argv[1]), int(sys.argv[2])
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
        for raw in chunk:
            conn.send(clean_input(raw, overrides))


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
