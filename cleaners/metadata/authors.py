"""Where a page names its authors: JSON-LD, meta tags, byline markup, label/value pairs and byline-like text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from cleaners.metadata.markup import (
    FIRST_H1,
    OUTSIDE_COMMENTS,
    Markup,
    in_aside,
    in_comments,
    ld_text,
    node_types,
    opening_paragraphs,
    text_of,
)
from cleaners.metadata.names import (
    BY,
    DATE,
    JOB_TITLE,
    NOUNS,
    OUTLET_ARTICLE,
    Byline,
    Credit,
    account_handle,
    add_name,
    capitalized_words,
    fix_case,
    is_full_name,
    is_person_name,
    parse_bylines,
    signed_agency,
    split_byline,
)
from cleaners.metadata.title import key
from cleaners.metadata.urls import registered_domain
from cleaners.paragraphs import clean_space

# The last key is "twitter:misc:Written by", split at its space.
_META_KEYS = ("author", "article:author", "dc.creator", "dc:creator", "dcterms.creator", "dcterms:creator",
              "sailthru.author", "parsely-author", "byl", "citation_author", "cxenseparse:author", "og:article:author",
              "articleauthor", "twitter:misc:written")  # fmt: skip
_DUBLIN_CORE = ("dc.creator", "dc:creator", "dcterms.creator", "dcterms:creator")
_WRITTEN_BY = re.compile(r"written by|verfasst von|geschrieben von|écrit par|escrito por|autor", re.I)
_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website", "brand"})
_REL_AUTHOR = "contains(concat(' ', normalize-space(@rel), ' '), ' author ')"  # rel="author", rel="author external"
_BYLINE_XPATH = etree.XPath(
    f"//*[@itemprop='author'] | //*[{_REL_AUTHOR}] |"
    " //*[contains(@class, 'byline')] | //byline | //article//address | "
    "//*[contains(@class, 'author') and not(contains(@class, 'authorize'))][not(self::body or self::html)] | "
    "//*[contains(@class, 'autor') or contains(@class, 'contributor')][not(self::body or self::html)]"
)
# A paragraph whose whole text is one bold or italic element, among the first three or the last of its siblings (a
# standfirst may come first); a list after it makes it a heading.
_EMPHASIZED_PARAGRAPHS = etree.XPath(
    "//body//p[count(*) = 1][strong or b or em][string-length(normalize-space()) < 60]"
    "[normalize-space() = normalize-space(strong | b | em)]"
    "[count(preceding-sibling::p[normalize-space(translate(., '\u00a0', ' '))]) < 3"
    " or not(following-sibling::p[normalize-space(translate(., '\u00a0', ' '))])]"
    "[not(following-sibling::*[1][self::ul or self::ol])]"
)
# Inside an author box, the elements that hold just the names, best kind first. Microdata and hCard say outright
# "this is the author's name" (so it may be a login); a "name" class or the box's heading only hold it.
_EXPLICIT_NAMES_INSIDE = [
    etree.XPath(path) for path in (".//*[@itemprop='name']", ".//*[contains(concat(' ', @class, ' '), ' fn ')]")
]
_OTHER_NAMES_INSIDE = [
    etree.XPath(path) for path in (".//*[contains(@class, 'name')]", "(.//h2 | .//h3 | .//h4 | .//h5)[1]")
]
_LINKS = etree.XPath("descendant-or-self::a[@href or @rel]")
# Path segments (or query values, "?page=profile&id=4") that lead to a writer's account page on the site itself.
_ACCOUNT_SEGMENTS = frozenset(
    {"user", "users", "profile", "profiles", "profil", "member", "members", "mitglied", "mitglieder", "author",
     "authors", "autor", "autoren"}
)  # fmt: skip
# A label and its value: "<strong>Autorin/Autor</strong> Jane Doe", "<h4>Author</h4><p>Jane Doe</p>".
_LABELS = etree.XPath(
    "//body//*[self::strong or self::b or self::span or self::dt or self::th or self::h4 or self::h5 or self::label]"
    "[string-length(normalize-space()) < 24]"
)
_LABEL_TEXT = re.compile(
    rf"(?:autor(?:in)?(?:/autor)?|autoren|author|authors|verfasser(?:in)?|text|written by)\s*:?|(?:{BY})\s*:", re.I
)
# Last resort: a short text that reads like a byline ("Von Jane Doe"), outside scripts and comments.
# Words that may come before "by"/"von" in a byline: "Posted by", "Ein Beitrag von", "Text und Fotos von".
_LEAD = rf"(?:(?:{NOUNS}|fotos?|photos?|ein|und)\s+){{0,3}}"
# The word that leads the names. No dash before it: "– by Tom Reed" closes a teaser, a quote or a book title.
_LEAD_WORD = rf"(?:{BY}|text:|autor(?:in)?:|author:)"
_BYLINE_START = re.compile(rf"\s*{_LEAD}{_LEAD_WORD}\s", re.I)
# A blog's "Posted by <one word>": the lead says outright that the word is the writer's (display) name or handle;
# account_handle still wants a login's or a name's look ("kim77", "Wendelin", not "hand" or "mir").
_POSTED_BY = re.compile(
    r"(?:posted|written|geschrieben|verfasst|gepostet)\s(?:by|von)\s(?P<handle>[^\W_][\w.-]{1,39})", re.I
)
_FULLER_LOOKAHEAD = 8  # byline elements searched for the full list of authors
# A byline prefix whose name is in the next element; photo credits ("Photo by <a>...</a>") are not bylines.
_BARE_LEAD = re.compile(rf"\s*(?:(?:{NOUNS}|ein)\s+){{0,3}}(?:{BY})\s*", re.I)
# Where a picture credit starts after the writer's: "... Illustration von", "... Fotos:", "... Photos by". Run on
# text with single spaces only: the lookbehind, unlike a leading \s+, cannot backtrack over a run of whitespace.
_LATER_PICTURE_CREDIT = re.compile(
    r"(?<=\s)(?:illustrations?|fotos?|photos?|bilder?|grafik|kamera|camera)\s?(?:von|by|de|par|:)\s", re.I
)
# A Chinese or Japanese byline: a label and a colon ("作者：", "责任编辑：") and names in Han script, nothing else.
_HAN_NAME = r"[\u3400-\u4dbf\u4e00-\u9fff]{2,4}"
_HAN_NAMES_SEPARATOR = r"[\s、,，]+"
_CJK_CREDIT = re.compile(
    rf"(?:作者|责任编辑|責任編輯|编辑|編輯|记者|記者|文)\s*[:：]\s*"
    rf"(?P<names>{_HAN_NAME}(?:{_HAN_NAMES_SEPARATOR}{_HAN_NAME}){{0,3}})"
)
_CJK_CREDIT_MAX = 60  # chars; a longer text is prose
_CJK_CREDITS_READ = 3  # credits beside the article read before giving up on one in it
_HAN_LIST_SEPARATOR = r"[、,，]+"
# Texts that may hold one, outside comments and quotes (a poem's author under it: "静夜思 作者：李白").
_CJK_TEXTS = etree.XPath(
    f"//body//text()[contains(., '：') or contains(., ':')][{OUTSIDE_COMMENTS}][not(ancestor::blockquote)]"
)
# The details of a book or a film beside the credit ("书名：…作者：…出版社：…"): its author is not the article's.
_WORK_DETAILS = re.compile(r"书名|書名|出版社|ISBN|片名|导演|導演")
_CREDIT_SCAN = 400  # chars of a text read for a credit: a byline is shorter than 200, longer text is rejected anyway
_DATE_AND_NAME = re.compile(
    rf"(?:{DATE.pattern})\s*[-–—|·]\s*(?P<after>[^\d|]{{3,60}})|(?P<before>[^\d|]{{3,60}}?)\s*[-–—|·]\s*(?:{DATE.pattern})",
    re.I,
)
# German sites credit the editor who signs the piece after its date: "05.02.2020 - Redaktion: Jane Doe (Sprecherin)".
_DATED_EDITOR = re.compile(
    rf"(?:{DATE.pattern})\s*[-–—|]\s*redaktion:\s*(?P<names>[^()]{{3,80}}?)\s*(?:\([^()]*\))?", re.I
)
# The imprint names the site's editor in chief on every page: "Redaktion: Hans Meier (V.i.S.d.P.)".
_EDITOR_LINES = etree.XPath(
    f"//body//text()[contains(., 'Redaktion:')][{OUTSIDE_COMMENTS}][not(ancestor::footer or ancestor::*[@role="
    "'contentinfo' or contains(@class, 'imprint') or contains(@class, 'impressum') or contains(@id, 'impressum')])]"
)
_DATELINE_MAX = 120  # chars; longer text under the headline is the standfirst, not a dateline
_CALENDAR_DAY = re.compile(r"\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2}")  # a day, not only a time ("12:30")
# Inside the dateline: an element or link that marks its author.
_MARKED_AUTHOR = etree.XPath(
    f"descendant-or-self::*[contains(@class, 'author') or contains(@class, 'byline') or {_REL_AUTHOR} or "
    "@itemprop='author'] | .//a[contains(@href, '/author') or contains(@href, '/autor')]"
)
# The site's sections: link texts in its navigation, menus and breadcrumbs ("Politik Inland").
_SECTION_LINKS = etree.XPath(
    "//*[self::nav or self::header or contains(@class, 'nav') or contains(@class, 'menu') or "
    "contains(@class, 'breadcrumb')]//a"
)
# The dateline opening a wire story: "Lübeck (epd/nord) – ...", "(AP) — ...", "OSLO (Reuters) - ...".
_DATELINE_CREDIT = re.compile(r"[^()]{0,40}\((?P<credit>[^()]{2,30})\)\s*[-–—]")
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "form", "textarea"})
# A name is two to four words; which of them may be lowercase is checked after the match (_capitalized). No word is
# a list word (else "y y y ..." parses in exponentially many ways), nor a lowercase "am", "on"... that starts the
# date ("Von R. R. am <date>").
_WORD = r"(?!(?:and|und|et|y)\b|(?-i:am|on|at|um|em)\b)[^\W\d_][\w'.-]*"
_NAME = rf"{_WORD}(?:\s+{_WORD}){{1,3}}"
_NAMES_ONLY = re.compile(
    rf"{_LEAD}{_LEAD_WORD}\s+(?P<names>{_NAME}"
    rf"(?:\s*(?:,|and|und|&|et|y)\s+{_NAME})*)\s*[,|@-]?(?:\s+(?:am|on|at|le|el|um|em))?",  # "Von R. R. am <date>"
    re.I,
)
# A login made of a first and a last name: "jane.doe", "jane_doe".
_LOGIN = re.compile(r"([^\W\d_]{2,20})[._]([^\W\d_]{2,30})")
_BODY_TEXTS = etree.XPath(f"//body//text()[{OUTSIDE_COMMENTS}]")
_PRINTED_TRIES = 5  # occurrences of a login's two words read for the name the page prints
# What a printed name follows in a byline: a lead ("von", "By:"), a job title ("Chefredakteurin"), an opening bracket.
_PRINTED_LEAD = re.compile(
    rf"(?:\b(?:{BY}|text|autor(?:in)?|author)\s*:?|{JOB_TITLE.pattern}|\()\s?$", re.I
)
_SHORT_ELEMENTS = etree.XPath("//body//*[string-length(normalize-space()) <= 60]")
_ROUTE_WORDS = frozenset({"nach", "bis"})  # "von Adorf nach Bedorf" is a route, not a name


def extract_authors(
    tree: HtmlElement | None,
    markup: Markup | None,
    site_names: list[str],
    hinted: Any = None,
    domain: str | None = None,
) -> Byline:
    """First source that yields a person: JSON-LD, meta tags, byline markup, byline-like text, then the hints.

    A byline of organizations only (the publisher, an association) is kept in case no person turns up. `domain` is
    the page's registered domain: links to account pages elsewhere (a social network's) name no writer of its own."""
    fallback = Byline()
    # The byline XPath runs at most once.
    marked = cache(lambda: marked_bylines(tree, domain) if tree is not None else [])
    for credits in author_sources(tree, markup, hinted, marked, domain):
        byline = parse_bylines(credits, site_names)
        if byline.authors and not byline.organizations_only:
            byline = fuller_byline(byline, marked(), site_names)
            names: list[str] = []
            for name in byline.authors:
                add_name(names, printed_name(name, tree, site_names, byline.authors) or name)
            byline.authors = names
            return byline
        # Only an author the markup types as an organization; a corporate name in a meta tag or byline is as often
        # the agency that built the site or the publisher's legal name ("Example Media GmbH").
        if not fallback.authors and all(credit.by_organization for credit in credits):
            fallback = byline
    return fallback


def printed_name(
    login: str, tree: HtmlElement | None, site_names: list[str] | None = None, others: list[str] | None = None
) -> str | None:
    """A login "jane.doe" from the markup is the name the page prints for it as a byline, outside comment threads:
    "Jane Doe", "Jane K. Doe". Printed as a byline: another credit of the same source, led by "von"/"by", a job
    title or "(", or all the text of an element; anywhere in the prose it may be a place ("In New York ...") or a
    thing ("die Stadt Kiel"). Only a person's name, not what the name rules reject (a site, a desk)."""
    parts = _LOGIN.fullmatch(login)
    if parts is None or tree is None:
        return None
    first, last = (re.escape(part) for part in parts.groups())
    printed = rf"{first}(?:\s[^\W\d_]\.)?\s{last}"
    candidates = [name for name in others or [] if re.fullmatch(printed, name, re.I)]
    text = clean_space("".join(_BODY_TEXTS(tree)))
    for match in islice(re.finditer(rf"\b{printed}\b", text, re.I), _PRINTED_TRIES):
        candidates += [match.group()] if _PRINTED_LEAD.search(text[max(0, match.start() - 40) : match.start()]) else []
    for el in _SHORT_ELEMENTS(tree) if not candidates else []:
        alone = re.fullmatch(rf"[\W_]*(?:{_BARE_LEAD.pattern})?({printed})[\W_]*", clean_space(el.text_content()), re.I)
        candidates += [alone.group(1)] if alone and not in_comments(el) else []
    for name in map(fix_case, candidates[:_PRINTED_TRIES]):
        byline = parse_bylines([Credit(name)], site_names or []) if is_full_name(name) else Byline()
        if byline.authors == [name] and not byline.organizations_only:
            return name
    return None


