"""Dates: tz-aware UTC with precision and the page's own offset; a bare day never claims a time."""

import json
from datetime import UTC, date, datetime

import lxml.html
import pytest

from cleaners.metadata import dates, extract_metadata
from cleaners.metadata.dates import ParsedDate, local_iso, parse_date
from cleaners.metadata.printed_days import headline_day, posted_on_day
from cleaners.metadata.written_dates import written_day


def meta_of(head: str, url: str | None = None, body: str = ""):
    return extract_metadata(
        lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>"), url, {}
    )


def test_offset_is_kept_and_instant_is_utc() -> None:
    meta = meta_of('<meta property="article:published_time" content="2024-03-05T23:30:00-05:00">')
    assert meta.published_at == datetime(2024, 3, 6, 4, 30, tzinfo=UTC)
    assert (meta.published_precision, meta.published_offset_min, meta.date_source) == ("second", -300, "meta")


def test_date_only_is_midnight_utc_with_day_precision() -> None:
    meta = meta_of('<meta name="date" content="2024-03-05">')
    assert meta.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert (meta.published_precision, meta.published_offset_min) == ("day", None)


def test_json_ld_wins_and_modified_is_read() -> None:
    ld = {"@type": "NewsArticle", "datePublished": "2024-03-05T08:15Z", "dateModified": "2024-03-06T10:00:00Z"}
    meta = meta_of(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert meta.published_at == datetime(2024, 3, 5, 8, 15, tzinfo=UTC)
    assert (meta.published_precision, meta.date_source) == ("minute", "json-ld")
    assert meta.modified_at == datetime(2024, 3, 6, 10, tzinfo=UTC)


def test_utc_stamp_takes_the_local_offset_written_elsewhere() -> None:
    head = (
        '<meta property="article:published_time" content="2023-11-09T01:09:55Z">'
        '<meta name="pubdate" content="2023-11-08 18:09:55">'
    )
    meta = meta_of(head)
    assert meta.published_offset_min == -420
    assert local_iso(parse_date("2023-11-09T01:09:55Z")) == "2023-11-09T01:09:55+00:00"


def test_url_day_is_refined_by_a_time_on_the_same_day() -> None:
    meta = meta_of("", "https://news.example.com/2024/03/05/ferry-fares", '<time datetime="2024-03-05T09:00:00+01:00">')
    assert meta.published_at == datetime(2024, 3, 5, 8, tzinfo=UTC)
    assert meta.published_offset_min == 60


def test_url_date_alone_is_a_day() -> None:
    meta = meta_of("", "https://news.example.com/2024/03/05/ferry-fares")
    assert (meta.published_at, meta.published_precision, meta.date_source) == (
        datetime(2024, 3, 5, tzinfo=UTC),
        "day",
        "url",
    )


def test_rfc_2822_and_single_digit_months_parse() -> None:
    assert parse_date("Sat, 19 Oct 2019 00:04:00 +0200").offset_min == 120
    assert parse_date("2022-5-5 22:17:36").at == datetime(2022, 5, 5, 22, 17, 36, tzinfo=UTC)


def test_implausible_years_are_rejected() -> None:
    assert parse_date("1970-01-01T00:00:00Z") is None
    assert parse_date("2999-01-01") is None


def test_text_input_uses_the_hinted_date() -> None:
    meta = extract_metadata(None, None, {"published": "2024-03-05T10:00:00+02:00"})
    assert (meta.published_at, meta.date_source) == (datetime(2024, 3, 5, 8, tzinfo=UTC), "hints")


def test_broken_markup_dates_are_skipped() -> None:
    head = '<meta property="article:published_time" content="2024-13-45T99:99"><meta name="date" content="2024-02-03">'
    assert meta_of(head).published_at == datetime(2024, 2, 3, tzinfo=UTC)


def test_text_input_prefers_the_hinted_date_over_the_url() -> None:
    meta = extract_metadata(None, "https://news.example.com/2024/03/01/a", {"date": "2024-03-05T10:00:00Z"})
    assert (meta.published_at, meta.date_source) == (datetime(2024, 3, 5, 10, tzinfo=UTC), "hints")


def test_bare_date_meta_yields_to_the_articles_time_element() -> None:
    meta = meta_of('<meta name="date" content="2024-03-09T16:20:00+01:00">', body='<time datetime="2024-03-02">')
    assert (meta.published_at, meta.published_precision, meta.date_source) == (
        datetime(2024, 3, 2, tzinfo=UTC),
        "day",
        "time",
    )


def test_utc_stamp_after_midnight_keeps_the_local_day_the_url_gives() -> None:
    ld = {"@type": "NewsArticle", "datePublished": "2024-03-06T01:40:00Z"}
    meta = meta_of(
        f'<script type="application/ld+json">{json.dumps(ld)}</script>', "https://news.example.com/2024/03/05/ferry"
    )
    assert (meta.published_at, meta.published_precision) == (datetime(2024, 3, 5, tzinfo=UTC), "day")


def test_utc_stamp_keeps_its_time_when_the_url_day_agrees() -> None:
    ld = {"@type": "NewsArticle", "datePublished": "2024-03-05T01:40:00Z"}
    meta = meta_of(
        f'<script type="application/ld+json">{json.dumps(ld)}</script>', "https://news.example.com/2024/03/05/ferry"
    )
    assert (meta.published_at, meta.published_precision) == (datetime(2024, 3, 5, 1, 40, tzinfo=UTC), "second")


def test_time_marked_pubdate_beats_earlier_time_elements() -> None:
    body = '<aside><time datetime="2024-03-09">Teaser</time></aside><time pubdate datetime="2024-03-02">2 March</time>'
    meta = meta_of("", body=body)
    assert (meta.published_at, meta.date_source) == (datetime(2024, 3, 2, tzinfo=UTC), "time")


@pytest.mark.parametrize(
    "quoted",
    [
        '<blockquote class="social-embed"><p>Am Hafen.</p><time datetime="2023-05-01T10:00:00Z">1. Mai</time>'
        "</blockquote>",
        '<div class="comment-list"><p>Schön!</p><time datetime="2024-03-09T10:00:00Z">9. März</time></div>',
    ],
)
def test_time_of_an_embedded_post_or_a_comment_does_not_date_the_article(quoted: str) -> None:
    body = f"<p>Die Fähre fährt wieder.</p>{quoted}<p>Ende.</p><time datetime='2024-03-02'>2. März 2024</time>"
    meta = meta_of("", body=body)
    assert (meta.published_at, meta.date_source) == (datetime(2024, 3, 2, tzinfo=UTC), "time")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<div><time>9:40 Uhr</time></div><p>Fähren.</p><div><time>8. Juli 2022</time></div>",
         (datetime(2022, 7, 8, tzinfo=UTC), "time")),
        ("<p><time>Aktualisiert: 9. Juli 2022</time></p><p><time>8.7.2022</time></p>",
         (datetime(2022, 7, 8, tzinfo=UTC), "time")),
        # Its clock may lack the AM/PM or the zone: the day alone.
        ("<p class='byline'>By Ida Krüger · <time>May 3, 2021 10:15 PM</time></p>",
         (datetime(2021, 5, 3, tzinfo=UTC), "time")),
        ("<p class='byline'><time>3 May 2021 10:15</time></p>", (datetime(2021, 5, 3, tzinfo=UTC), "time")),
        ("<time>vor 3 Stunden</time>", (None, None)),
    ],
)  # fmt: skip
def test_time_without_a_datetime_attribute_means_its_text_if_that_is_a_day(
    body: str, expected: tuple[datetime | None, str | None]
) -> None:
    meta = meta_of("", body=body)
    assert (meta.published_at, meta.published_precision, meta.date_source) == (*expected[:1], *(
        ("day", "time") if expected[1] else (None, None)))


