"""Drift between runs of one source: a site whose yield or removal share leaves its recent range."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flows.summary import RunSummary

HISTORY_RUNS = 10
MIN_HISTORY = 3
MAX_SHIFT = 0.25


@dataclass(frozen=True)
class Drift:
    site: str
    measure: str
    now: float
    usual: float

    def describe(self) -> str:
        return f"{self.site}: {self.measure} {self.now:.0%}, usually {self.usual:.0%}"


def site_measures(summary: RunSummary) -> dict[str, dict[str, float]]:
    """Per site: yield (share of inputs that became articles) and removal share (of characters)."""
    measures = {}
    for site, counts in summary.by_site.items():
        inputs = sum(counts[o] for o in ("new", "updated", "unchanged", "rejected"))
        chars = counts["chars_kept"] + counts["chars_removed"]
        if inputs:
            measures[site] = {"yield": 1 - counts["rejected"] / inputs}
        if chars:  # a run whose pages were all unchanged wrote no text: nothing to compare
            measures.setdefault(site, {})["removal_share"] = counts["chars_removed"] / chars
    return measures


def find_drift(history: list[dict[str, dict[str, float]]], current: dict[str, dict[str, float]]) -> list[Drift]:
    drifts = []
    for site, measures in current.items():
        for measure, now in measures.items():
            past = [run[site][measure] for run in history if measure in run.get(site, {})]
            if len(past) >= MIN_HISTORY and abs(now - (usual := statistics.median(past))) > MAX_SHIFT:
                drifts.append(Drift(site, measure, now, usual))
    return drifts


def read_history(path: Path) -> list[dict[str, dict[str, float]]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-HISTORY_RUNS:]
    return [json.loads(line)["sites"] for line in lines if line.strip()]


def append_history(path: Path, current: dict[str, dict[str, float]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"at": datetime.now(UTC).isoformat(), "sites": current}) + "\n")
