"""Many hosts in parallel, each paced by its gate: dispatch only hosts ready to be asked again."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from flows.fetch.outcomes import TargetKind
from flows.fetch.politeness import host_key

Output = TypeVar("Output")


@dataclass(frozen=True)
class Task:
    """`trusted` marks operator-given URLs; links found in feeds and sitemaps are not."""

    kind: TargetKind
    url: str
    hints: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    trusted: bool = False


@dataclass
class TaskResult(Generic[Output]):
    """`again` is a task to put back first in its host's queue: it did a preliminary step and waits its turn."""

    outputs: list[Output]
    discovered: list[Task] = field(default_factory=list)
    again: Task | None = None


class Scheduler(Generic[Output]):
    def __init__(
        self,
        run_task: Callable[[Task], TaskResult[Output]],
        ready_in: Callable[[str], float],
        stop: Callable[[], None],
        workers: int,
        per_host: int,
    ):
        self.run_task = run_task
        self.ready_in = ready_in
        self.stop = stop
        self.workers = workers
        self.per_host = per_host
        self.queues: dict[str, deque[Task]] = defaultdict(deque)
        self.busy: dict[str, int] = defaultdict(int)
        self.served: dict[str, float] = defaultdict(float)
        self.seen: set[tuple[str, str]] = set()
        self.pending: dict[tuple[str, str], Task] = {}
        self.in_flight: dict[Future[TaskResult[Output]], str] = {}

    def add(self, tasks: Iterable[Task]) -> None:
        """Each (kind, URL) once per run, however many feeds list it; a still queued one gains their hints."""
        for task in tasks:
            key = (task.kind, task.url)
            if key in self.pending:
                for name, value in task.hints.items():
                    self.pending[key].hints.setdefault(name, value)
            elif key not in self.seen:
                self.seen.add(key)
                self.pending[key] = task
                self.queues[host_key(task.url)].append(task)

    def run(self, tasks: Iterable[Task]) -> Iterator[Output]:
        self.add(tasks)
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="fetch")
        try:
            while self.in_flight or any(self.queues.values()):
                pause = self._dispatch(pool)
                if not self.in_flight:
                    time.sleep(pause)
                    continue
                done, _ = wait(self.in_flight, timeout=pause, return_when=FIRST_COMPLETED)
                for future in done:
                    yield from self._collect(future)
        finally:
            # a caller that stops early leaves queued work undone; running requests end on their own
            self.stop()
            pool.shutdown(wait=True, cancel_futures=True)

    def _dispatch(self, pool: ThreadPoolExecutor) -> float:
        """Submits what may start now; returns how long until the next host becomes ready."""
        pause = 1.0
        # least recently served first, so no host starves when hosts outnumber workers
        for host in sorted((h for h, q in self.queues.items() if q), key=self.served.__getitem__):
            if self.busy[host] >= self.per_host:
                continue
            wait_s = self.ready_in(self.queues[host][0].url)
            if wait_s > 0:
                pause = min(pause, wait_s)
                continue
            # a ready host gets all its free slots at once; its gate spaces the requests themselves
            while self.queues[host] and self.busy[host] < self.per_host and len(self.in_flight) < self.workers:
                self._submit(pool, host)
        return pause

    def _submit(self, pool: ThreadPoolExecutor, host: str) -> None:
        task = self.queues[host].popleft()
        del self.pending[(task.kind, task.url)]
        self.busy[host] += 1
        self.served[host] = time.monotonic()
        self.in_flight[pool.submit(self.run_task, task)] = host

    def _collect(self, future: Future[TaskResult[Output]]) -> list[Output]:
        host = self.in_flight.pop(future)
        self.busy[host] -= 1
        result = future.result()
        if result.again is not None:
            self.pending[(result.again.kind, result.again.url)] = result.again
            self.queues[host].appendleft(result.again)
        self.add(result.discovered)
        return result.outputs
