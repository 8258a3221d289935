"""Appeals and chrome stripping: score cleaned text against must_remove / must_keep snippets.

Same figures as ../shared/eval/appeals_score.py: snippets are matched as case-sensitive substrings after
deleting soft hyphens and zero-width characters and collapsing whitespace; a missing output is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cleaners.record import Article
from flows.evaluate.datasets import clean_file, dataset_dir, in_split, read_jsonl, reason, require_cases, write_jsonl
from flows.sources.base import InputError

FORMATS = ("html", "text")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\ufeff]")


@dataclass(frozen=True)
class AppealsCase:
    id: str
    page: str
    format: str
    must_remove: list[str]
    must_keep: list[str]


@dataclass(frozen=True)
class CaseScore:
    id: str
    format: str
    removed: int
    n_remove: int
    kept: int
    n_keep: int
    missing_output: bool
    left_in: list[str]
    lost: list[str]

    @property
    def passed(self) -> bool:
        return self.removed == self.n_remove and self.kept == self.n_keep


@dataclass(frozen=True)
class AppealsSummary:
    cases: int
    removal_recall: float
    body_retention: float
    removal_recall_macro: float
    body_retention_macro: float
    pass_rate: float
    missing_outputs: int


@dataclass(frozen=True)
class AppealsResult:
    """`by_format` has "all", "html" and "text" (the last two only when the folder has such cases).

    `outputs` is the cleaned text by case id; `rejects` says why the cleaner gave none for the other cases."""

    by_format: dict[str, AppealsSummary]
    cases: list[CaseScore]
    outputs: dict[str, str]
    rejects: dict[str, str] = field(default_factory=dict)


def collapse(text: str | None) -> str:
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", text or "")).strip()


def load_cases(folder: Path, split: str | None = None) -> list[AppealsCase]:
    fields = AppealsCase.__dataclass_fields__
    records = read_jsonl(folder / "labels.jsonl")
    return [AppealsCase(**{k: rec[k] for k in fields}) for rec in records if in_split(rec, split)]


def input_path(folder: Path, case: AppealsCase) -> Path:
    return folder / "html" / f"{case.page}.html" if case.format == "html" else folder / "text" / f"{case.page}.txt"


def clean_case(folder: Path, case: AppealsCase) -> Article | InputError:
    return clean_file(input_path(folder, case), "html" if case.format == "html" else "text")


def score_case(case: AppealsCase, output: str | None) -> CaseScore:
    text = collapse(output)
    left_in = [s for s in case.must_remove if collapse(s) in text]
    lost = [s for s in case.must_keep if collapse(s) not in text]
    return CaseScore(
        id=case.id,
        format=case.format,
        removed=len(case.must_remove) - len(left_in),
        n_remove=len(case.must_remove),
        kept=len(case.must_keep) - len(lost),
        n_keep=len(case.must_keep),
        missing_output=output is None,
        left_in=left_in,
        lost=lost,
    )


def summarize(scores: list[CaseScore]) -> AppealsSummary:
    n = len(scores) or 1  # the reference divides by at least one case
    return AppealsSummary(
        cases=len(scores),
        removal_recall=sum(s.removed for s in scores) / max(1, sum(s.n_remove for s in scores)),
        body_retention=sum(s.kept for s in scores) / max(1, sum(s.n_keep for s in scores)),
        removal_recall_macro=sum(s.removed / max(1, s.n_remove) for s in scores) / n,
        body_retention_macro=sum(s.kept / max(1, s.n_keep) for s in scores) / n,
        pass_rate=sum(s.passed for s in scores) / n,
        missing_outputs=sum(s.missing_output for s in scores),
    )


def score_outputs(
    cases: list[AppealsCase], outputs: dict[str, str], rejects: dict[str, str] | None = None
) -> AppealsResult:
    """`outputs` maps case id to cleaned text; an absent id is a page the cleaner rejected."""
    scores = [score_case(case, outputs.get(case.id)) for case in cases]
    by_format = {"all": summarize(scores)}
    for fmt in FORMATS:
        if any(s.format == fmt for s in scores):
            by_format[fmt] = summarize([s for s in scores if s.format == fmt])
    return AppealsResult(by_format=by_format, cases=scores, outputs=outputs, rejects=rejects or {})


def evaluate_appeals(path: Path, split: str | None = None) -> AppealsResult:
    folder = dataset_dir(path, split)
    cases = load_cases(folder, split)
    require_cases(cases, folder, split)
    cleaned = {case.id: clean_case(folder, case) for case in cases}
    outputs = {i: c.text for i, c in cleaned.items() if isinstance(c, Article)}
    rejects = {i: reason(c) for i, c in cleaned.items() if isinstance(c, InputError)}
    return score_outputs(cases, outputs, rejects)


def write_predictions(result: AppealsResult, path: Path) -> list[Path]:
    """JSONL of {"id", "text"}, the OUTPUTS input of appeals_score.py; rejected pages are left out."""
    return [write_jsonl(path, ({"id": case_id, "text": text} for case_id, text in result.outputs.items()))]