def fuller_byline(byline: Byline, marked: list[Credit], site_names: list[str]) -> Byline:
    """JSON-LD and meta tags often credit only the first of several authors: the page's first byline that
    names all of these is the article's own, and when it adds full names it is the full credit."""
    found = {key(name) for name in byline.authors}
    for credit in marked[:_FULLER_LOOKAHEAD]:
        other = parse_bylines([credit], site_names)
        if found <= {key(name) for name in other.authors}:
            added = [name for name in other.authors if key(name) not in found]
            # Only full names may join: labels ("About the Author") and agencies are no co-authors.
            return other if (added and all(map(is_full_name, added))) or _spelled_out(byline, other) else byline
    return byline


def _spelled_out(byline: Byline, other: Byline) -> bool:
    """The same names with the spaces a login handle drops: "janedoe" in markup, "Jane Doe" on the page."""
    return all(" " not in name for name in byline.authors) and all(map(is_full_name, other.authors))


def author_sources(
    tree: HtmlElement | None,
    markup: Markup | None,
    hinted: Any,
    marked: Callable[[], list[Credit]],
    domain: str | None = None,
) -> Iterator[list[Credit]]:
    """Lazily, best first: scanning the page body only happens when the markup named nobody."""
    if markup is not None:
        nodes_by_id = {node["@id"]: node for node in markup.json_ld if isinstance(node.get("@id"), str)}
        for node in markup.articles()[:1]:
            yield ld_credits(node.get("author") or node.get("creator"), nodes_by_id)
        yield dublin_core_people(markup)
        for meta_key in (*_META_KEYS, *(k for k in markup.meta if k.endswith("author_name"))):
            yield [Credit(v) for v in markup.meta.get(meta_key, []) if not v.startswith(("http", "@"))]
        yield [Credit(v) for v in labelled_author(markup)]
    if tree is not None:
        yield from ([credit] for credit in marked())
        yield from ([credit] for credit in text_bylines(tree, domain))
        yield from ([Credit(name) for name in names] for names in cjk_bylines(tree))
        yield from ([Credit(name) for name in names] for names in editor_bylines(tree))
        yield from ([Credit(text)] for text in labelled_bylines(tree))
        yield from ([Credit(text)] for text in signature_bylines(tree))
        yield from ([Credit(text)] for text in dateline_bylines(tree))
        yield [Credit(text) for text in wire_credits(tree)]  # "(AFP/epd)": both agencies at once
    if hinted:
        yield [Credit(str(h)) for h in ([hinted] if isinstance(hinted, str) else hinted) if h]


