"""The rule pack: appeal and chrome patterns loaded from the data files beside this module."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from functools import cache
from importlib import resources

import ahocorasick

from cleaners.needles import needles

RULE_FILES = ("text.toml", "html.toml")


@dataclass(frozen=True)
class Phrase:
    """One pattern, searched only in text that holds one of its needles."""

    pattern: re.Pattern[str]
    needles: frozenset[str]

    @classmethod
    def of(cls, pattern: str) -> Phrase:
        return cls(re.compile(pattern), frozenset(needles(pattern)))

    def search(self, text: str) -> bool:
        return (not self.needles or any(map(text.__contains__, self.needles))) and bool(self.pattern.search(text))

    def match(self, text: str, held: Set[str]) -> bool:
        """A match at the start of `text`, whose Stems found `held` (of these needles, at least)."""
        return (not self.needles or not self.needles.isdisjoint(held)) and self.pattern.match(text) is not None


@dataclass(frozen=True)
class Stems:
    """Literal strings found in one pass over a text (Aho-Corasick): which of them the text holds.

    One pass finds all of the rules' stems and needles, overlapping ones too, some ten times faster than
    testing each with `in`; `re` cannot do it, as an alternation finds no overlapping matches."""

    automaton: ahocorasick.Automaton  # never changed once built: searches from several task threads are safe

    @classmethod
    def of(cls, words: Iterable[str]) -> Stems:
        automaton = ahocorasick.Automaton()
        for word in set(words):
            automaton.add_word(word, word)
        automaton.make_automaton()
        return cls(automaton)

    def held(self, text: str) -> Set[str]:
        return {word for _, word in self.automaton.iter(text)}


@dataclass(frozen=True)
class Phrases:
    """Patterns tried one by one on lower-cased text, only when the text holds one of the gate stems, and of
    those only the patterns whose needles it holds; `held` is what a Stems of every gate stem and needle found.

    One big alternation is several times slower in `re` than separate patterns with literal prefixes."""

    patterns: tuple[Phrase, ...]
    gate: frozenset[str]
    by_needle: dict[str, tuple[int, ...]]  # pattern indexes by needle: one pass over the needles finds them all
    unneedled: frozenset[int]

    @classmethod
    def of(cls, patterns: list[str], gate: list[str]) -> Phrases:
        phrases = tuple(Phrase.of(p) for p in patterns)
        by_needle: dict[str, list[int]] = {}
        for index, phrase in enumerate(phrases):
            for needle in phrase.needles:
                by_needle.setdefault(needle, []).append(index)
        unneedled = frozenset(i for i, phrase in enumerate(phrases) if not phrase.needles)
        return cls(phrases, frozenset(gate), {n: tuple(indexes) for n, indexes in by_needle.items()}, unneedled)

    @property
    def stems(self) -> frozenset[str]:
        """What `held` must be found among: the gate stems and every needle."""
        return self.gate.union(self.by_needle)

    @property
    def required(self) -> frozenset[str] | None:
        """Stems one of which a text must hold for any pattern to match; None when some pattern needs none."""
        if self.gate:
            return self.gate
        return None if self.unneedled else frozenset(self.by_needle)

    def open(self, held: Set[str]) -> bool:
        return not self.gate or not self.gate.isdisjoint(held)

    def may_match(self, held: Set[str]) -> bool:
        """False when no pattern can match: the gate is shut, or the text holds no pattern's needle."""
        return self.open(held) and (bool(self.unneedled) or not held.isdisjoint(self.by_needle))

    def search(self, text: str, held: Set[str]) -> bool:
        return self.open(held) and any(self._hits(text, held))

    def count(self, text: str, held: Set[str]) -> int:
        return sum(self._hits(text, held)) if self.open(held) else 0

    def _hits(self, text: str, held: Set[str]) -> Iterator[bool]:
        """Whether each pattern that may match does; a pattern none of whose needles the text holds cannot."""
        candidates = self.unneedled.union(*(self.by_needle[needle] for needle in held if needle in self.by_needle))
        return (bool(self.patterns[i].pattern.search(text)) for i in candidates)


@dataclass(frozen=True)
class TextRules:
    appeal_max_words: int
    long_appeal_min_hits: int
    long_appeal_max_words: int
    chrome_max_words: int
    line_max_words: int
    title_min_words: int
    title_max_words: int
    title_window: int
    button: Phrase
    chrome_line: Phrase
    teaser_heading: Phrase
    teaser_line_max_words: int
    teaser_blurb_max_words: int
    chrome_contains: Phrases
    appeal: Phrases
    lead_in: Phrases
    address_words: frozenset[str]
    second_person_words: frozenset[str]
    capitalized_second_person: Phrase
    vocabulary: frozenset[str]
    site_names: tuple[re.Pattern[str], ...]
    generic_words: frozenset[str]
    stems: Stems  # every stem the rules above test lower-cased text for: one pass per paragraph finds them all
    # A paragraph over chrome_max_words words (cues), or up to it (line_cues), holding none of these stems is
    # body whatever else it holds; None when some rule can fire without a stem.
    cues: frozenset[str] | None
    line_cues: frozenset[str] | None