_ARTICLE_TIME = "<time datetime='2021-05-03T09:15:00+02:00'>3 May 2021</time>"


@pytest.mark.parametrize(
    "body",
    [
        # A ticker's, a list of the latest stories', a related list's <time> comes before or after the article's.
        f"<div class='ticker'><a>Sturmwarnung</a> <time>10 May 2021</time></div><h1>Die Fähre</h1>{_ARTICLE_TIME}",
        f"<ul class='latest'><li><a>Brücke zu</a><time>10.05.2021</time></li></ul><h1>Die Fähre</h1>{_ARTICLE_TIME}",
        f"<h1>Die Fähre</h1><aside class='related'><ul><li><time>1 April 2021</time></li></ul></aside>{_ARTICLE_TIME}",
        # An event's day in a sentence.
        f"<h1>Die Fähre</h1><p>The first sailing is on <time>12 May 2021</time> at 9.</p>{_ARTICLE_TIME}",
    ],
)
def test_time_without_a_datetime_beside_the_article_or_in_a_sentence_does_not_date_it(body: str) -> None:
    meta = meta_of("", body=body)
    assert (meta.published_at, meta.date_source) == (datetime(2021, 5, 3, 7, 15, tzinfo=UTC), "time")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ('<time datetime="2021-05-10T08:00:00Z">Publié le 3 mai 2021</time>', "2021-05-03"),
        # The same day, a day apart (a time zone), or no label: the attribute keeps its time.
        ('<time datetime="2021-05-03T08:00:00Z">Published on May 3, 2021</time>', "2021-05-03T08:00:00+00:00"),
        ('<time datetime="2021-05-04T01:30:00Z">Published on May 3, 2021</time>', "2021-05-04T01:30:00+00:00"),
        ('<time datetime="2021-05-10T08:00:00Z">3 mai 2021</time>', "2021-05-10T08:00:00+00:00"),
    ],
)
def test_day_a_time_tag_prints_under_a_publication_label_beats_its_attribute_days_away(tag: str, expected: str) -> None:
    meta = meta_of("", body=f"<p>Fähren.</p>{tag}")
    assert meta.published_at is not None and meta.date_source == "time"
    parsed = ParsedDate(meta.published_at, meta.published_precision or "", meta.published_offset_min)
    assert local_iso(parsed) == expected


