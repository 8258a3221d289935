"""Results as rich tables for people and as plain dicts for `--json`; figures at the references' precision."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.table import Table

from flows.evaluate.appeals import AppealsResult
from flows.evaluate.extraction import ExtractionResult, SystemRun
from flows.evaluate.metadata import BASELINE, FieldScore, MetadataResult


def figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def appeals_table(result: AppealsResult) -> Table:
    table = Table(
        title="Appeals and chrome stripping",
        caption="removed = removal recall, kept = body retention: micro over snippets, macro over cases",
    )
    table.add_column("format")
    for header in ("cases", "removed", "macro", "kept", "macro", "pass rate", "rejected"):
        table.add_column(header, justify="right")
    for fmt, s in result.by_format.items():
        table.add_row(
            fmt,
            str(s.cases),
            figure(s.removal_recall),
            figure(s.removal_recall_macro),
            figure(s.body_retention),
            figure(s.body_retention_macro),
            figure(s.pass_rate),
            str(s.missing_outputs),
        )
    return table


def appeals_json(result: AppealsResult) -> dict[str, Any]:
    """Summaries per format plus the failed cases with what was left in and what was lost."""
    failed = [
        {"id": c.id, "left_in": c.left_in, "lost": c.lost, "rejected": c.missing_output}
        for c in result.cases
        if not c.passed
    ]
    by_format = {k: asdict(s) for k, s in result.by_format.items()}
    return {"kind": "appeals", "by_format": by_format, "failed": failed, "rejects": result.rejects}


def extraction_table(result: ExtractionResult) -> Table:
    ours, theirs = result.copydesk.score, result.baseline.score
    rejected = len(result.copydesk.rejects)
    caption = f"copydesk rejected {rejected} pages (scored empty; --json says why)" if rejected else None
    table = Table(title=f"Main-content extraction ({ours.n} pages)", caption=caption)
    table.add_column("metric")
    for header in (result.copydesk.name, result.baseline.name, "difference"):
        table.add_column(header, justify="right")
    for metric in ("f1", "precision", "recall", "exact"):
        mine, base = getattr(ours, metric), getattr(theirs, metric)
        table.add_row(metric, figure(mine), figure(base), f"{mine - base:+.3f}")
    table.add_row("empty outputs", str(ours.empty), str(theirs.empty), f"{ours.empty - theirs.empty:+d}")
    return table


def extraction_json(result: ExtractionResult) -> dict[str, Any]:
    def run(system: SystemRun) -> dict[str, Any]:
        return {"name": system.name, **asdict(system.score), "rejects": system.rejects}

    return {"kind": "extraction", "copydesk": run(result.copydesk), "baseline": run(result.baseline)}


def metadata_table(result: MetadataResult) -> Table:
    rejected = f"{len(result.rejects)} rejected by the cleaner, {len(result.markup_only)} scored on metadata alone"
    table = Table(title=f"Metadata ({result.cases} cases, {rejected})")
    table.add_column("field")
    for header in ("accuracy", "correct / labelled", "absent-ok", BASELINE, "its absent-ok"):
        table.add_column(header, justify="right")
    for name, s in result.fields.items():
        base = result.baseline.get(name, FieldScore())
        mine = (figure(s.accuracy), f"{s.correct}/{s.n}", absent_ok(s))
        table.add_row(name, *mine, figure(base.accuracy), absent_ok(base))
    return table


def absent_ok(score: FieldScore) -> str:
    return f"{score.absent_ok}/{score.absent_n}" if score.absent_n else ""


def metadata_json(result: MetadataResult) -> dict[str, Any]:
    """Per field the keys of metadata_score.py --json: n, correct, acc, absent_n, absent_ok, absent_acc."""
    def scores(fields: dict[str, FieldScore]) -> dict[str, Any]:
        return {name: {**asdict(s), "acc": s.accuracy, "absent_acc": s.absent_accuracy} for name, s in fields.items()}

    return {"kind": "metadata", "cases": result.cases, "fields": scores(result.fields),
            "baseline": {"name": BASELINE, "fields": scores(result.baseline)}, "rejects": result.rejects,
            "markup_only": result.markup_only}  # fmt: skip