def dublin_core_people(markup: Markup) -> list[Credit]:
    """The Dublin Core creators, when each is a person's full name: a page that sets them names its writer on purpose,
    where "author" is often a theme's default; otherwise they are as often the tool or the office ("WordPress",
    "Stadtverwaltung Musterstadt") and wait their turn after the author meta."""
    creators = [value for meta_key in _DUBLIN_CORE for value in markup.meta.get(meta_key, [])]
    return [Credit(value) for value in creators] if creators and all(map(is_person_name, creators)) else []


def labelled_author(markup: Markup) -> list[str]:
    """Blog engines write the byline as a twitter:label1 / twitter:data1 pair ("Written by" / "Jane Doe")."""
    label = markup.first_meta("twitter:label1") or ""
    return markup.meta.get("twitter:data1", [])[:1] if _WRITTEN_BY.search(label) else []


def ld_credits(value: Any, nodes_by_id: dict[str, dict[str, Any]] | None = None) -> list[Credit]:
    """JSON-LD authors: strings, {"name": ...} nodes (Organization nodes marked), lists of either; a bare
    {"@id": ...} reference (Yoast's @graph) is the Person node elsewhere on the page with that @id."""
    if isinstance(value, list):
        return [credit for item in value for credit in ld_credits(item, nodes_by_id)]
    if isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = (nodes_by_id or {}).get(value["@id"], value)
        name = value.get("name")
        if not name or node_types(value) & {"imageobject"}:
            return []
        names = name if isinstance(name, list) else [name]
        kinds = node_types(value)
        described = ld_text(value.get("description")) or ""
        # Blogs type their owner as Person and Organization at once: a person all the same. A "Person" named like a
        # paper ("The Harbour Gazette") is possibly its publisher: no reason to stop looking for the byline.
        organization = bool(kinds & _ORG_TYPES) and "person" not in kinds
        return [
            Credit(completed_name(str(n), described), organization or bool(OUTLET_ARTICLE.match(str(n))))
            for n in names
            if n
        ]
    return [Credit(value)] if isinstance(value, str) else []


