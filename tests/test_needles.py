"""Needles: a pattern is only searched where one of its needles is, so every match must hold one."""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from cleaners.needles import needles
from cleaners.paragraphs import split_paragraphs
from cleaners.rules import Phrases, rule_pack
from cleaners.text_stage import classify


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("support us\\b", ("support us",)),
        ("(become|becoming) a (paying )?(member|subscriber)\\b", ("member", "subscriber")),
        ("(donate|give)( \\$?\\d+)? now", (" now",)),
        ("(donate|give)( \\$?\\d+)? !", ("donate", "give")),
        ("\\b(?:Sie|Ihr|Ihre)\\b", ("Ihr", "Sie")),
        ("a+b", ("a",)),
    ],
)
def test_needles_are_literals_every_match_holds(pattern: str, expected: tuple[str, ...]) -> None:
    assert needles(pattern) == expected


@pytest.mark.parametrize("pattern", ["(?i)support", "(?i:support) us", "\\w+ abc|\\d", "(a|)b?", "[ab]c?"])
def test_case_blind_parts_classes_and_optional_parts_give_no_needle(pattern: str) -> None:
    assert needles(pattern) == ((" us",) if pattern == "(?i:support) us" else ())


def test_every_rule_match_in_the_seed_holds_a_needle_of_its_pattern(shared_dir: Path) -> None:
    rules = rule_pack().text
    lines = [rules.button, rules.chrome_line, rules.teaser_heading]
    phrases = [*rules.appeal.patterns, *rules.lead_in.patterns, *rules.chrome_contains.patterns, *lines]
    texts = [p.lower() for p in split_paragraphs((shared_dir / "seed" / "moscow-times-2022-02-15.txt").read_text())]
    texts += ["support us", "related articles", "© 2031 the harbour gazette", "read more"]
    for phrase in phrases:
        for text in texts:
            if phrase.pattern.search(text):
                assert any(needle in text for needle in phrase.needles), (phrase.pattern.pattern, text)
            assert phrase.search(text) == bool(re.search(phrase.pattern.pattern, text))


def test_the_cue_shortcut_labels_as_the_full_rules_do(shared_dir: Path) -> None:
    rules = rule_pack().text
    assert rules.cues is not None and rules.line_cues is not None  # the shipped pack keeps the shortcut live
    full = replace(rules, cues=None, line_cues=None)
    texts = [(shared_dir / "seed" / "moscow-times-2022-02-15.txt").read_text()]
    texts += [path.read_text() for path in sorted((shared_dir / "appeals" / "text").glob("*.txt"))]
    for paragraph in (p for text in texts for p in split_paragraphs(text)):
        assert classify(paragraph, rules) == classify(paragraph, full), paragraph


def test_a_rule_without_stems_turns_the_cue_shortcut_off() -> None:
    assert Phrases.of([r"\d+"], []).required is None
    assert Phrases.of(["support us"], []).required == frozenset({"support us"})
    assert Phrases.of(["support us"], ["support"]).required == frozenset({"support"})