@dataclass(frozen=True)
class HtmlRules:
    max_chars: int
    max_share: float
    tags: frozenset[str]
    roles: frozenset[str]
    appeal_tokens: frozenset[str]
    chrome_tokens: frozenset[str]
    never: frozenset[str]
    keep_tokens: frozenset[str]
    wrapper_tokens: frozenset[str]
    metered_tokens: frozenset[str]


@dataclass(frozen=True)
class RulePack:
    text: TextRules
    html: HtmlRules


def whole_line(patterns: list[str]) -> Phrase:
    """One alternation whose alternatives must each match the whole (lower-cased) line."""
    return Phrase.of("^(?:" + "|".join(f"(?:{p})" for p in patterns) + ")$")


def _load(name: str) -> dict:
    return tomllib.loads(resources.files("cleaners").joinpath("rules", name).read_text(encoding="utf-8"))


def _text_rules(data: dict) -> TextRules:
    limits, chrome, appeal, site = data["limits"], data["chrome"], data["appeal"], data["site_name"]
    chrome_contains = Phrases.of(chrome["contains"], chrome["contains_gate"])
    appeal_phrases = Phrases.of(appeal["phrases"], appeal["gate"])
    lead_in = Phrases.of(appeal["lead_ins"], [])
    vocabulary = frozenset(appeal["vocabulary"])
    lines = [whole_line(data["button"]["labels"]), whole_line(chrome["lines"]), whole_line(chrome["teaser_headings"])]
    line_needles = [needle for line in lines for needle in line.needles]
    # a long appeal needs long_appeal_min_hits appeal matches: with 0 it would need none
    long_appeal = appeal_phrases.required if limits["long_appeal_min_hits"] >= 1 else None
    cues = _union(chrome_contains.required, long_appeal, lead_in.required, vocabulary)
    return TextRules(
        appeal_max_words=limits["appeal_max_words"],
        long_appeal_min_hits=limits["long_appeal_min_hits"],
        long_appeal_max_words=limits["long_appeal_max_words"],
        chrome_max_words=limits["chrome_max_words"],
        line_max_words=limits["line_max_words"],
        title_min_words=limits["title_min_words"],
        title_max_words=limits["title_max_words"],
        title_window=limits["title_window"],
        button=lines[0],
        chrome_line=lines[1],
        teaser_heading=lines[2],
        teaser_line_max_words=chrome["teaser_line_max_words"],
        teaser_blurb_max_words=chrome["teaser_blurb_max_words"],
        chrome_contains=chrome_contains,
        appeal=appeal_phrases,
        lead_in=lead_in,
        address_words=frozenset(appeal["address_words"]),
        second_person_words=frozenset(appeal["second_person_words"]),
        capitalized_second_person=Phrase.of(r"\b(?:" + "|".join(appeal["capitalized_second_person"]) + r")\b"),
        vocabulary=vocabulary,
        site_names=tuple(re.compile(p) for p in site["patterns"]),
        generic_words=frozenset(site["generic_words"]),
        stems=Stems.of([*chrome_contains.stems, *appeal_phrases.stems, *lead_in.stems, *vocabulary, *line_needles]),
        cues=cues,
        line_cues=_union(cues, *(line.needles or None for line in lines)),
    )


def _union(*stems: frozenset[str] | None) -> frozenset[str] | None:
    """All the stems, or None when one of the rules has no stem to require."""
    return None if any(group is None for group in stems) else frozenset().union(*stems)


def _html_rules(data: dict) -> HtmlRules:
    return HtmlRules(
        max_chars=data["limits"]["max_chars"],
        max_share=data["limits"]["max_share"],
        tags=frozenset(data["elements"]["tags"]),
        roles=frozenset(data["elements"]["roles"]),
        appeal_tokens=frozenset(data["tokens"]["appeal"]),
        chrome_tokens=frozenset(data["tokens"]["chrome"]),
        never=frozenset(data["structure"]["never"]),
        keep_tokens=frozenset(data["structure"]["keep_tokens"]),
        wrapper_tokens=frozenset(data["structure"]["wrapper_tokens"]),
        metered_tokens=frozenset(data["structure"]["metered_tokens"]),
    )


@cache
def rule_pack() -> RulePack:
    """The pack, parsed and compiled once per process."""
    return RulePack(_text_rules(_load("text.toml")), _html_rules(_load("html.toml")))


def _rules_version() -> str:
    """A digest of the rule files: every row records exactly which rules cleaned it, with nothing to bump."""
    digest = hashlib.sha256()
    for name in RULE_FILES:
        digest.update(resources.files("cleaners").joinpath("rules", name).read_bytes())
    return f"rules-{digest.hexdigest()[:12]}"


RULES_VERSION = _rules_version()
