"""One pass over the page's machine-readable markup: meta tags, JSON-LD, link rels, html lang."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from cleaners.paragraphs import clean_space

# Compiled once: every page runs these.
_META = etree.XPath("//meta[@content]")
_JSON_LD = etree.XPath("//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]")
_LINKS = etree.XPath("//link[@rel][@href]")
_TITLE = etree.XPath("(//title)[1]")
H1S = etree.XPath("//h1")
FIRST_H1 = etree.XPath("(//body//h1)[1]")  # the headline the bylines and dates stand under
_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")

# Where the page's readers write, not its authors: comment threads, forms, scripts and styles. Credits and days found
# there belong to a comment, never to the article. Not the classes of <body> and <html>, which describe the whole
# page ("comments-open", "has-sidebar").
_INNER = "ancestor::*[not(self::body or self::html)]"
OUTSIDE_COMMENTS = (
    f"not(ancestor::script or ancestor::style or ancestor::form or "
    f"{_INNER}[contains(@class, 'comment') or contains(@id, 'comment')])"
)
in_comments = etree.XPath(f"not({OUTSIDE_COMMENTS})")
# Quoted from elsewhere: a poem, an embedded post (Instagram, X); its credits and days are not the article's.
in_quote = etree.XPath("ancestor::blockquote")
# Blocks beside the article's text: teasers of other stories, sidebars, menus, the page's header and footer, captions.
# A class word must start with "teaser", "sidebar" or "related": "layout-with-sidebar" describes the layout around
# the article, not a sidebar.
_CLASS_STARTS = "contains(concat(' ', normalize-space(@class)), ' {}')"
_SIDE_CLASSES = " or ".join(_CLASS_STARTS.format(word) for word in ("teaser", "sidebar", "related"))
# Other stories' blocks and the site's own: sidebars, teasers, menus, the footer.
_ASIDE_BLOCK = f"self::aside or self::nav or self::footer or {_SIDE_CLASSES}"
in_aside = etree.XPath(f"{_INNER}[{_ASIDE_BLOCK}]")
# BESIDE_BLOCK tests one element: an aside, or a picture and its caption. The page's <header> is apart from it, as an
# article's own <header> is no such block.
BESIDE_BLOCK = f"{_ASIDE_BLOCK} or self::figure or contains(@class, 'caption')"
_BESIDE_ARTICLE = f"ancestor::header or {_INNER}[{BESIDE_BLOCK}]"
IN_ARTICLE_TEXT = etree.XPath(f"{OUTSIDE_COMMENTS} and not({_BESIDE_ARTICLE})")
BODY_PARAGRAPHS = etree.XPath("//body//p")
_OPENING_COUNT = 30
_PARAGRAPHS_READ = 200  # a page's opening paragraphs come early; a page of 10,000 deep ones must not cost a search each


def opening_paragraphs(tree: HtmlElement) -> list[HtmlElement]:
    """The article's opening paragraphs, where a wire story's or a press release's dateline stands: the first
    paragraphs outside comments, teasers, sidebars, menus and captions."""
    found: list[HtmlElement] = []
    for paragraph in islice(BODY_PARAGRAPHS(tree), _PARAGRAPHS_READ):
        if IN_ARTICLE_TEXT(paragraph):
            found.append(paragraph)
            if len(found) == _OPENING_COUNT:
                break
    return found


# Every schema.org type named "...Article" or "...Posting" (ReportageNewsArticle, DiscussionForumPosting) is an
# article; these are the others that describe one.
ARTICLE_TYPES = frozenset({"report", "review", "webpage", "medicalwebpage", "creativework", "videoobject", "itempage"})
_ARTICLE_SUFFIXES = ("article", "posting")


@dataclass
class Markup:
    """What the page says about itself, in document order; keys are lowercased."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    json_ld: list[dict[str, Any]] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=dict)
    html_lang: str | None = None
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)

    def first_meta(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return value.strip()
        return None

    def articles(self) -> list[dict[str, Any]]:
        """JSON-LD nodes that describe a page or article, most specific (news/blog types) first."""
        nodes = [n for n in self.json_ld if is_article(n)]
        return sorted(nodes, key=lambda n: bool(node_types(n) & {"webpage", "creativework", "itempage"}))


def read_markup(tree: HtmlElement) -> Markup:
    markup = Markup()
    for el in _META(tree):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        if key:
            for part in key.lower().split():
                markup.meta.setdefault(part, []).append(clean_space(el.get("content", "")))
    for el in _LINKS(tree):
        for rel in el.get("rel", "").lower().split():
            markup.links.setdefault(rel, []).append(el.get("href", "").strip())
    for el in _JSON_LD(tree):
        markup.json_ld.extend(flatten(parse_json(el.text or "")))
    markup.html_lang = (
        tree.get("lang") or tree.get("xml:lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    )
    titles = _TITLE(tree)
    markup.title_tag = clean_space(titles[0].text_content()) if titles else None
    # Documentation pages end headings with a permalink sign ("Install¶"): not part of the headline.
    markup.h1 = [text for text in (clean_space(h.text_content()).rstrip("¶#🔗 ") for h in H1S(tree)) if text]
    return markup


def parse_json(text: str) -> Any:
    # Wrappers that hid scripts from old parsers: "<!-- ... -->", "<![CDATA[ ... ]]>" (also behind "//").
    text = _WRAPPER.sub("", text).strip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except ValueError:
        # A few sites put raw newlines or trailing commas in JSON-LD; retry once with them gone.
        try:
            return json.loads(re.sub(r",\s*([}\]])", r"\1", text.replace("\n", " ")), strict=False)
        except ValueError:
            return None


def flatten(data: Any) -> Iterator[dict[str, Any]]:
    """Every dict node of a JSON-LD document: top-level lists and @graph arrays unrolled."""
    if isinstance(data, list):
        for item in data:
            yield from flatten(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from flatten(data["@graph"])
        if isinstance(data.get("mainEntity"), dict):
            yield from flatten(data["mainEntity"])


def is_article(node: dict[str, Any]) -> bool:
    kinds = node_types(node)
    return bool(kinds & ARTICLE_TYPES) or any(kind.endswith(_ARTICLE_SUFFIXES) for kind in kinds)


def node_types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", ())
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def text_of(node: HtmlElement) -> str:
    """An element's text; a comment or processing instruction among the children has none."""
    return node.text_content() if isinstance(node.tag, str) else ""


def ld_text(value: Any) -> str | None:
    """A JSON-LD value as plain text: strings as they are, {"name"|"@value": ...} unwrapped, lists -> first."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, str | int | float) and str(value).strip():
        return clean_space(str(value))
    return None
