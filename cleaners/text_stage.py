"""Text-level cleaning: drop appeal and chrome paragraphs, find the headline."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from enum import Enum
from functools import cache

from cleaners.paragraphs import clean_space
from cleaners.record import Removal
from cleaners.rules import TextRules, rule_pack

_WORD = re.compile(r"\w+(?:['’]\w+)?")
# Arrows, bullets and punctuation around a button label ("→ Unterstützen", "Donate »").
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
# A paragraph opening with a quotation is someone quoted in the story, never the outlet's appeal.
_QUOTED = re.compile(r"^[\"“”„«»‘'‹›]")
_SENTENCE_END = re.compile(r"[.!?…:;\"“”„»«‘’)'。！？」』]$")
_FULL_STOP = re.compile(r"[.!?。！？][\"“”»«’']?$")
_CONTENT_WORD = re.compile(r"\w{4,}")
_DIGIT = re.compile(r"\d")
_SENTENCE_BREAK = re.compile(r"[.!?][\"“”»’']? +[A-ZÀ-Ý\"“„«]")
_INLINE_TEASER = re.compile(r":\s*\S")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class Label(Enum):
    BODY = "body"
    BUTTON = "button"
    CHROME = "chrome"
    TEASER_HEAD = "teaser-heading"
    TEASER = "teaser"
    NOTICE = "notice"
    OVERRIDE = "override"
    APPEAL = "appeal"
    LEAD_IN = "lead-in"
    WEAK = "weak"


# Rule id and Removal kind of each label that removes a paragraph on its own.
_RULE = {
    Label.BUTTON: ("button-label", "chrome"),
    Label.CHROME: ("chrome-line", "chrome"),
    Label.TEASER_HEAD: ("teaser-heading", "chrome"),
    Label.TEASER: ("teaser-list", "chrome"),
    Label.NOTICE: ("chrome-notice", "chrome"),
    Label.OVERRIDE: ("override-phrase", "override"),
    Label.APPEAL: ("appeal-phrase", "appeal"),
    Label.LEAD_IN: ("appeal-lead-in", "appeal"),
    Label.WEAK: ("appeal-block", "appeal"),
}
_STRONG = frozenset({Label.APPEAL, Label.LEAD_IN})


@dataclass
class TextOutcome:
    paragraphs: list[str]
    removals: list[Removal] = field(default_factory=list)
    title: str | None = None
    site_name: str | None = None


def clean_paragraphs(
    paragraphs: list[str], *, whole_page: bool, extra_phrases: Sequence[str] = ()
) -> TextOutcome:
    """`whole_page` is true for plain-text dumps: the headline and the article are found in the page.

    `extra_phrases` are per-site phrases (overrides): a paragraph holding one is dropped."""
    rules = rule_pack().text
    labels = resolve_blocks([classify(p, rules, extra_phrases) for p in paragraphs])
    labels = appeal_heading(paragraphs, teaser_boxes(paragraphs, labels, rules), rules)
    removals: dict[int, Removal] = {
        i: Removal(*_RULE[label], paragraphs[i]) for i, label in enumerate(labels) if label is not Label.BODY
    }
    title = None
    if whole_page:
        start, end = body_span(paragraphs, labels, rules)
        title_at = find_title(paragraphs, labels, start, rules)
        for i in (*range(start), *range(end, len(paragraphs))):
            removals.setdefault(i, Removal("outside-body", "chrome", paragraphs[i]))
        if title_at is not None:
            title = paragraphs[title_at]
            removals[title_at] = Removal("headline", "title", title)
    kept = [p for i, p in enumerate(paragraphs) if i not in removals]
    site = site_name(paragraphs[i] for i, label in enumerate(labels) if label in _STRONG)
    return TextOutcome(kept, [removals[i] for i in sorted(removals)], title, site)


@dataclass(slots=True)  # not frozen: a frozen dataclass pays a setattr call per field, per paragraph
class _View:
    """One paragraph as the rules read it: collapsed, lower-cased, counted, with the rules' stems it holds."""

    text: str
    low: str
    words: int
    held: Set[str]

    @classmethod
    def of(cls, paragraph: str, rules: TextRules) -> _View:
        if _collapsed(paragraph):
            low = paragraph.lower()
            return cls(paragraph, low, paragraph.count(" ") + 1, rules.stems.held(low))
        parts = paragraph.split()
        text = " ".join(parts)
        low = text.lower()
        return cls(text, low, len(parts), rules.stems.held(low))

    def tokens(self) -> frozenset[str]:
        return frozenset(_WORD.findall(self.low))


