"""Interleaved timing: every chunk of work runs on every side in a rotating order, so noise hits all sides alike."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Chunk = TypeVar("Chunk")


@dataclass
class SideFigures:
    documents: int
    seconds: float
    docs_per_s: float
    ms_per_doc: float

    @classmethod
    def of(cls, documents: int, seconds: float) -> SideFigures:
        return cls(documents, round(seconds, 3), round(documents / seconds, 1), round(1000 * seconds / documents, 2))


@dataclass
class Interleaved(Generic[Chunk]):
    sides: dict[str, Callable[[Chunk], None]]

    def run(self, chunks: Sequence[Chunk], size: Callable[[Chunk], int]) -> dict[str, list[tuple[int, float]]]:
        """(documents, seconds) per chunk and side; the side that goes first changes from chunk to chunk."""
        names = list(self.sides)
        times: dict[str, list[tuple[int, float]]] = {name: [] for name in names}
        for index, chunk in enumerate(chunks):
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                start = time.perf_counter()
                self.sides[name](chunk)
                times[name].append((size(chunk), time.perf_counter() - start))
        return times


def figures(times: list[tuple[int, float]]) -> SideFigures:
    return SideFigures.of(sum(n for n, _ in times), sum(s for _, s in times))


def ratio(ours: list[tuple[int, float]], theirs: list[tuple[int, float]]) -> dict[str, float]:
    """Throughput ratio ours/theirs over the whole run, and its spread over chunks (how noisy the run was)."""
    per_chunk = [their_s / our_s for (_, our_s), (_, their_s) in zip(ours, theirs, strict=True)]
    return {
        "ratio": round(sum(s for _, s in theirs) / sum(s for _, s in ours), 3),
        "chunk_min": round(min(per_chunk), 3),
        "chunk_median": round(statistics.median(per_chunk), 3),
        "chunk_max": round(max(per_chunk), 3),
    }


def wall(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start
