"""The rule pack: appeal and chrome patterns loaded from the data files beside this module."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Bump whenever a data file under cleaners/rules/ changes: every row records it.
RULES_VERSION = "rules-1"


@dataclass(frozen=True)
class TextRules:
    appeal_max_words: int
    long_appeal_min_hits: int
    long_appeal_max_words: int
    chrome_max_words: int
    line_max_words: int
    button: re.Pattern[str]
    chrome_line: re.Pattern[str]
    chrome_contains: re.Pattern[str]
    appeal: re.Pattern[str]
    lead_in: re.Pattern[str]
    address: re.Pattern[str]
    second_person: re.Pattern[str]
    vocabulary: re.Pattern[str]
    site_names: tuple[re.Pattern[str], ...]
    generic_words: frozenset[str]


@dataclass(frozen=True)
class HtmlRules:
    max_chars: int
    max_share: float
    tags: frozenset[str]
    roles: frozenset[str]
    appeal_tokens: frozenset[str]
    chrome_tokens: frozenset[str]
    never: frozenset[str]


@dataclass(frozen=True)
class RulePack:
    version: str
    text: TextRules
    html: HtmlRules


def any_of(patterns: list[str], *, anchored: bool = False) -> re.Pattern[str]:
    """One case-insensitive alternation; `anchored` makes each alternative match a whole string."""
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(f"^(?:{body})$" if anchored else body, re.IGNORECASE)


def _load(name: str) -> dict:
    return tomllib.loads(resources.files("cleaners").joinpath("rules", name).read_text(encoding="utf-8"))


def _text_rules(data: dict) -> TextRules:
    limits, appeal, site = data["limits"], data["appeal"], data["site_name"]
    return TextRules(
        appeal_max_words=limits["appeal_max_words"],
        long_appeal_min_hits=limits["long_appeal_min_hits"],
        long_appeal_max_words=limits["long_appeal_max_words"],
        chrome_max_words=limits["chrome_max_words"],
        line_max_words=limits["line_max_words"],
        button=any_of(data["button"]["labels"], anchored=True),
        chrome_line=any_of(data["chrome"]["lines"], anchored=True),
        chrome_contains=any_of(data["chrome"]["contains"]),
        appeal=any_of(appeal["phrases"]),
        lead_in=any_of(appeal["lead_ins"]),
        address=any_of(appeal["address"]),
        second_person=any_of(appeal["second_person"]),
        vocabulary=any_of(appeal["vocabulary"]),
        site_names=tuple(re.compile(p) for p in site["patterns"]),
        generic_words=frozenset(site["generic_words"]),
    )


def _html_rules(data: dict) -> HtmlRules:
    return HtmlRules(
        max_chars=data["limits"]["max_chars"],
        max_share=data["limits"]["max_share"],
        tags=frozenset(data["elements"]["tags"]),
        roles=frozenset(data["elements"]["roles"]),
        appeal_tokens=frozenset(data["tokens"]["appeal"]),
        chrome_tokens=frozenset(data["tokens"]["chrome"]),
        never=frozenset(data["structure"]["never"]),
    )


@cache
def rule_pack() -> RulePack:
    """The pack, parsed and compiled once per process."""
    return RulePack(RULES_VERSION, _text_rules(_load("text.toml")), _html_rules(_load("html.toml")))
