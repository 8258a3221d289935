"""A hook for showing batch progress: the CLI listens, scheduled runs do not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.summary import RunSummary

_listeners: list[Callable[[RunSummary], None]] = []


def report_progress(batch: RunSummary) -> None:
    for listener in _listeners:
        listener(batch)


@contextmanager
def listening(listener: Callable[[RunSummary], None]) -> Iterator[None]:
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