def _collapsed(paragraph: str) -> bool:
    """Words already joined by single spaces, as most paragraphs are: `isprintable` is false for every other
    whitespace character, so splitting and joining would give the paragraph back."""
    return paragraph.isprintable() and "  " not in paragraph and paragraph[:1] not in ("", " ") and paragraph[-1] != " "


def classify(paragraph: str, rules: TextRules, extra_phrases: Sequence[str] = ()) -> Label:
    """The label of one paragraph on its own, before its neighbours are considered."""
    view = _View.of(paragraph, rules)
    if extra_phrases and any(phrase.lower() in view.low for phrase in extra_phrases):
        return Label.OVERRIDE
    cues = rules.line_cues if view.words <= rules.chrome_max_words else rules.cues
    if cues is not None and view.held.isdisjoint(cues):  # most body paragraphs: no rule below can fire
        return Label.BODY
    if view.words <= rules.chrome_max_words and (line := _line_label(view, rules)):
        return line
    if view.words > rules.appeal_max_words:
        return _long_appeal(view, rules)
    if rules.chrome_contains.search(view.low, view.held):
        return Label.NOTICE
    if _QUOTED.match(view.text):
        return Label.BODY
    return _address_label(view, rules)


def _line_label(view: _View, rules: TextRules) -> Label | None:
    """A short paragraph that is, as a whole, a button label, a teaser heading or a chrome line."""
    bare = _EDGES.sub("", view.low)
    if view.words <= rules.line_max_words and rules.button.match(bare, view.held):
        return Label.BUTTON
    if rules.teaser_heading.match(bare, view.held):
        return Label.TEASER_HEAD
    if rules.chrome_line.match(view.low, view.held):
        return Label.CHROME
    return None


def _address_label(view: _View, rules: TextRules) -> Label:
    """A line, or a paragraph that addresses the reader, is an appeal by its phrases or its vocabulary."""
    if not _may_be_appeal(view, rules):  # nothing below can fire: the reader-address test would be wasted
        return Label.BODY
    tokens = view.tokens()
    second_person = _second_person(view, tokens, rules)
    if not (view.words <= rules.line_max_words or second_person or not tokens.isdisjoint(rules.address_words)):
        return Label.BODY
    if rules.lead_in.search(view.low, view.held):
        return Label.LEAD_IN
    if rules.appeal.search(view.low, view.held):
        return Label.APPEAL
    if second_person and any(_starts_word(stem).search(view.low) for stem in rules.vocabulary & view.held):
        return Label.WEAK
    return Label.BODY


@cache
def _starts_word(stem: str) -> re.Pattern[str]:
    """A vocabulary stem counts where a word starts with it: "members", not "remember" or "commission"."""
    return re.compile(rf"(?<!\w){re.escape(stem)}")


def _may_be_appeal(view: _View, rules: TextRules) -> bool:
    held = view.held
    return rules.lead_in.may_match(held) or rules.appeal.may_match(held) or not rules.vocabulary.isdisjoint(held)


def _long_appeal(view: _View, rules: TextRules) -> Label:
    """A long paragraph is an appeal only when it repeats appeal phrases and speaks to the reader."""
    if view.words > rules.long_appeal_max_words or _QUOTED.match(view.text):
        return Label.BODY
    if rules.appeal.count(view.low, view.held) < rules.long_appeal_min_hits:  # before the tokens: most hold none
        return Label.BODY
    return Label.APPEAL if _second_person(view, view.tokens(), rules) else Label.BODY