def completed_name(name: str, description: str) -> str:
    """A Person named by first name ("Jane") whose bio opens with the full name ("Jane Doe ist ..."): the full name."""
    if " " in name.strip() or not description.startswith(name.strip() + " "):
        return name
    words: list[str] = []
    for word in description.split()[:3]:
        if not word[:1].isupper():
            break
        words.append(word.rstrip(",;:"))
        if words[-1] != word:
            break  # "Jane Doe, freie Autorin": the comma ends the name
    return " ".join(words) if is_full_name(" ".join(words)) else name


def marked_bylines(tree: HtmlElement, domain: str | None = None) -> list[Credit]:
    """The elements marked as bylines, outside comment threads, each one a separate source: its names, then (unless
    the markup marked those names outright) the handle in its link to the writer's account ("Author: <a
    href=/profile/7>kim77</a> am ...")."""
    credits: list[Credit] = []
    for el in _byline_elements(tree):
        named = _explicit_names(el)
        explicit = named is not None or _has_rel_author(el)
        text = byline_text(el, named, explicit)
        credits += [text] if text else []
        credits += [] if explicit else account_credits(el, domain)
    return credits


def _byline_elements(tree: HtmlElement) -> list[HtmlElement]:
    return [el for el in _BYLINE_XPATH(tree)[:40] if not in_comments(el)]