def test_json_ld_wrapped_in_cdata_is_read() -> None:
    ld = json.dumps({"@type": "NewsArticle", "datePublished": "2024-03-05T08:15:00Z"})
    meta = meta_of(
        f'<script type="application/ld+json">\n<![CDATA[\n{ld}\n]]>\n</script>'
        '<meta property="article:published_time" content="2024-04-01T10:00:00Z">'
    )
    assert (meta.published_at, meta.date_source) == (datetime(2024, 3, 5, 8, 15, tzinfo=UTC), "json-ld")


def test_days_written_out_are_read_as_days() -> None:
    written = {
        "7 de marzo de 2021": "2021-03-07",
        "Sa., 14. Februar 2015, 09:30": "2015-02-14",
        "Nov. 2nd, 2019": "2019-11-02",
        "30.06.2018 - 17:45": "2018-06-30",
        "12 juillet 2020": "2020-07-12",
    }
    for text, day in written.items():
        parsed = parse_date(text)
        assert parsed is not None and (local_iso(parsed), parsed.precision) == (day, "day"), text


def test_impossible_or_ambiguous_written_days_are_no_dates() -> None:
    assert parse_date("30.02.2018") is None
    assert parse_date("03/04/2018") is None  # March or April, depending on the country
    assert parse_date("12 Kommentare 2018") is None


def test_utc_stamp_after_midnight_takes_the_day_the_page_prints() -> None:
    head = '<meta property="article:published_time" content="2021-09-08T02:10:00Z">'
    body = '<time datetime="7 de septiembre de 2021">7 de septiembre de 2021</time>'
    meta = meta_of(head, body=body)
    assert (meta.published_at, meta.published_precision) == (datetime(2021, 9, 7, tzinfo=UTC), "day")


@pytest.mark.parametrize(
    ("text_day", "body", "expected"),
    [
        ("2021-03-03", '<time datetime="2021-03-03">3 March 2021</time>', "2021-03-03"),
        ("2021-03-03", "<p><b>Published on</b> 3 March 2021</p>", "2021-03-03"),
        ("2024-08-07", '<time datetime="2024-08-07">7 August 2024</time>', "2024-08-08"),
        # Only a photo caption holds the older day: the photo's, not the article's.
        ("2021-03-03", '<figure><img alt="Ferries in port on March 3, 2021"></figure>', "2024-08-08"),
    ],
)
def test_stamp_rewritten_on_every_edit_yields_to_an_older_day_the_page_marks_but_not_the_day_before(
    monkeypatch: pytest.MonkeyPatch, text_day: str, body: str, expected: str
) -> None:
    monkeypatch.setattr(dates, "htmldate_fallback", lambda tree, url: parse_date(text_day))
    stamp = ParsedDate(datetime(2024, 8, 8, 8, tzinfo=UTC), "minute", 0)
    tree = lxml.html.document_fromstring(f"<html><body><p>Ferries.</p>{body}</body></html>")
    original = dates.older_original(stamp, stamp, tree, "https://example.org/ferries")
    assert local_iso(original or stamp)[:10] == expected


