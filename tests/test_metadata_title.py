"""Headlines: site-name affixes and kickers come off; the visible h1 wins when the markup agrees with it."""

import lxml.html

from cleaners.metadata import extract_metadata


def page(head: str, body: str = "") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def title_of(head: str, body: str = "", url: str | None = "https://www.www.harbourgazette.co.uk/story/1") -> str | None:
    return extract_metadata(page(head, body), url, {}).title


def test_trailing_site_name_after_pipe_is_dropped() -> None:
    head = (
        "<title>Ferry fares rise again | The Harbour Gazette</title>"
        '<meta property="og:site_name" content="The Harbour Gazette">'
    )
    assert title_of(head) == "Ferry fares rise again"


def test_leading_site_name_with_colon_is_dropped() -> None:
    head = (
        '<title>Harbour Gazette: Ferry fares rise again</title><meta property="og:site_name" content="Harbour Gazette">'
    )
    assert title_of(head) == "Ferry fares rise again"


def test_domain_suffix_is_dropped_without_site_name_markup() -> None:
    assert title_of("<title>Ferry fares rise again - harbourgazette.co.uk</title>") == "Ferry fares rise again"


def test_colon_inside_headline_is_kept() -> None:
    head = '<meta property="og:title" content="Ferries: the fares rise again"><meta name="x" content="G">'
    assert title_of(head) == "Ferries: the fares rise again"


def test_kicker_in_markup_title_loses_to_the_h1() -> None:
    head = '<meta property="og:title" content="Transport: Ferry fares rise for the third time this year">'
    body = "<h1>Ferry fares rise for the third time this year</h1>"
    assert title_of(head, body) == "Ferry fares rise for the third time this year"


def test_date_glued_to_the_h1_loses_to_the_markup_title() -> None:
    head = '<meta property="og:title" content="Council approves the new ferry timetable">'
    body = "<h1><span>12.03.2024</span>Council approves the new ferry timetable</h1>"
    assert title_of(head, body) == "Council approves the new ferry timetable"


def test_unrelated_h1_such_as_the_logo_is_ignored() -> None:
    head = '<meta property="og:title" content="Council approves the new ferry timetable">'
    assert title_of(head, "<h1>Harbour Gazette</h1>") == "Council approves the new ferry timetable"


def test_text_input_uses_the_hinted_title() -> None:
    assert extract_metadata(None, None, {"title": "  Ferry fares rise again "}).title == "Ferry fares rise again"


def test_logo_h1_in_the_title_marks_the_site_name() -> None:
    head = "<title>Why ferries run late | Tidewatch Blog | Notes from the harbour</title>"
    assert title_of(head, "<h1>Tidewatch Blog</h1>", None) == "Why ferries run late"


def test_long_h1_after_a_section_label_is_the_headline() -> None:
    head = "<title>News | Why the ferries run late this winter | Tidewatch</title>"
    assert (
        title_of(head, "<h1>Why the ferries run late this winter</h1>", None) == "Why the ferries run late this winter"
    )


def test_permalink_sign_on_a_heading_is_not_part_of_it() -> None:
    head = "<title>Installing the ferry client — Tidewatch docs</title>"
    assert (
        title_of(head, '<h1>Installing the ferry client<a href="#x">¶</a></h1>', None) == "Installing the ferry client"
    )


def test_a_markup_title_naming_only_the_site_loses_to_the_headline() -> None:
    head = (
        '<meta property="og:title" content="Ferry fares rise for the third time this year">'
        '<meta property="og:site_name" content="Gazette.example"><meta name="twitter:title" content="Gazette.example">'
    )
    body = "<h1>Gazette.example</h1><h1>Ferry fares rise for the third time this year</h1>"
    assert title_of(head, body) == "Ferry fares rise for the third time this year"


def test_a_headline_that_contains_the_site_name_is_a_headline() -> None:
    head = (
        '<meta property="og:title" content="Gazette readers pick the best ferry of the year">'
        '<meta property="og:site_name" content="Gazette"><meta name="twitter:title" content="Best ferry of the year">'
    )
    body = "<h1>Gazette readers pick the best ferry of the year</h1>"
    assert title_of(head, body) == "Gazette readers pick the best ferry of the year"
