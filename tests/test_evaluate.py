"""copydesk evaluate: figures must equal the reference scorers' in ../shared/eval on the same predictions."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from cleaners.record import Article
from flows.evaluate import appeals, extraction, metadata, normalize
from flows.evaluate.datasets import NoCases, clean_file, dataset_dir, write_jsonl
from flows.evaluate.kinds import KINDS

METADATA_SUBSET_STEP = 6  # every 6th case: ~140 of 839, all sources, deterministic


def reference(shared_dir: Path, script: str, *args: str | Path) -> str:
    """Run one of ../shared/eval's scorers as a user would and return what it prints."""
    command = [sys.executable, str(shared_dir.parent / "eval" / script), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


# Agreement with the reference scorers on the real ../shared data


@pytest.fixture(scope="module")
def appeals_run(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[appeals.AppealsResult, Path]:
    result = appeals.evaluate_appeals(shared_dir / "appeals")
    [predictions] = appeals.write_predictions(result, tmp_path_factory.mktemp("appeals") / "preds.jsonl")
    return result, predictions


@pytest.mark.parametrize("fmt", ["all", "html", "text"])
def test_appeals_agrees_with_appeals_score(
    shared_dir: Path, appeals_run: tuple[appeals.AppealsResult, Path], fmt: str
) -> None:
    result, predictions = appeals_run
    labels = shared_dir / "appeals/labels.jsonl"
    printed = reference(shared_dir, "appeals_score.py", labels, predictions, "--format", fmt)
    assert json.loads(printed) == asdict(result.by_format[fmt])


@pytest.fixture(scope="module")
def extraction_run(
    shared_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[extraction.ExtractionResult, list[Path]]:
    result = extraction.evaluate_extraction(shared_dir / "extraction", split="dev")
    return result, extraction.write_predictions(result, tmp_path_factory.mktemp("extraction") / "preds.jsonl")


def parse_extraction_eval(printed: str) -> dict[str, str]:
    figures = dict(re.findall(r"(n|F1|precision|recall|exact)=([\d.]+)", printed))
    counts = re.search(r"missing predictions \(scored empty\): (\d+);.*empty predictions: (\d+)", printed)
    assert counts, printed
    return {**figures, "missing": counts[1], "empty": counts[2]}


def printed_extraction(score: extraction.ExtractionScore) -> dict[str, str]:
    """Our figures as extraction_eval.py prints them; we write every page, so none is missing."""
    figures = {"F1": score.f1, "precision": score.precision, "recall": score.recall, "exact": score.exact}
    return {"n": str(score.n), **{k: f"{v:.3f}" for k, v in figures.items()}, "missing": "0", "empty": str(score.empty)}


def test_extraction_agrees_with_extraction_eval_for_copydesk_and_baseline(
    shared_dir: Path, extraction_run: tuple[extraction.ExtractionResult, list[Path]]
) -> None:
    result, files = extraction_run
    split = shared_dir / "extraction/dev"
    for run, predictions in zip((result.copydesk, result.baseline), files, strict=True):
        printed = reference(shared_dir, "extraction_eval.py", predictions, split)
        assert parse_extraction_eval(printed) == printed_extraction(run.score), run.name
    assert result.copydesk.score.n == result.baseline.score.n == 92


@pytest.fixture(scope="module")
def metadata_subset(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A split folder of every METADATA_SUBSET_STEP-th case, sharing the real pages: a full clean is slow."""
    source = shared_dir / "metadata/dev"
    folder = tmp_path_factory.mktemp("metadata")
    lines = (source / "expected.jsonl").read_text("utf-8").splitlines()
    (folder / "expected.jsonl").write_text("\n".join(lines[::METADATA_SUBSET_STEP]) + "\n", "utf-8")
    (folder / "pages").symlink_to(source / "pages", target_is_directory=True)
    return folder


def parse_metadata_score(printed: str) -> dict[str, tuple[str, ...]]:
    """{field: (acc, correct, n, absent_ok, absent_n)} from the [all] block of metadata_score.py."""
    line = re.compile(r"^\s+(\w+)\s+(\S+)\s+\((\d+)/(\d+)\)(?:\s+absent-ok (\d+)/(\d+))?$")
    return {m[1]: (m[2], m[3], m[4], m[5] or "0", m[6] or "0") for m in map(line.match, printed.splitlines()) if m}


def printed_metadata(result: metadata.MetadataResult) -> dict[str, tuple[str, ...]]:
    def row(s: metadata.FieldScore) -> tuple[str, ...]:
        acc = f"{s.accuracy:.3f}" if s.accuracy is not None else "n/a"
        return (acc, str(s.correct), str(s.n), str(s.absent_ok), str(s.absent_n))

    return {name: row(s) for name, s in result.fields.items()}


@pytest.fixture(scope="module")
def metadata_run(metadata_subset: Path) -> tuple[metadata.MetadataResult, Path]:
    result = metadata.evaluate_metadata(metadata_subset)
    [predictions] = metadata.write_predictions(result, metadata_subset / "preds.jsonl")
    return result, predictions


def test_metadata_agrees_with_metadata_score(
    shared_dir: Path, metadata_subset: Path, metadata_run: tuple[metadata.MetadataResult, Path]
) -> None:
    result, predictions = metadata_run
    printed = reference(shared_dir, "metadata_score.py", "--expected", metadata_subset, "--pred", predictions)
    assert result.cases == len((metadata_subset / "expected.jsonl").read_text("utf-8").splitlines())
    assert set(result.fields) == set(metadata.FIELDS)
    assert parse_metadata_score(printed) == printed_metadata(result)


def test_metadata_baseline_is_bare_trafilatura_scored_like_copydesk(
    shared_dir: Path, metadata_subset: Path, metadata_run: tuple[metadata.MetadataResult, Path]
) -> None:
    result, _ = metadata_run
    cases = metadata.load_cases(metadata_subset)
    predictions = metadata_subset / "trafilatura.jsonl"
    write_jsonl(predictions, [metadata.trafilatura_prediction(metadata_subset, case) for case in cases])
    printed = reference(shared_dir, "metadata_score.py", "--expected", metadata_subset, "--pred", predictions)
    assert parse_metadata_score(printed) == printed_metadata(replace(result, fields=result.baseline))
    beaten = {name for name, s in result.fields.items() if s.accuracy < result.baseline[name].accuracy}
    assert not beaten, beaten


def test_every_kind_renders_a_table_and_plain_json(
    appeals_run: tuple[appeals.AppealsResult, Path],
    extraction_run: tuple[extraction.ExtractionResult, list[Path]],
    metadata_run: tuple[metadata.MetadataResult, Path],
) -> None:
    console = Console(width=120, record=True)
    results = {"appeals": appeals_run[0], "extraction": extraction_run[0], "metadata": metadata_run[0]}
    for kind, result in results.items():
        console.print(KINDS[kind].table(result))
        assert json.loads(json.dumps(KINDS[kind].to_json(result)))["kind"] == kind
    assert "trafilatura" in console.export_text()
    assert set(results) == set(KINDS)


# Scoring rules on tiny hand-made examples


def appeals_case(must_remove: list[str], must_keep: list[str], fmt: str = "html") -> appeals.AppealsCase:
    return appeals.AppealsCase(id=f"p--{fmt}", page="p", format=fmt, must_remove=must_remove, must_keep=must_keep)


def test_appeals_snippets_match_across_whitespace_and_invisible_characters() -> None:
    case = appeals_case(["Donate now"], ["The council voted\non Monday."])
    score = appeals.score_case(case, "The coun\u00adcil  voted on\tMonday.\n\nSee more")
    assert (score.removed, score.kept, score.passed) == (1, 1, True)


def test_appeals_matching_is_case_sensitive() -> None:
    score = appeals.score_case(appeals_case(["Donate now"], ["Body"]), "Body. DONATE NOW")
    assert score.removed == 1


def test_appeals_missing_output_removes_everything_and_keeps_nothing() -> None:
    score = appeals.score_case(appeals_case(["Subscribe", "Share"], ["Body"]), None)
    assert (score.removed, score.kept, score.missing_output, score.lost) == (2, 0, True, ["Body"])


def test_appeals_micro_weighs_snippets_and_macro_weighs_cases() -> None:
    one = appeals_case(["a1"], ["k"], "html")
    four = appeals.AppealsCase("q--text", "q", "text", ["b1", "b2", "b3", "b4"], ["k"])
    result = appeals.score_outputs([one, four], {"p--html": "k a1", "q--text": "k"})
    summary = result.by_format["all"]
    assert summary.removal_recall == 4 / 5
    assert summary.removal_recall_macro == (0 + 1) / 2
    assert summary.pass_rate == 0.5
    assert result.by_format["text"].pass_rate == 1.0


def test_extraction_shingles_compare_as_multisets_normalised_per_page() -> None:
    assert extraction.tokens("a b,cd:e(foo,bar) ") == ["a", "b", "cd", "e", "foo", "bar"]
    assert extraction.match_counts("a b c d e", "a b c d") == (0.5, 0.5, 0.0)
    assert extraction.match_counts("a b c", "a b c") == (1.0, 0.0, 0.0)
    assert extraction.match_counts("", "") == (0.0, 0.0, 0.0)


def test_extraction_empty_prediction_costs_recall_only() -> None:
    score = extraction.corpus_score([("", "a b c d"), ("a b c d", "a b c d")])
    assert (score.precision, score.recall, score.exact, score.empty) == (1.0, 0.5, 0.5, 1)
    assert score.f1 == pytest.approx(2 / 3)


def test_title_folds_entities_quotes_and_case() -> None:
    assert normalize.title("Don&#8217;t  \u201cPanic\u201d") == normalize.title('don\'t "panic"')


@pytest.mark.parametrize(
    ("label", "predicted"),
    [
        (["Jane Doe", "John Smith"], "By Jane Doe and John Smith"),
        (["Leah C. Stokes"], ["Leah C Stokes, PhD"]),
        (["José Álvarez-Ruiz"], ["jose alvarez ruiz (Reuters)"]),
        (["Doe, Jane"], "Doe, Jane"),
    ],
)
def test_authors_equal_as_sets_of_normalised_names(label: Any, predicted: Any) -> None:
    assert normalize.authors(label) == normalize.authors(predicted)


def test_authors_commas_split_only_between_full_names() -> None:
    assert normalize.authors("Jane Doe, John Smith") == {"jane doe", "john smith"}
    assert normalize.authors("Doe, Jane") == {"doe, jane"}


def test_published_matches_the_written_day_or_the_same_utc_day() -> None:
    def same(label: str, predicted: str) -> bool:
        return normalize.same("published", normalize.date(label), normalize.date(predicted))

    assert same("2024-03-01", "2024-03-01T23:30:00-05:00")
    assert same("2024-03-02T04:30:00+00:00", "2024-03-01T23:30:00-05:00")
    assert not same("2024-03-02", "2024-03-01T23:30:00-05:00")  # a bare day has no UTC day


@pytest.mark.parametrize(
    ("label", "predicted"),
    [
        ("https://www.Example.com/a/b/?utm_source=x&b=2&a=1#top", "http://example.com:443/a/b?a=1&b=2"),
        ("https://example.com/caf%C3%A9", "https://example.com/café/"),
    ],
)
def test_url_ignores_scheme_www_tracking_order_escapes_and_trailing_slash(label: str, predicted: str) -> None:
    assert normalize.url(label) == normalize.url(predicted)


def test_site_name_and_language_reduce_to_their_core() -> None:
    assert normalize.site_name("www.tmz.com") == normalize.site_name("TMZ") == "tmz"
    assert normalize.site_name("news.bbc.co.uk") == normalize.site_name("The BBC") == "bbc"
    assert normalize.language("en-US") == normalize.language("en_us") == "en"


def article(**fields: Any) -> Article:
    """An article with empty metadata, `fields` overriding."""
    now = datetime(2024, 1, 1, tzinfo=UTC)
    defaults: dict[str, Any] = dict.fromkeys(Article.__dataclass_fields__)
    defaults.update(source_uri="x", doc_id="x", text="t", word_count=1, content_sha256="", ingested_at=now)
    defaults.update(authors=[], agencies=[], tags=[], removed=[], pipeline_version="", rules_version="")
    return Article(**{**defaults, **fields})


def test_published_is_written_with_its_offset_or_as_a_bare_day() -> None:
    utc = datetime(2024, 3, 2, 4, 30, tzinfo=UTC)
    new_york = article(published_at=utc, published_precision="minute", published_offset_min=-300)
    assert metadata.published_iso(new_york) == "2024-03-01T23:30:00-05:00"
    no_zone = article(published_at=utc, published_precision="second")
    assert metadata.published_iso(no_zone) == "2024-03-02T04:30:00"
    utc_zone = article(published_at=utc, published_precision="second", published_offset_min=0)
    assert metadata.published_iso(utc_zone) == "2024-03-02T04:30:00+00:00"
    day_only = article(published_at=datetime(2024, 3, 2, tzinfo=UTC), published_precision="day")
    assert metadata.published_iso(day_only) == "2024-03-02"
    assert metadata.published_iso(article()) is None


def test_metadata_scores_labelled_cases_and_absent_ok_separately() -> None:
    cases = [
        {"id": "a", "title": "Hello", "authors": [], "published": None},
        {"id": "b", "title": "World", "authors": ["Jane Doe"], "published": ""},
        {"id": "c", "title": "Missing"},
    ]
    predictions = [
        metadata.prediction("a", article(title="hello", authors=["Someone"])),
        metadata.prediction("b", article(title="Other", authors=["By Jane Doe"])),
    ]
    scores = metadata.score_predictions(cases, predictions)
    assert list(scores) == ["title", "authors", "published"]
    assert (scores["title"].correct, scores["title"].n) == (1, 3)
    assert asdict(scores["authors"]) == {"n": 1, "correct": 1, "absent_n": 1, "absent_ok": 0}
    assert (scores["published"].absent_ok, scores["published"].absent_n) == (1, 1)


def test_pages_are_gunzipped_and_decoded_with_their_declared_charset(tmp_path: Path) -> None:
    body = "<p>Le café du village a rouvert ses portes lundi matin après deux ans de travaux.</p>" * 3
    page = tmp_path / "page.html.gz"
    page.write_bytes(
        gzip.compress(f'<html><head><meta charset="iso-8859-1"></head><body>{body}</body></html>'.encode("latin-1"))
    )
    cleaned = clean_file(page, "html")
    assert isinstance(cleaned, Article), cleaned
    assert "Le café du village" in cleaned.text


def test_a_page_the_cleaner_rejects_is_an_empty_output_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "text/p.txt").write_text("   \n", "utf-8")
    case = appeals_case(["Subscribe"], ["Body"], "text")
    (tmp_path / "labels.jsonl").write_text(json.dumps({**asdict(case), "site": "x"}) + "\n", "utf-8")
    result = appeals.evaluate_appeals(tmp_path)
    assert result.by_format["text"].missing_outputs == 1
    assert list(result.rejects) == ["p--text"]


def test_a_split_without_cases_is_an_error_not_zeros(shared_dir: Path) -> None:
    with pytest.raises(NoCases, match="split 'test'"):
        appeals.evaluate_appeals(shared_dir / "appeals", split="test")


def test_split_names_a_subfolder_when_there_is_one(tmp_path: Path) -> None:
    (tmp_path / "dev").mkdir()
    assert dataset_dir(tmp_path, "dev") == tmp_path / "dev"
    assert dataset_dir(tmp_path / "dev", "dev") == tmp_path / "dev"
    assert dataset_dir(tmp_path, None) == tmp_path
