"""Needles: literal strings one of which every match of a regular expression contains.

Testing a paragraph for a few substrings is some ten times cheaper than searching it with the pattern, and
most paragraphs hold none of a pattern's needles, so the search is only run where it can match."""

from __future__ import annotations

import re
from re import _constants as sre  # the parsed form of a pattern: the stdlib's own parser, not a re-implementation
from re import _parser

Needles = frozenset[str]
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def needles(pattern: str) -> tuple[str, ...]:
    """The needles of a case-sensitive pattern, longest set first chosen; () when none is known."""
    parsed = _parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return ()
    found = _in_sequence(parsed.data) or frozenset()
    # a needle that holds another adds nothing: where it is, the shorter one is too
    return tuple(sorted(n for n in found if not any(other in n for other in found if other != n)))


def _in_sequence(items: list) -> Needles | None:
    """Each literal run and each element that must match gives a candidate set; the one with the longest
    shortest needle is the most selective."""
    candidates: list[Needles] = []
    run = ""
    for op, argument in [*items, (None, None)]:
        if op is sre.LITERAL:
            run += chr(argument)
            continue
        if run:
            candidates.append(frozenset({run}))
            run = ""
        element = _in_element(op, argument)
        if element:
            candidates.append(element)
    return max(candidates, key=lambda found: (min(map(len, found)), -len(found)), default=None)


def _in_element(op: object, argument: object) -> Needles | None:
    if op is sre.SUBPATTERN:
        _, added_flags, removed_flags, body = argument
        return None if added_flags or removed_flags else _in_sequence(body.data)
    if op is sre.BRANCH:
        branches = [_in_sequence(branch.data) for branch in argument[1]]
        return None if not all(branches) else frozenset().union(*branches)
    if op in _REPEATS and argument[0] >= 1:
        return _in_sequence(argument[2].data)
    return None  # classes, anchors, lookarounds: no literal every match holds