def _explicit_names(el: HtmlElement) -> list[HtmlElement] | None:
    """The elements inside el that microdata or hCard mark outright as the author's name, if any."""
    return next((found for xpath in _EXPLICIT_NAMES_INSIDE if (found := xpath(el))), None)


def _has_rel_author(el: HtmlElement) -> bool:
    return "author" in (el.get("rel") or "").casefold().split()


def byline_text(el: HtmlElement, named: list[HtmlElement] | None, explicit: bool) -> Credit | None:
    """The names a byline element holds: the elements marked as its name (`named`), else those that only hold it,
    else its whole text; `explicit` when the markup marks them as the author's name outright."""
    name_els = named or next((found for xpath in _OTHER_NAMES_INSIDE if (found := xpath(el))), [el])
    text = clean_space("; ".join(name_el.text_content() for name_el in name_els))
    return Credit(text, handle=explicit, marked=True) if text and len(text) <= 120 else None


def account_credits(el: HtmlElement, domain: str | None) -> list[Credit]:
    """The handle in the first link, at or inside el, to a writer's account page on the site itself."""
    links = [link for link in _LINKS(el) if is_account_link(link, domain)][:1]
    return [Credit(clean_space(link.text_content()), handle=True) for link in links]


def is_account_link(link: HtmlElement, domain: str | None) -> bool:
    """rel=author, or a link on this site (relative, or on its registered domain) whose path has an account
    segment before the account's own ("/user/kim77", "/author/kim77/", "?page=profile&id=4"): not a social
    network's "twitter.com/intent/user?..." nor a path that merely holds the word ("/users-guide")."""
    if _has_rel_author(link):
        return True
    try:
        href = urlsplit((link.get("href") or "").strip())
        values = [value.casefold() for _, value in parse_qsl(href.query)]
    except ValueError:
        return False
    if href.netloc and (domain is None or registered_domain(href.geturl()) != domain):
        return False
    segments = [segment.casefold() for segment in href.path.split("/") if segment]
    return any(segment in _ACCOUNT_SEGMENTS for segment in segments[:-1]) or any(v in _ACCOUNT_SEGMENTS for v in values)