def _second_person(view: _View, tokens: frozenset[str], rules: TextRules) -> bool:
    return not tokens.isdisjoint(rules.second_person_words) or rules.capitalized_second_person.search(view.text)


def resolve_blocks(labels: list[Label]) -> list[Label]:
    """Reader-addressing paragraphs are appeals only inside a block that holds a real appeal."""
    resolved = list(labels)
    for start, end in _runs(labels):
        if not any(label in _STRONG for label in labels[start:end]):
            for i in range(start, end):
                if labels[i] is Label.WEAK:
                    resolved[i] = Label.BODY
    return resolved


def teaser_boxes(paragraphs: list[str], labels: list[Label], rules: TextRules) -> list[Label]:
    """The short, non-sentence lines after a teaser heading are its teasers, up to the next prose."""
    resolved = list(labels)
    if Label.TEASER_HEAD not in labels:  # most pages: no box to walk
        return resolved
    in_box = inline = False
    for i, (paragraph, label) in enumerate(zip(paragraphs, labels, strict=True)):
        if label is Label.TEASER_HEAD:
            in_box, inline = True, bool(_INLINE_TEASER.search(paragraph))
        elif label is Label.BODY and in_box:
            # after "Related: <headline>" only more lines of that shape are teasers, not the subheading below
            in_box = _is_inline_teaser(paragraph, rules) if inline else _is_teaser_line(paragraph, rules)
            resolved[i] = Label.TEASER if in_box else label
    return resolved


def _is_inline_teaser(paragraph: str, rules: TextRules) -> bool:
    view = _View.of(paragraph, rules)
    return rules.teaser_heading.match(_EDGES.sub("", view.low), view.held)


def _is_teaser_line(paragraph: str, rules: TextRules) -> bool:
    """A headline: short, one sentence at most, and not ending like prose."""
    words = len(paragraph.split())
    text = paragraph.rstrip()
    if not 0 < words <= rules.teaser_line_max_words or text.endswith((".", ":", ";")):
        return False
    return len(_SENTENCE_BREAK.findall(text)) < 2  # a headline may ask a question and answer it, no more


def appeal_heading(paragraphs: list[str], labels: list[Label], rules: TextRules) -> list[Label]:
    """A heading line right above the closing appeal block (nothing but chrome after it) is its title."""
    tail = _runs(labels)[-1] if labels and labels[-1] is not Label.BODY else None
    if not tail or tail[0] == 0 or not any(label in _STRONG for label in labels[tail[0] :]):
        return labels
    heading = tail[0] - 1
    words = len(paragraphs[heading].split())
    if 0 < words <= rules.line_max_words and not _FULL_STOP.search(paragraphs[heading].rstrip()):
        return [*labels[:heading], Label.WEAK, *labels[heading + 1 :]]
    return labels


def _runs(labels: list[Label]) -> list[tuple[int, int]]:
    """Maximal [start, end) runs of paragraphs that are not body."""
    runs, start = [], None
    for i, label in enumerate([*labels, Label.BODY]):
        if label is Label.BODY and start is not None:
            runs.append((start, i))
            start = None
        elif label is not Label.BODY and start is None:
            start = i
    return runs


def body_span(paragraphs: list[str], labels: list[Label], rules: TextRules) -> tuple[int, int]:
    """[start, end) of the densest run of prose: the article inside a whole-page dump."""
    weights = [_prose_weight(p, label, rules) for p, label in zip(paragraphs, labels, strict=True)]
    best, best_span, total, start = 0, (0, 0), 0, 0
    for i, weight in enumerate(weights):
        if total <= 0:
            total, start = 0, i
        total += weight
        if total > best:
            best, best_span = total, (start, i + 1)
    start, end = best_span
    if start == end:
        # No prose at all (a list, a table, a note): keep the page rather than lose the document.
        return 0, len(paragraphs)
    return start, _teaser_tail(paragraphs, weights, start, end, rules)


