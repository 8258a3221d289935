"""Main-content extraction: copydesk and bare trafilatura scored with the article-extraction-benchmark metric.

Same figures as ../shared/eval/extraction_eval.py: 4-word shingles of `\\w+` tokens matched as multisets,
per-page counts normalised to sum 1; corpus precision averages pages with a prediction, recall pages with
a truth, F1 is the harmonic mean of the two averages; exact = identical token lists.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

import trafilatura

from cleaners.record import Article
from flows.evaluate.datasets import clean_file, dataset_dir, read_bytes, reason, require_cases, write_jsonl

NGRAM = 4
_WORD = re.compile(r"\w+")

Counts = tuple[float, float, float]  # tp, fp, fn of one page, normalised to sum 1 (or all 0)


@dataclass(frozen=True)
class ExtractionScore:
    n: int
    f1: float
    precision: float
    recall: float
    exact: float
    empty: int


@dataclass(frozen=True)
class SystemRun:
    """One extractor's outputs by page id (None when it gave nothing), their score, and why pages were rejected."""

    name: str
    outputs: dict[str, str | None]
    score: ExtractionScore
    rejects: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractionResult:
    copydesk: SystemRun
    baseline: SystemRun


def tokens(text: str | None) -> list[str]:
    return _WORD.findall(text or "")


def shingles(text: str | None) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    if len(toks) < NGRAM:
        return Counter([tuple(toks)] if toks else [])  # a short text is one short shingle
    return Counter(tuple(toks[i : i + NGRAM]) for i in range(len(toks) - NGRAM + 1))


def match_counts(pred: str | None, truth: str | None) -> Counts:
    p, t = shingles(pred), shingles(truth)
    tp, fp, fn = sum((p & t).values()), sum((p - t).values()), sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp > 0 else 0.0


def page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn > 0 else 0.0


def harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def corpus_score(pairs: list[tuple[str | None, str]]) -> ExtractionScore:
    """pairs = (prediction, truth) per page; an empty prediction costs recall only."""
    counts = [match_counts(pred, truth) for pred, truth in pairs]
    precisions = [page_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [page_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = mean(precisions) if precisions else 0.0
    r = mean(recalls) if recalls else 0.0
    return ExtractionScore(
        n=len(pairs),
        f1=harmonic(p, r),
        precision=p,
        recall=r,
        exact=mean(float(tokens(pred) == tokens(truth)) for pred, truth in pairs) if pairs else 0.0,
        empty=sum(not (pred or "").strip() for pred, _ in pairs),
    )


def load_truth(folder: Path) -> dict[str, dict[str, str]]:
    """ground-truth.json: {id: {"articleBody", "url"}}."""
    return json.loads((folder / "ground-truth.json").read_text("utf-8"))


def page_path(folder: Path, page_id: str) -> Path:
    return folder / "html" / f"{page_id}.html.gz"


def score_outputs(
    name: str, outputs: dict[str, str | None], truth: dict[str, str], rejects: dict[str, str] | None = None
) -> SystemRun:
    pairs = [(outputs.get(page_id), truth[page_id]) for page_id in sorted(truth)]
    return SystemRun(name=name, outputs=outputs, score=corpus_score(pairs), rejects=rejects or {})


def run_copydesk(folder: Path, truth: dict[str, dict[str, str]], bodies: dict[str, str]) -> SystemRun:
    cleaned = {i: clean_file(page_path(folder, i), "html", label.get("url")) for i, label in truth.items()}
    outputs = {i: c.text if isinstance(c, Article) else None for i, c in cleaned.items()}
    rejects = {i: reason(c) for i, c in cleaned.items() if not isinstance(c, Article)}
    return score_outputs("copydesk", outputs, bodies, rejects)


def run_baseline(folder: Path, bodies: dict[str, str]) -> SystemRun:
    """Bare trafilatura.extract() on the page bytes, as a user would call it; it decodes them itself."""
    outputs = {i: trafilatura.extract(read_bytes(page_path(folder, i))) for i in bodies}
    return score_outputs(f"trafilatura {trafilatura.__version__}", outputs, bodies)


def evaluate_extraction(path: Path, split: str | None = None) -> ExtractionResult:
    folder = dataset_dir(path, split)
    truth = load_truth(folder)
    require_cases(truth, folder, split)
    bodies = {page_id: label.get("articleBody") or "" for page_id, label in truth.items()}
    return ExtractionResult(copydesk=run_copydesk(folder, truth, bodies), baseline=run_baseline(folder, bodies))


def write_run(run: SystemRun, path: Path) -> Path:
    """JSONL of {"id", "text"}, the PREDICTIONS input of extraction_eval.py; an empty output is ""."""
    return write_jsonl(path, ({"id": page_id, "text": text or ""} for page_id, text in run.outputs.items()))


def baseline_path(path: Path) -> Path:
    """preds.jsonl -> preds.baseline.jsonl, beside copydesk's file."""
    return path.with_name(f"{path.stem}.baseline{path.suffix}")


def write_predictions(result: ExtractionResult, path: Path) -> list[Path]:
    """copydesk's predictions to `path`, the baseline's next to it; returns the files written."""
    return [write_run(result.copydesk, path), write_run(result.baseline, baseline_path(path))]