def test_a_number_and_a_word_before_the_written_day_do_not_hide_it() -> None:
    assert written_day("Top 10 Things 2023 - May 5, 2023") == date(2023, 5, 5)
    assert written_day("Seite 2 von 2021, 26. Januar 2022") == date(2022, 1, 26)
    assert written_day("Feb 30, 2021 or March 2, 2021") == date(2021, 3, 2)


def test_words_that_only_look_like_month_abbreviations_are_no_months() -> None:
    for text in ("Set 12, 2021", "Out 3, 2020", "Gen 2, 2019", "Mag 7, 2022", "Ago 5, 2021", "3 Lug 2018"):
        assert written_day(text) is None, text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<div class="post-meta"><strong>Datum</strong> 14.03.2023</div>', date(2023, 3, 14)),
        ("<ul><li><b>Datum</b> 14.03.2023</li><li><b>Autorin</b> Ola Berg</li></ul>", date(2023, 3, 14)),
        ("<h1>Die Fähre fährt</h1><p><b>Date:</b> 14.03.2023</p>", date(2023, 3, 14)),
        ('<div><span class="lbl">Erschienen am:</span><h2>9. Mai 2021</h2></div>', date(2021, 5, 9)),
        ("<p><b>Published on</b> June 2, 2022, 8:15</p>", date(2022, 6, 2)),
        ("<p><b>Veröffentlicht am</b>\n" + " " * 40 + "14.03.2023</p>", date(2023, 3, 14)),  # value stripped first
        ('<div class="comments"><span>Date:</span> 01.01.2020</div>', date(2020, 2, 20)),
        ("<p><b>Datum</b> folgt in Kürze</p>", date(2020, 2, 20)),
        # A bare "Datum"/"Date" in the text labels an event or a deadline, not the publication.
        ("<p>Hafenfest.</p><ul><li><b>Datum:</b> 14. Juni 2023</li><li><b>Ort:</b> Lund</li></ul>", date(2020, 2, 20)),
        ("<p>Konzert.</p><table><tr><th>Date</th><td>24.12.2023</td></tr></table>", date(2020, 2, 20)),
    ],
)
def test_day_printed_under_a_publication_label_beats_a_vague_date_meta(body: str, expected: date) -> None:
    meta = meta_of('<meta name="date" content="2020-02-20">', body=body)
    assert meta.published_at is not None and meta.published_at.date() == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>07.03.2021 – Der Stadtrat hat die neue Fährlinie beschlossen.</p>", date(2021, 3, 7)),
        ("<p>(4. Juli 2020) Die Werft meldet volle Auftragsbücher.</p>", date(2020, 7, 4)),
        ("<p>Lund, 4. Juli 2020 – Die Werft meldet volle Auftragsbücher.</p>", date(2020, 7, 4)),
    ],
)
def test_day_opening_the_text_like_a_dateline_dates_an_unmarked_page(body: str, expected: date) -> None:
    meta = meta_of("", body=body)
    assert meta.published_at is not None and meta.published_at.date() == expected
    assert meta.date_source == "dateline"


@pytest.mark.parametrize(
    "body",
    [
        "<p>Lund – Die Werft meldet volle Auftragsbücher.</p><p>4. Juli 2020 – Es war so weit.</p>",
        "<p>Aktualisiert 9.10.2022 – Die Fähre fährt wieder.</p>",
        "<p>Update 9.10.2022: Die Fähre fährt wieder.</p>",
        "<p>Sonntag, 8. Oktober 2023 – Hafenfest mit Musik.</p>",  # an event's day
        "<p>Bis 30. April 2027 – Anmeldung zum Segelkurs.</p>",  # a deadline
        "<p>Stand: 9.10.2022 – Die Zahlen.</p>",
        "<div class='teaser'><p>05.02.2018 – Eine ältere Meldung</p></div><p>Der Text.</p>",
        "<aside><p>05.02.2018 – Eine ältere Meldung</p></aside><p>Der Text.</p>",
        "<p>Ola Berg (4. Mai 1990 – 9. Juni 2021) war Fährmann.</p>",
    ],
)
def test_a_place_an_update_an_event_or_a_day_later_in_the_text_is_no_opening_day(body: str) -> None:
    assert dates.opening_day(lxml.html.document_fromstring(f"<html><body>{body}</body></html>")) == []


