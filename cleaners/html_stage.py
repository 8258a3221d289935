"""HTML-level cleaning: prune chrome elements from the parsed tree, then extract the body."""

from __future__ import annotations

import re
from functools import cache, lru_cache

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import DEFAULT_CONFIG

from cleaners.overrides import SiteRules
from cleaners.paragraphs import clean_space
from cleaners.record import Removal
from cleaners.rules import HtmlRules, rule_pack
from cleaners.standfirst import standfirst

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TOKEN_SPLIT = re.compile(r"[\s_\-:/.]+")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# trafilatura's own bar for a short extraction, below which it looks to its fallbacks
_SHORT_EXTRACTION = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")


def prune_chrome(tree: HtmlElement, overrides: SiteRules | None = None) -> list[Removal]:
    """Drop the elements whose markup marks them as chrome or appeal; one Removal per dropped element."""
    rules = rule_pack().html
    page_chars = len(tree.text_content())
    doomed: dict[HtmlElement, tuple[str, str]] = {}
    inside_doomed: set[HtmlElement] = set()  # candidates come in document order: a box's insides follow it
    for element in _candidates(rules)(tree):
        if element in inside_doomed:
            continue
        verdict = _verdict(element, rules)
        if verdict and _is_box(element, rules, page_chars):
            doomed[element] = verdict
            inside_doomed.update(element.iterdescendants())
    for element in overrides.select(tree) if overrides else ():
        doomed.setdefault(element, ("override-selector", "override"))
    outermost = {el: v for el, v in doomed.items() if not any(a in doomed for a in el.iterancestors())}
    return [removal for el, (rule, kind) in outermost.items() if (removal := _drop(el, rule, kind))]


@cache
def _candidates(rules: HtmlRules) -> etree.XPath:
    """Elements worth a look: those with hooks, and the chrome tags (one precompiled pass)."""
    tags = " or ".join(f"self::{tag}" for tag in sorted(rules.tags))
    return etree.XPath(f"//*[@class or @id or @role or @aria-label or {tags}]")


def _verdict(element: HtmlElement, rules: HtmlRules) -> tuple[str, str] | None:
    """(rule id, kind) when the tag, role or hooks mark the element as chrome or appeal."""
    tag = element.tag
    if tag in rules.never:
        return None
    tokens = _hooks(element)
    if tokens & rules.keep_tokens:
        return None
    if tag in rules.tags or element.get("role") in rules.roles:
        return "html-chrome", "chrome"
    if tokens & rules.appeal_tokens and not _wraps_story(element, tokens, rules):
        return "html-appeal", "appeal"
    if tokens & rules.chrome_tokens:
        return "html-chrome", "chrome"
    return None


def _wraps_story(element: HtmlElement, tokens: frozenset[str], rules: HtmlRules) -> bool:
    appeal = tokens & rules.appeal_tokens
    return appeal <= rules.metered_tokens and bool(tokens & rules.wrapper_tokens) and len(element.findall(".//p")) >= 2


def _hooks(element: HtmlElement) -> frozenset[str]:
    """The words of the element's class, id and aria-label that a site chose to name its role."""
    tokens = _tokens(element.get("class"))
    if not _in_heading(element):  # a heading's id is its own wording ("pledge-drive"), not a role
        tokens |= _tokens(element.get("id"))
    if element.tag != "a":  # a link's aria-label is its headline or destination, free text
        tokens |= _tokens(element.get("aria-label"))
    return tokens


def _in_heading(element: HtmlElement) -> bool:
    parent = element.getparent()
    return element.tag in _HEADINGS or (parent is not None and parent.tag in _HEADINGS)


# Pages repeat the same class strings hundreds of times; ids are often unique, so each value is cached alone.
@lru_cache(maxsize=16384)
def _tokens(value: str | None) -> frozenset[str]:
    return frozenset(_TOKEN_SPLIT.split(_CAMEL.sub(" ", value).lower())) if value else frozenset()


def _is_box(element: HtmlElement, rules: HtmlRules, page_chars: int) -> bool:
    """A box is small: an element holding much of the page is a wrapper, whatever its class says."""
    chars = len(element.text_content())
    return 0 < chars <= rules.max_chars and chars <= rules.max_share * page_chars


def _drop(element: HtmlElement, rule: str, kind: str) -> Removal | None:
    # itertext keeps block boundaries apart ("Sign up" / "Trending"), text_content would glue them.
    text = clean_space(" ".join(element.itertext()))
    if element.getparent() is None:
        return None
    element.drop_tree()
    return Removal(rule, kind, text) if text else None


def extract_body(tree: HtmlElement, url: str | None) -> str:
    """The article text, led by any standfirst trafilatura left out; one paragraph per blank-line separated block.

    trafilatura's readability/justext comparison costs ~40% of its time and on the dev pages only
    helps where its own extraction came out short: it runs only then."""
    text = _trafilatura_text(tree, url, fast=True)
    if len(text) < _SHORT_EXTRACTION:
        text = _trafilatura_text(tree, url, fast=False)
    body = "\n\n".join(line for line in text.splitlines() if line.strip())
    lead = standfirst(tree, body)
    return f"{lead}\n\n{body}" if lead else body


def _trafilatura_text(tree: HtmlElement, url: str | None, fast: bool) -> str:
    text = trafilatura.extract(
        tree, url=url, include_comments=False, favor_precision=True, fast=fast, output_format="txt"
    )
    return text or ""
