"""Article metadata: per-field accuracy of copydesk's title, authors, date, site name, language and URL.

Same figures as ../shared/eval/metadata_score.py: each field is scored on cases whose label is non-empty,
after the normalisations in flows.evaluate.normalize; cases labelled explicitly absent ("" or []) give the
absent-ok rate instead (the prediction is empty too).

A page the cleaner rejects because no article text is left (a photo page, a video page) still has a title, a date
and a URL: its metadata is scored from the metadata stage alone and the case is listed in `markup_only`, since
whether a page holds an article is what `copydesk evaluate extraction` measures, not this report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import trafilatura

from cleaners.metadata import Metadata, extract_metadata
from cleaners.pipeline import CleanError, parse_html
from cleaners.record import Article
from flows.batch import to_source_doc
from flows.evaluate import normalize
from flows.evaluate.datasets import (
    clean_file,
    dataset_dir,
    in_split,
    read_bytes,
    read_jsonl,
    reason,
    require_cases,
    write_jsonl,
)
from flows.sources.base import InputError, RawInput
from flows.sources.decode import DecodeError

FIELDS = ("title", "authors", "published", "site_name", "language", "url")
DATE_ONLY = frozenset({"year", "month", "day"})  # published_precision values that carry no time of day

NORMALIZERS: dict[str, Callable[[Any], Any]] = {
    "title": normalize.title,
    "authors": normalize.authors,
    "published": normalize.date,
    "site_name": normalize.site_name,
    "language": normalize.language,
    "url": normalize.url,
}


@dataclass
class FieldScore:
    n: int = 0
    correct: int = 0
    absent_n: int = 0
    absent_ok: int = 0

    @property
    def accuracy(self) -> float | None:
        return round(self.correct / self.n, 4) if self.n else None  # 4 places, as the reference reports

    @property
    def absent_accuracy(self) -> float | None:
        return round(self.absent_ok / self.absent_n, 4) if self.absent_n else None


@dataclass
class MetadataResult:
    """`fields` holds only the fields some case labels; `predictions` is what copydesk returned per case id;
    `rejects` says why the cleaner returned no article for a case; `markup_only` lists the rejected cases whose
    prediction is the metadata stage's alone (the others predict nothing)."""

    cases: int
    fields: dict[str, FieldScore]
    baseline: dict[str, FieldScore] = field(default_factory=dict)  # bare trafilatura on the same pages
    predictions: list[dict[str, Any]] = field(default_factory=list)
    rejects: dict[str, str] = field(default_factory=dict)
    markup_only: list[str] = field(default_factory=list)


def load_cases(folder: Path, split: str | None = None) -> list[dict[str, Any]]:
    return [rec for rec in read_jsonl(folder / "expected.jsonl") if in_split(rec, split)]


def published_iso(article: Article | Metadata) -> str | None:
    """The date as the page wrote it: YYYY-MM-DD for a day, else a timestamp in the page's own UTC offset."""
    if article.published_at is None:
        return None
    if article.published_precision in DATE_ONLY:
        return article.published_at.date().isoformat()
    if article.published_offset_min is None:
        return article.published_at.replace(tzinfo=None).isoformat()  # the page gave no zone: claim none
    return article.published_at.astimezone(timezone(timedelta(minutes=article.published_offset_min))).isoformat()


def prediction(case_id: str, article: Article | Metadata | None) -> dict[str, Any]:
    """One row of the reference scorer's input; a page without metadata predicts nothing."""
    if article is None:
        return {"id": case_id}
    return {
        "id": case_id,
        "title": article.title,
        "authors": article.authors,
        "published": published_iso(article),
        "site_name": article.site_name,
        "language": article.language,
        "url": article.url,
    }


def clean_case(folder: Path, case: dict[str, Any]) -> Article | InputError:
    return clean_file(folder / case["page"], "html", case.get("url"))


def textless_page_metadata(folder: Path, case: dict[str, Any], error: InputError) -> Metadata | None:
    """The metadata stage alone, for a page rejected because cleaning left no text; None for other rejects."""
    if (error.stage, error.error_class) != ("clean", "CleanError"):
        return None
    page = read_bytes(folder / case["page"])
    raw = RawInput(source_uri=error.source_uri, data=page, format="html", url=case.get("url"))
    try:
        doc = to_source_doc(raw)
        return extract_metadata(parse_html(doc), doc.url, doc.hints)
    except (DecodeError, CleanError):  # unreadable or unparsable: no metadata either
        return None


def is_explicit_absent(label: Any, normalized: Any) -> bool:
    """Labelled "" or [], or a byline that holds no name (only authors normalise to a set)."""
    return label in ("", []) or normalized == frozenset()


def score_predictions(cases: list[dict[str, Any]], predictions: list[dict[str, Any]]) -> dict[str, FieldScore]:
    by_id = {p["id"]: p for p in predictions}
    scores: dict[str, FieldScore] = {}
    for case in cases:
        predicted = by_id.get(case["id"], {})
        for name in FIELDS:
            if case.get(name) is not None:  # None = not labelled
                score_field(scores.setdefault(name, FieldScore()), name, case[name], predicted.get(name))
    return {name: scores[name] for name in FIELDS if name in scores}


def score_field(score: FieldScore, name: str, label: Any, predicted: Any) -> None:
    expected, got = NORMALIZERS[name](label), NORMALIZERS[name](predicted)
    if is_explicit_absent(label, expected):
        score.absent_n += 1
        score.absent_ok += not got
    else:
        score.n += 1
        score.correct += normalize.same(name, expected, got)


def evaluate_metadata(path: Path, split: str | None = None) -> MetadataResult:
    folder = dataset_dir(path, split)
    cases = load_cases(folder, split)
    require_cases(cases, folder, split)
    result = MetadataResult(cases=len(cases), fields={})
    for case in cases:
        found: Article | Metadata | InputError | None = clean_case(folder, case)
        if isinstance(found, InputError):
            result.rejects[case["id"]] = reason(found)
            found = textless_page_metadata(folder, case, found)
            result.markup_only += [case["id"]] if found else []
        result.predictions.append(prediction(case["id"], found))
    result.fields = score_predictions(cases, result.predictions)
    result.baseline = score_predictions(cases, [trafilatura_prediction(folder, case) for case in cases])
    return result


BASELINE = f"trafilatura {trafilatura.__version__}"


def trafilatura_prediction(folder: Path, case: dict[str, Any]) -> dict[str, Any]:
    """Bare `bare_extraction(with_metadata=True)` on the page bytes and the case's URL, as a user would call it."""
    document = trafilatura.bare_extraction(read_bytes(folder / case["page"]), url=case.get("url"), with_metadata=True)
    found = document.as_dict() if document else {}
    return {
        "id": case["id"],
        "title": found.get("title"),
        "authors": found.get("author"),  # one "; "-joined string, which the scorer splits
        "published": found.get("date"),
        "site_name": found.get("sitename"),
        "language": found.get("language"),
        "url": found.get("url"),
    }


def write_predictions(result: MetadataResult, path: Path) -> list[Path]:
    """JSONL of {"id", "title", "authors", "published", "site_name", "language", "url"} for metadata_score.py."""
    return [write_jsonl(path, result.predictions)]