def test_the_first_dateline_shaped_paragraph_is_read_after_plain_ones() -> None:
    body = "<p>Ein Absatz ohne Trennstrich.</p><p>4. Juli 2020 – Die Werft meldet volle Auftragsbücher.</p>"
    assert dates.opening_day(lxml.html.document_fromstring(f"<html><body>{body}</body></html>")) == ["4. Juli 2020"]


@pytest.mark.parametrize(
    "body", ["<p><b>Published on</b> March 8, 2021</p>", "<p>Harbourtown, 8. März 2021 – Die Fähre fährt wieder.</p>"]
)
def test_a_utc_stamp_late_at_night_takes_the_day_the_page_prints_in_its_text(body: str) -> None:
    stamp = '{"@type": "NewsArticle", "datePublished": "2021-03-07T23:30:00Z"}'
    meta = meta_of(f'<script type="application/ld+json">{stamp}</script>', body=body)
    assert (meta.published_at, meta.published_precision) == (datetime(2021, 3, 8, tzinfo=UTC), "day")


_LONG_TEXT = "Die Fähre nach Lund fährt ab Montag wieder nach dem alten Plan, meldet die Reederei. " * 3


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<h1>Die Fähre fährt wieder</h1><div><p><br> 3. Mai 2021 , Ida Krüger</p></div>", "2021-05-03"),
        # A logo's <h1> comes first; the headline's date line sits in a list beside a reading time.
        ("<h1><a href='/'>Hafenblatt</a></h1><div><h1>Die Fähre fährt wieder</h1></div>"
         "<ul class='meta'><li><a href='/tag'>Montag, 3. Mai 2021</a></li><li>4 Min.</li></ul>", "2021-05-03"),
        # No <h1>: the <h2> that is the title; a line break parts the desk from the day.
        ("<h2>Neueste Artikel</h2><h2>Die Fähre fährt wieder</h2><p>Hafenredaktion<br>3. Mai 2021, 7:05 Uhr</p>",
         "2021-05-03"),
        ("<h1>Die Fähre fährt wieder</h1><p>Datum: 3. Mai 2021</p>", "2021-05-03"),  # a publication label
        # A standfirst that names another day comes before the date line.
        ("<h1>Die Fähre fährt wieder</h1><h2>Sie ruhte seit dem 12. März 2020</h2><p>3. Mai 2021</p>", "2021-05-03"),
        # The article's own <header> holds its date line.
        ("<header><h1>Die Fähre fährt wieder</h1><p>3. Mai 2021</p></header>", "2021-05-03"),
    ],
)  # fmt: skip
def test_date_line_under_the_headline_dates_an_unmarked_page(body: str, expected: str) -> None:
    page = f"<html><head><title>Die Fähre fährt wieder</title></head><body>{body}<p>{_LONG_TEXT}</p></body></html>"
    assert headline_day(lxml.html.document_fromstring(page), "Die Fähre fährt wieder") == [expected]
    meta = extract_metadata(lxml.html.document_fromstring(page), None, {})
    assert meta.published_at is not None and meta.published_at.date().isoformat() == expected
    assert (meta.published_precision, meta.date_source) == ("day", "text")


