"""Drift: a site whose yield or removal share leaves the range of its recent runs is named."""

from collections import Counter
from pathlib import Path

from flows.drift import append_history, find_drift, read_history, site_measures
from flows.summary import RunSummary


def summary(site: str, new: int, rejected: int, kept: int, removed: int) -> RunSummary:
    run = RunSummary(inputs=new + rejected)
    run.by_site[site] = Counter(new=new, rejected=rejected, chars_kept=kept, chars_removed=removed)
    return run


def test_a_site_that_suddenly_loses_most_text_is_named(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    for _ in range(4):
        append_history(history, site_measures(summary("quay-news.com", 10, 0, 9000, 1000)))
    drifts = find_drift(read_history(history), site_measures(summary("quay-news.com", 10, 0, 2000, 8000)))
    assert [(d.site, d.measure) for d in drifts] == [("quay-news.com", "removal_share")]
    assert "usually 10%" in drifts[0].describe()


def test_yield_drop_is_named_and_steady_sites_are_not(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    for _ in range(3):
        append_history(history, {**site_measures(summary("a.com", 10, 0, 900, 100)),
                                 **site_measures(summary("b.com", 10, 0, 900, 100))})
    current = {**site_measures(summary("a.com", 2, 8, 900, 100)), **site_measures(summary("b.com", 9, 1, 880, 120))}
    assert [(d.site, d.measure) for d in find_drift(read_history(history), current)] == [("a.com", "yield")]


def test_too_little_history_names_nothing(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    append_history(history, site_measures(summary("a.com", 10, 0, 900, 100)))
    assert find_drift(read_history(history), site_measures(summary("a.com", 0, 10, 0, 0))) == []