def _teaser_tail(paragraphs: list[str], weights: list[int], start: int, end: int, rules: TextRules) -> int:
    """Where a trailing teaser list starts: after the article's last two adjacent prose paragraphs,
    short blurbs each led by two or more lines, among them a date or time, again and again."""
    prose = [w > 0 for w in weights]
    last_pair = max((i + 1 for i in range(start, end - 1) if prose[i] and prose[i + 1]), default=start)
    blurbs = [
        i for i in range(last_pair + 3, end)
        if 0 < weights[i] <= rules.teaser_blurb_max_words and not any(prose[i - 2 : i])
        and any(_is_dateline(p, rules) for p in paragraphs[max(i - 3, last_pair + 1) : i])
    ]
    later_prose = sum(prose[blurbs[0] : end]) if blurbs else 0
    if len(blurbs) < 3 or len(blurbs) < 0.6 * later_prose:
        return end
    cut = blurbs[0] - 2
    while cut - 1 > last_pair and not prose[cut - 1]:
        cut -= 1
    return cut


def _is_dateline(paragraph: str, rules: TextRules) -> bool:
    """A teaser's date or time: a few words with a number in them ("8 hours ago", "12 May 2031")."""
    return len(paragraph.split()) <= rules.line_max_words and _DIGIT.search(paragraph) is not None


def _prose_weight(paragraph: str, label: Label, rules: TextRules) -> int:
    """Sentences count for the article, by length; lines and removed chrome count against it."""
    words = word_count(paragraph)
    if label is not Label.BODY:
        return -3
    if words <= rules.line_max_words:
        # A short sentence ("He denied it.") is prose; a short line without a full stop is a label.
        return 1 if words >= 3 and _FULL_STOP.search(paragraph.rstrip()) else -3
    if words < 2 * rules.line_max_words and not _SENTENCE_END.search(paragraph.rstrip()):
        return -1
    return min(words, 60) - 6


def word_count(text: str) -> int:
    """Words, with two CJK characters counted as one word: those scripts put no spaces between words."""
    cjk = 0 if text.isascii() else len(_CJK.findall(text))  # isascii is a flag check: no scan
    return len(text.split()) + cjk // 2


def find_title(paragraphs: list[str], labels: list[Label], start: int, rules: TextRules) -> int | None:
    """The headline: of the headline-shaped lines shortly before the article, the one sharing most
    words with the lead (menus and captions share few), the earliest on a tie."""
    candidates = [
        i for i in range(max(0, start - rules.title_window), start)
        if labels[i] is Label.BODY and _headline_shaped(paragraphs[i], rules)
    ]
    if len(candidates) < 2:  # nothing to choose between: the lead's words are not needed
        return candidates[0] if candidates else None
    lead = _content_words(" ".join(paragraphs[start : start + 3]))
    return max(candidates, key=lambda i: (_overlap(paragraphs[i], lead), -i))


def _headline_shaped(paragraph: str, rules: TextRules) -> bool:
    """A few words, no closing full stop, not a date or a score line."""
    words = len(paragraph.split())
    return (
        rules.title_min_words <= words <= rules.title_max_words
        and not paragraph.rstrip().endswith(".")
        and len(_DIGIT.findall(paragraph)) < 4
    )


def _content_words(text: str) -> set[str]:
    return set(_CONTENT_WORD.findall(text.lower()))


def _overlap(line: str, lead: set[str]) -> float:
    """Shared content words, damped by length so a long caption does not win by size alone."""
    words = _content_words(line)
    return len(words & lead) / math.sqrt(len(words) or 1)


def site_name(appeals: Iterable[str]) -> str | None:
    """The outlet an appeal names ("Support The Moscow Times!"), unless it names only a cause."""
    rules = rule_pack().text
    for paragraph in appeals:
        text = clean_space(paragraph)
        for pattern in rules.site_names:
            match = pattern.match(text)
            if match and not set(match["site"].lower().split()) <= rules.generic_words:
                return match["site"]
    return None
