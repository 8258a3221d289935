"""Days written the way pages print them: "3 de mayo de 2022", "26. Januar 2022", "May 15th, 2023", "11.11.2021"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

# Month names and their usual abbreviations in English, German, French, Spanish, Italian, Portuguese and Dutch;
# not those that are also common words ("set", "out", "gen", "mag", "ago", "lug") or names ("Marco").
_MONTH_WORDS = (
    "january jan januar jänner janvier janv enero ene gennaio janeiro januari",
    "february feb februar février fevrier févr fevr febrero febbraio fevereiro fev februari",
    "march mar märz maerz mär mars marzo março maart mrt",
    "april apr avril avr abril abr aprile",
    "may mai mayo maggio maio mei",
    "june jun juni juin junio giugno giu junho",
    "july jul juli juillet juil julio luglio julho",
    "august aug août aout agosto augustus",
    "september sep sept septembre septiembre settembre setembro",
    "october oct oktober okt octobre octubre ottobre ott outubro",
    "november nov novembre noviembre novembro",
    "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro",
)
MONTHS = {word: number for number, words in enumerate(_MONTH_WORDS, 1) for word in words.split()}
_DAY_FIRST = re.compile(r"\b(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]{3,})\.?,?\s+(?:de\s+)?((?:19|20)\d\d)\b", re.I)
_MONTH_FIRST = re.compile(r"\b([^\W\d_]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I)
# Dots only: with slashes, 03/04/2022 is March in one country and April in the next.
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b")


def written_day(text: str) -> date | None:
    """The first day written in words or with dots; None when the text holds none, or only impossible ones."""
    found = day_and_start(text)
    return found[0] if found else None


def day_and_start(text: str) -> tuple[date, int] | None:
    """written_day's day and where in the text it starts: what stands before it may label it."""
    for pattern, order in ((_DAY_FIRST, (3, 2, 1)), (_MONTH_FIRST, (3, 1, 2)), (_DOTTED, (3, 2, 1))):
        for match in _overlapping(pattern, text):
            year, month, day = (match.group(i) for i in order)
            number = int(month) if month.isdigit() else MONTHS.get(month.casefold())
            if number is None:
                continue  # "Top 10 Things 2023 - May 5, 2023": not a month; read on
            try:
                return date(int(year), number, int(day)), match.start()
            except ValueError:
                continue
    return None


def _overlapping(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every match, each searched from just after the last one's start: "2 von 2021, 26. Januar 2022" holds two."""
    match = pattern.search(text)
    while match is not None:
        yield match
        match = pattern.search(text, match.start() + 1)