def text_bylines(tree: HtmlElement, domain: str | None = None) -> list[Credit]:
    """Only text that is nothing but a prefix and capitalized names, so prose ("by the river") stays out; or a prefix
    and a link to the writer's account ("von <a href=/user/kim77>kim77</a>")."""
    credits: list[Credit] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIPPED_TAGS:
            continue
        for text in (el.text, el.tail):
            credit = own_credit(text) if text and _BYLINE_START.match(text) else ""  # the cheap test first
            if _reads_as_byline(credit) and not in_comments(el):
                credits.append(Credit(credit))
            elif credit and (posted := _POSTED_BY.fullmatch(credit)) and not in_comments(el):
                handle = account_handle(posted.group("handle"), from_prose=True)
                credits += [Credit(handle, handle=True)] if handle else []
        if el.text and _BARE_LEAD.fullmatch(el.text) and len(el):
            # "Ein Artikel von <strong>Jane Doe</strong>": the name is the next element
            credits += _lead_and_name(el, domain)
        if len(credits) >= 3:
            break
    return credits


def own_credit(text: str) -> str:
    """The writer's credit without the picture credit after it: "Text von A  Illustration von B" -> "Text von A"."""
    return clean_space(_LATER_PICTURE_CREDIT.split(clean_space(text)[:_CREDIT_SCAN], maxsplit=1)[0])