@pytest.mark.parametrize(
    "body",
    [
        "<h1>Die Fähre fährt wieder</h1><p>Aktualisiert: 3. Mai 2021</p>",
        "<h1>Die Fähre fährt wieder</h1><p>Updated May 3, 2021, Ida Krüger</p>",
        # A logo's <h1> over today's date in the page header: not a headline.
        "<h1><a href='/'>Hafenblatt</a></h1><p>Montag, 3. Mai 2021</p>",
        "<h1><a href='https://hafenblatt.example/'>Das Hafenblatt Lund</a></h1><p>Montag, 3. Mai 2021</p>",
        # The article's text began: a day after it is a teaser's.
        f"<h1>Die Fähre fährt wieder</h1><p>{_LONG_TEXT}</p><p>3. Mai 2021</p>",
        # No <h1>, and the <h2> is a sidebar's or a section's, not the title.
        "<h2>Neueste Artikel</h2><ul><li>3. Mai 2021</li></ul>",
        "<h2>Fähre</h2><p>3. Mai 2021</p>",
        # Not a line but a paragraph that mentions a day.
        "<h1>Die Fähre fährt wieder</h1><p>Die Reederei hat am 3. Mai 2021 die neue Fähre nach Lund getauft.</p>",
        # An event's, a deadline's, a past day's line; update words in other languages, or in the element before.
        "<h1>Die Fähre fährt wieder</h1><p>Concert: 12 May 2021, Philharmonie</p>",
        "<h1>Die Fähre fährt wieder</h1><p>Deadline: March 31, 2021</p>",
        "<h1>Die Fähre fährt wieder</h1><p class='kicker'>On this day: 3 May 1999</p>",
        "<h1>Die Fähre fährt wieder</h1><p>Обновлено 05.05.2021</p>",
        "<h1>Die Fähre fährt wieder</h1><p>Actualisé le 5 mai 2021</p>",
        "<h1>Die Fähre fährt wieder</h1><p>Laatst gewijzigd: 5 mei 2021</p>",
        "<h1>Die Fähre fährt wieder</h1><p>Modificato il 5 maggio 2021</p>",
        "<h1>Die Fähre fährt wieder</h1><p>Revised May 5, 2021</p>",
        "<h1>Die Fähre fährt wieder</h1><p>Última atualização 5 de maio de 2021</p>",
        "<h1>Die Fähre fährt wieder</h1><div><span>Updated</span> <span>May 5, 2021</span></div>",
        "<h1>Die Fähre fährt wieder</h1><dl><dt>Zuletzt aktualisiert</dt><dd>5. Mai 2021</dd></dl>",
        # A photo's, a breadcrumb's day.
        "<h1>Die Fähre fährt wieder</h1><figure><img src=a.jpg><figcaption>Foto: J. Doe, 12 May 2019</figcaption>"
        "</figure>",
        "<h1>Die Fähre fährt wieder</h1><nav class='breadcrumb'><a>Start</a> › <a>10 May 2021</a></nav>",
        # Headings that are not the title: a logo (linked anywhere or not), a header widget's, a teaser block's.
        "<h1 class='logo'>Das Hafenblatt Lund</h1><p>Montag, 10. Mai 2021</p>",
        "<h1><a href='/en/'>Das Hafenblatt Lund</a></h1><p>Montag, 10. Mai 2021</p>",
        "<h1><a href='/index.html'>Das Hafenblatt Lund</a></h1><p>Montag, 10. Mai 2021</p>",
        "<header><h1>Wetter in Lund heute</h1><p>Montag, 10. Mai 2021</p></header>",
        "<div class='teasers'><h1>Die Fähre fährt wieder</h1><ul><li>1 May 2019</li></ul></div>",
    ],
)
def test_an_update_a_logo_or_a_day_after_the_text_began_is_no_headline_day(body: str) -> None:
    page = f"<html><head><title>Die Fähre fährt wieder</title></head><body>{body}</body></html>"
    assert headline_day(lxml.html.document_fromstring(page), "Die Fähre fährt wieder") == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p><small>This entry was posted on Monday, May 3rd, 2021 at 9:15 pm and is filed under Ferries.</small></p>",
         ["2021-05-03"]),
        ("<p>Dieser Beitrag wurde am Montag, 3. Mai 2021 um 21:15 Uhr veröffentlicht und unter Fähren abgelegt.</p>",
         ["2021-05-03"]),
        ("<p>Die Fähre wurde am <b>3. Mai 2021</b> um 21:15 Uhr gepostet.</p>", ["2021-05-03"]),
        # Another text's day, a comment's, or no time of posting.
        ("<p>The study was published on March 3, 2020 in a journal.</p>", []),
        ("<div class='comments'><p>This entry was posted on May 3, 2021 at 9:15 pm.</p></div>", []),
        # A sidebar widget's, a related post's, a quote's.
        ("<aside class='widget'><p>This entry was posted on Monday, April 5th, 2021 at 9:15 pm</p></aside>", []),
        ("<div class='related-posts'><p>This article was published on 1 April 2021 by the desk.</p></div>", []),
        ("<blockquote><p>This post was published on March 3, 2020 and ...</p></blockquote>", []),
        ("<p>Die Studie wurde am 3. Mai 2021 vorgestellt.</p>", []),
    ],
)  # fmt: skip
def test_a_blog_themes_posted_on_sentence_gives_the_posts_day(body: str, expected: list[str]) -> None:
    assert posted_on_day(lxml.html.document_fromstring(f"<html><body><p>Fähren.</p>{body}</body></html>")) == expected
