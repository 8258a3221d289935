"""The three evaluations behind one shape, so `copydesk evaluate KIND PATH` needs no per-kind code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from rich.table import Table

from flows.evaluate import appeals, extraction, metadata, report

R = TypeVar("R")


@dataclass(frozen=True)
class Evaluation(Generic[R]):
    evaluate: Callable[[Path, str | None], R]
    write_predictions: Callable[[R, Path], list[Path]]
    table: Callable[[R], Table]
    to_json: Callable[[R], dict[str, Any]]
    reference: str  # how to cross-check the predictions file with the reference scorer


KINDS: dict[str, Evaluation[Any]] = {
    "appeals": Evaluation(
        appeals.evaluate_appeals,
        appeals.write_predictions,
        report.appeals_table,
        report.appeals_json,
        "appeals_score.py FOLDER/labels.jsonl PREDICTIONS [--format html|text]",
    ),
    "extraction": Evaluation(
        extraction.evaluate_extraction,
        extraction.write_predictions,
        report.extraction_table,
        report.extraction_json,
        "extraction_eval.py PREDICTIONS FOLDER",
    ),
    "metadata": Evaluation(
        metadata.evaluate_metadata,
        metadata.write_predictions,
        report.metadata_table,
        report.metadata_json,
        "metadata_score.py --expected FOLDER --pred PREDICTIONS",
    ),
}
