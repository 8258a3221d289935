"""Per-host pacing: how many requests at once and how far apart, shared by all worker threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_key(url: str) -> str:
    """Host and port: the unit that politeness, robots.txt and scheduling are kept per."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)}"


class RunStopped(Exception):
    """The caller closed the generator; requests still waiting for their slot are dropped."""


class HostGate:
    """At most `concurrency` requests in flight, each starting `delay` s after the previous one ended."""

    def __init__(self, delay: float, concurrency: int, stopping: threading.Event):
        self.delay = delay
        self.stopping = stopping
        self.slots = threading.Semaphore(concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0

    def slow_down(self, delay: float) -> None:
        """Crawl-delay from robots.txt: only ever lengthens the spacing."""
        with self.lock:
            self.delay = max(self.delay, delay)

    def ready_in(self) -> float:
        with self.lock:
            return self.next_start - time.monotonic()

    def defer(self, seconds: float) -> None:
        """Retry-After or backoff: nobody on this host asks again before then."""
        with self.lock:
            self.next_start = max(self.next_start, time.monotonic() + seconds)

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self.slots:
            with self.lock:
                start = max(time.monotonic(), self.next_start)
                self.next_start = start + self.delay
            # a long Retry-After wait must not hold up a caller that stopped the run
            if self.stopping.wait(max(0.0, start - time.monotonic())):
                raise RunStopped("the run was stopped before this request")
            try:
                yield
            finally:
                with self.lock:
                    self.next_start = max(self.next_start, time.monotonic() + self.delay)


class Politeness:
    def __init__(self, delay: float, concurrency: int):
        self.delay = delay
        self.concurrency = concurrency
        self.stopping = threading.Event()
        self.gates: dict[str, HostGate] = {}
        self.lock = threading.Lock()

    def gate(self, url: str) -> HostGate:
        key = host_key(url)
        with self.lock:
            if key not in self.gates:
                self.gates[key] = HostGate(self.delay, self.concurrency, self.stopping)
            return self.gates[key]

    def ready_in(self, url: str) -> float:
        """Seconds until `url`'s host may be asked again; the scheduler only dispatches ready hosts."""
        return self.gate(url).ready_in()

    def stop(self) -> None:
        self.stopping.set()