def _lead_and_name(el: HtmlElement, domain: str | None = None) -> list[Credit]:
    """The element's first line when it reads as a byline ("Von <b>A</b> und <b>B</b>"), else the lead and its first
    child, else the handle in a link to the writer's account that is the first child or inside it."""
    if in_comments(el):
        return []
    for text in (first_line(el), clean_space(f"{el.text} {text_of(el[0])}")):
        if _reads_as_byline(text):
            return [Credit(text)]
    return account_credits(el[0], domain) if isinstance(el[0].tag, str) else []


def first_line(el: HtmlElement) -> str:
    """The element's text up to its first line break: "Von <b>A</b> und <b>B</b><br>Nairobi" -> "Von A und B"."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "br":
            break
        parts += [text_of(child), child.tail or ""]
    return clean_space("".join(parts))


def labelled_bylines(tree: HtmlElement) -> list[str]:
    """The value after an "Author" label: the label's tail text, else the text after it in its parent."""
    values: list[str] = []
    for label in _LABELS(tree):
        if not _LABEL_TEXT.fullmatch(clean_space(label.text_content())) or in_comments(label):
            continue
        value = clean_space(label.tail or "") or _rest_of_parent(label)
        if value and len(value) <= 80:
            values.append(value)
    return values[:3]


def _rest_of_parent(label: HtmlElement) -> str:
    """ "<b>Von:</b><br><br>Jane Doe", "<h4>Author</h4><p>Jane Doe</p>": what follows the label in its parent."""
    parts: list[str] = []
    for sibling in label.itersiblings():
        parts += [text_of(sibling), sibling.tail or ""]
    return clean_space(" ".join(parts))


def signature_bylines(tree: HtmlElement) -> list[str]:
    """A paragraph that is nothing but a bold or italic name, opening or closing the text: the signature
    ("<p><strong>Jane Doe</strong></p>"). Only names of two or three capitalized words, so headings stay out."""
    paragraphs = [p for p in _EMPHASIZED_PARAGRAPHS(tree) if not in_comments(p)]
    texts: list[str] = []
    for paragraph in paragraphs[:2] + paragraphs[-2:]:
        text = clean_space(paragraph.text_content())
        names = [clean_space(name) for name in text.split("/")]
        if all(map(is_full_name, names)) and text not in texts:
            texts.append(text)
    return texts


def dateline_bylines(tree: HtmlElement) -> list[str]:
    """The line under the headline that holds a date and a full name and nothing else: "11.12.2019 - Jane Doe"."""
    headline = FIRST_H1(tree)
    following = (el for el in headline[0].itersiblings() if isinstance(el.tag, str)) if headline else iter(())
    for sibling in islice(following, 2):
        text = clean_space(sibling.text_content())
        line = _DATE_AND_NAME.fullmatch(text) if len(text) <= _DATELINE_MAX else None
        name = line and (line.group("before") or line.group("after")).strip()
        if name and is_full_name(name) and _CALENDAR_DAY.search(text.replace(name, " ")) and _signed(sibling, name):
            return [name]
    return []


