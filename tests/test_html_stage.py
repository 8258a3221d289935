"""HTML stage: which boxes the markup marks as chrome, what is never dropped, overrides, extraction."""

import lxml.html
import pytest

from cleaners.html_stage import extract_body, prune_chrome
from cleaners.overrides import Overrides, SiteRules
from cleaners.standfirst import close_open_headings

STORY = " ".join(
    [
        "The harbour authority said on Monday that the new ferry terminal would open in the spring,",
        "two years later than planned, after a dispute over the cost of dredging the channel.",
    ]
)


def page(inner: str) -> str:
    paragraphs = "".join(f"<p>{STORY} Paragraph {i}.</p>" for i in range(6))
    return f"<html><body><article><h1>Ferry terminal delayed</h1>{paragraphs}{inner}</article></body></html>"


def pruned(html: str, overrides: SiteRules | None = None) -> tuple[str, list]:
    tree = lxml.html.document_fromstring(html)
    removals = prune_chrome(tree, overrides)
    return tree.text_content(), removals


@pytest.mark.parametrize(
    ("box", "kind"),
    [
        ('<div class="donate-box"><p>Please give what you can.</p></div>', "appeal"),
        ('<div class="membershipAppeal"><p>Join our members.</p></div>', "appeal"),
        ('<section id="newsletter-signup"><p>Get our morning briefing.</p></section>', "chrome"),
        ('<ul class="social-share"><li>Facebook</li><li>X</li></ul>', "chrome"),
        ('<div class="related_articles"><a href="/x">Another story</a></div>', "chrome"),
        ('<div id="cookie-consent">We use cookies.</div>', "chrome"),
        ('<div role="complementary"><p>Most popular today</p></div>', "chrome"),
        ('<nav><a href="/">Home</a><a href="/world">World</a></nav>', "chrome"),
        ('<div aria-label="Comments"><p>Leave a reply below.</p></div>', "chrome"),
    ],
)
def test_marked_boxes_are_dropped_with_a_removal(box: str, kind: str) -> None:
    text, removals = pruned(page(box))
    dropped = " ".join(lxml.html.fragment_fromstring(box).itertext())
    assert " ".join(dropped.split()) not in " ".join(text.split())
    assert STORY in text
    assert [(r.kind, r.text) for r in removals] == [(kind, " ".join(dropped.split()))]


@pytest.mark.parametrize(
    "wrapper",
    ['<div class="post-content premium-support">{}</div>', '<div class="entry share-enabled">{}</div>'],
)
def test_a_wrapper_holding_the_article_is_never_dropped(wrapper: str) -> None:
    body = "".join(f"<p>{STORY} Paragraph {i}.</p>" for i in range(12))
    text, removals = pruned(f"<html><body>{wrapper.format(body)}</body></html>")
    assert text.count(STORY) == 12
    assert removals == []


@pytest.mark.parametrize("name", ["donate-content", "support-body", "membership-content"])
def test_a_money_box_with_a_content_class_still_goes(name: str) -> None:
    box = f'<div class="{name}"><p>Chip in from just $5 a month.</p><p>Every reader counts.</p></div>'
    text, removals = pruned(page(box))
    assert "Chip in" not in text
    assert [r.kind for r in removals] == ["appeal"]


def test_a_metered_story_wrapper_named_for_subscribers_is_kept() -> None:
    body = "".join(f"<p>{STORY} Paragraph {i}.</p>" for i in range(2))
    text, removals = pruned(page(f'<div id="subscription-content">{body}</div>'))
    assert text.count(STORY) == 8
    assert removals == []


@pytest.mark.parametrize(
    "markup",
    [
        '<div class="cmp-text"><p>Engineers expect the new pier to last eighty years.</p></div>',
        '<ul class="list-plus"><li>Engineers expect the new pier to last eighty years.</li></ul>',
        '<h2 id="pledge-to-residents">Engineers expect the new pier to last eighty years.</h2>',
        '<h2><span class="mw-headline" id="Pledge">Engineers expect the new pier to last eighty years.</span></h2>',
        '<p><a href="/p" aria-label="Support for the pier">Engineers expect the new pier to last eighty years.</a></p>',
    ],
)
def test_content_named_by_cms_words_headings_or_link_labels_is_kept(markup: str) -> None:
    text, removals = pruned(page(markup))
    assert "last eighty years" in text
    assert removals == []


