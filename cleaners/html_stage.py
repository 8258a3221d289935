"""HTML-level cleaning: prune chrome elements from the parsed tree, then extract the body."""

import trafilatura
from lxml.html import HtmlElement

from cleaners.record import Removal


def prune_chrome(tree: HtmlElement) -> list[Removal]:
    return []


def extract_body(tree: HtmlElement, url: str | None) -> str:
    """The article text, one paragraph per blank-line separated block (trafilatura gives one per line)."""
    text = trafilatura.extract(tree, url=url, include_comments=False, output_format="txt") or ""
    return "\n\n".join(line for line in text.splitlines() if line.strip())