def cjk_bylines(tree: HtmlElement) -> list[list[str]]:
    """The names of Chinese and Japanese bylines ("作者：王伟 李娜"), the article's before a sidebar's, none from a
    book's or a film's details."""
    article: list[list[str]] = []
    beside: list[list[str]] = []
    # Japanese bylines print a space between family and given name ("山田 太郎"); Chinese ones between two names.
    separator = _HAN_LIST_SEPARATOR if (tree.get("lang") or "").lower().startswith("ja") else _HAN_NAMES_SEPARATOR
    for text in _CJK_TEXTS(tree):
        line = clean_space(text)
        match = _CJK_CREDIT.fullmatch(line) if len(line) <= _CJK_CREDIT_MAX else None
        if match and not _WORK_DETAILS.search(_surroundings(text.getparent())):
            names = re.split(separator, match.group("names"))
            (beside if in_aside(text.getparent()) else article).append(names)
        if article or len(beside) >= _CJK_CREDITS_READ:  # a page of thousands of credits is a listing, read no more
            break
    return article + beside


def _surroundings(el: HtmlElement) -> str:
    """The start of the block around an element (its parent), where a book's details stand beside its author; read
    no further than that start, as the block may be the whole page."""
    parent = el.getparent()
    parts, size = [], 0
    for part in (parent if parent is not None else el).itertext():
        parts.append(part)
        size += len(part)
        if size >= _CJK_CREDIT_MAX * 10:
            break
    return clean_space("".join(parts))[: _CJK_CREDIT_MAX * 10]


def editor_bylines(tree: HtmlElement) -> list[list[str]]:
    """The editors a dated line credits ("05.02.2020 - Redaktion: Jane Doe"), outside the imprint: only people's full
    names, since the desk or the town's office signs so too ("Redaktion: Stadt Musterstadt")."""
    found: list[list[str]] = []
    for text in _EDITOR_LINES(tree)[:3]:
        parent = text.getparent()
        for el in (parent, parent.getparent()):
            line = clean_space(el.text_content()) if el is not None else ""
            match = _DATED_EDITOR.fullmatch(line) if len(line) <= _DATELINE_MAX else None
            names = split_byline(match.group("names")) if match else []
            if names and all(map(is_person_name, names)):
                found.append(names)
                break
    return found


def wire_credits(tree: HtmlElement) -> list[str]:
    """The agencies in the dateline that opens a wire story ("Lübeck (epd/nord) – ..."), read in the first paragraph
    of the article's text (not a teaser or sidebar): the article's credit when the page names nobody else. Only the
    agencies, as they sign ("(ap)" -> "AP", "(dpa/lno)" with its desk): "(Archivbild) –", "(CDU) –" and the place in
    "(AP/Rom)" are no credits."""
    for paragraph in opening_paragraphs(tree):
        text = clean_space(paragraph.text_content()[:200])
        if text:
            match = _DATELINE_CREDIT.match(text)
            names = parse_bylines([Credit(match.group("credit"))], []).authors if match else []
            return [name for name in names if signed_agency(name)]
    return []


def _signed(line: HtmlElement, name: str) -> bool:
    """Whether the words beside the date are a person's: marked as the author or led by "By"/"Von"; else a plain
    person's name, set off by a dash rather than a section separator ("| Politik Inland", "· Kultur"), that is neither
    an organization ("Breaking News", "Hamburger Abendblatt") nor a section the site links to from its navigation."""
    if _MARKED_AUTHOR(line) or _BYLINE_START.match(name):
        return True
    if any(mark in line.text_content() for mark in "|·") or not is_person_name(name):
        return False
    return key(name) not in {key(link.text_content()) for link in _SECTION_LINKS(line.getroottree())}


def _reads_as_byline(text: str | None) -> bool:
    if not text or len(text) >= 200 or not _BYLINE_START.match(text):
        return False
    match = _NAMES_ONLY.fullmatch(clean_space(DATE.sub(" ", text)))
    return bool(match) and _capitalized(match.group("names"))


def _capitalized(names: str) -> bool:
    """Every word capitalized (in any script; uncased scripts pass), a particle or a list word; no route word."""
    return capitalized_words(names) and not any(word.casefold() in _ROUTE_WORDS for word in names.split())