def test_body_paragraphs_with_neutral_classes_are_kept() -> None:
    html = page('<p class="paywall">The terminal will cost twice the original estimate.</p>')
    text, removals = pruned(html)
    assert "twice the original estimate" in text
    assert removals == []


def test_embedded_posts_are_content_even_in_social_markup() -> None:
    embed = '<div class="social-media-embed"><blockquote>The ferry is late again, says a commuter.</blockquote></div>'
    text, removals = pruned(page(embed))
    assert "The ferry is late again" in text
    assert removals == []


def test_nested_boxes_make_one_removal() -> None:
    box = '<div class="sidebar"><div class="newsletter"><p>Sign up</p></div><p>Trending now</p></div>'
    _, removals = pruned(page(box))
    assert [r.text for r in removals] == ["Sign up Trending now"]


def test_override_xpaths_drop_site_specific_boxes() -> None:
    overrides = Overrides.from_dict({"sites": {"example.org": {"xpaths": ["//div[@class='zz-box']"]}}})
    rules = overrides.for_domain("www.example.org")
    text, removals = pruned(page('<div class="zz-box">House advert for a sister magazine</div>'), rules)
    assert "House advert" not in text
    assert [(r.rule, r.kind) for r in removals] == [("override-selector", "override")]


def test_overrides_fall_back_to_parent_domain() -> None:
    data = {"sites": {"example.org": {"xpaths": ["//aside"], "phrases": ["Listen to our podcast"]}}}
    overrides = Overrides.from_dict(data)
    assert overrides.for_domain("news.example.org") == overrides.for_domain("example.org")
    assert overrides.for_domain("example.com") is None
    assert overrides.for_domain(None) is None


def test_extract_body_gives_blank_line_separated_paragraphs() -> None:
    tree = lxml.html.document_fromstring(page(""))
    text = extract_body(tree, "https://example.org/ferry")
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 7
    assert paragraphs[1].startswith("The harbour authority said")


LEAD = "Whether the ferry runs on time or not, the harbour has become the town's busiest place this winter."


def standfirst_page(lead_markup: str) -> str:
    paragraphs = "".join(f"<p>{STORY} Paragraph {i}.</p>" for i in range(6))
    return (
        '<html><body><main><h1>Ferry terminal delayed</h1><div class="meta">By A. Reporter</div>'
        f'{lead_markup}<div class="ad-slot"></div><div id="articleBody" class="story-content">{paragraphs}</div>'
        "</main></body></html>"
    )


def test_an_unclosed_heading_ends_before_the_blocks_it_swallowed() -> None:
    html = "<html><body><main><h2>Lead.</h3><div><p>Body.</p></div>tail</main></body></html>"
    tree = lxml.html.document_fromstring(html)
    close_open_headings(tree)
    main = tree.find(".//main")
    assert [child.tag for child in main] == ["h2", "div"]
    assert main.text_content() == "Lead.Body.tail"


@pytest.mark.parametrize("markup", [f'<h2 class="excerpt">{LEAD}</h2>', f"<h2>{LEAD}</h3>"])
def test_a_standfirst_before_the_article_container_leads_the_body(markup: str) -> None:
    tree = lxml.html.document_fromstring(standfirst_page(markup))
    close_open_headings(tree)
    prune_chrome(tree)
    paragraphs = extract_body(tree, "https://example.org/ferry").split("\n\n")
    assert paragraphs[0] == LEAD
    assert paragraphs[1].startswith("The harbour authority said")


@pytest.mark.parametrize(
    "markup",
    [
        f'<h2><a href="/other">{LEAD}</a></h2>',  # a teaser for another story
        "<h2>Ferry news</h2>",  # a label, not a sentence
        f"<p>{STORY}</p><h2>{LEAD}</h2>",  # under other text, not under the headline: a teaser
    ],
)
def test_headings_that_are_not_a_standfirst_stay_out(markup: str) -> None:
    tree = lxml.html.document_fromstring(standfirst_page(markup))
    prune_chrome(tree)
    assert extract_body(tree, "https://example.org/ferry").startswith("The harbour authority said")
