"""Text stage: one family of rules at a time, with hard negatives, then the seed article exactly."""

import json
from pathlib import Path

import pytest

from cleaners.paragraphs import split_paragraphs
from cleaners.pipeline import clean_document
from cleaners.record import SourceDoc
from cleaners.rules import RULES_VERSION, rule_pack
from cleaners.text_stage import Label, classify, clean_paragraphs

BODY = [
    "The city council approved the new budget on Tuesday after a long debate about transit funding.",
    "Officials said the plan would add three bus lines and extend service hours on weekends.",
    "Critics argued that the money should have gone to road repairs in the northern districts.",
]


def labels(paragraphs: list[str]) -> list[Label]:
    return [classify(p, rule_pack().text) for p in paragraphs]


def removed(paragraphs: list[str], **kwargs: object) -> list[str]:
    return [r.text for r in clean_paragraphs(paragraphs, whole_page=False, **kwargs).removals]


@pytest.mark.parametrize(
    "label",
    [
        "Continue",
        "Subscribe",
        "Donate",
        "→ Unterstützen",
        "Jetzt spenden!",
        "Faire un don",
        "Suscríbete",
        "Поддержать",
        "Read more »",
        "Share this article",
        "Privacy Policy",
    ],
)
def test_lone_button_labels_are_chrome(label: str) -> None:
    assert labels([label]) == [Label.BUTTON]


@pytest.mark.parametrize(
    "line",
    [
        "Skip to main content",
        "Share on Facebook",
        "Related Stories",
        "Most read",
        "Advertisement",
        "© 2031 Example Media Group. All rights reserved.",
        "Sign up for our weekly email newsletter",
        "View comments (12)",
        "Lesen Sie auch: Neue Pläne für den Hafen",
        "Читайте также",
        "Join the conversation",
        "Already have an account? Sign in",
        "Sign up for The Evening Digest, our free daily email.",
        "Want more stories like this? Sign up here.",
        "Log in to comment",
        "Jetzt Abo abschließen",
        "Related: Ten Bridges Worth A Detour",
        "Tell us what you think...",
        "copyright Example Weekly 2031 - ISSN: 1234-5678",
        "Updated at 1:23 p.m.",
        "Follow us: Mastodon | Bluesky | RSS",
        "Wie hat Ihnen dieser Artikel gefallen?",
        "Photo source: A. Photographer via a stock library",
        "A version of this article was first published in the Harbour Weekly.",
    ],
)
def test_chrome_lines(line: str) -> None:
    assert labels([line]) in ([Label.CHROME], [Label.BUTTON], [Label.TEASER_HEAD])


@pytest.mark.parametrize(
    "notice",
    [
        "By signing up, you agree to our terms and to receive occasional emails from us.",
        "This site is protected by reCAPTCHA and the provider's privacy policy applies.",
        "Please log in to leave a comment.",
        "If you buy something using links in our stories, we may earn a commission.",
        "Create a free account to continue reading this story.",
        "Want to stay informed about our campaigns? Sign up for our emails here.",
        "Mit der Anmeldung stimmen Sie unseren Nutzungsbedingungen zu.",
        "Mit Ihrer Anmeldung stimmen Sie unserer Datenschutzerklärung zu und erhalten unseren Newsletter.",
    ],
)
def test_notices_are_chrome(notice: str) -> None:
    assert labels([notice]) == [Label.NOTICE]


@pytest.mark.parametrize(
    "appeal",
    [
        "Support independent journalism: become a member today and help us keep reporting.",
        "We rely on your support to keep our newsroom open. Donate now.",
        "Unabhängiger Journalismus braucht deine Unterstützung. Jetzt spenden!",
        "Soutenez notre journalisme : faites un don, même modeste.",
        "Apoya el periodismo independiente. Hazte socio hoy.",
        "Поддержите нас: ваша поддержка помогает нам работать.",
        "We are a nonprofit newsroom. Your tax-deductible gift helps us report on what matters.",
        "This story is free to read, but please consider supporting us.",
        "Hat Ihnen dieser Text gefallen? Unterstützen Sie uns mit einem Abo.",
        "Vous avez apprécié cet article ? Soutenez-nous.",
        "Wait! Before you go, ask yourself who would have covered this story if we had not.",
        "Have you thought about becoming a patron?",  # "becoming" holds no "become": the gate stem is "becom"
    ],
)
def test_appeal_phrases_in_five_languages(appeal: str) -> None:
    assert removed([*BODY, appeal]) == [appeal]


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia already controls the peninsula and supports separatist forces in the east.",
        "'Large-scale' drills continue",
        "Donors pledged $2bn at the conference in Geneva on Monday.",
        "The union said it would support its members until the factory reopens.",
        '"We need your help to find him," the police chief told reporters on Sunday.',
        "Die Spender finanzieren mit ihren Spenden die Kampagne der Partei.",
        "Le gouvernement soutient les agriculteurs touchés par la sécheresse.",
        "Los donantes apoyan el nuevo fondo para la reconstrucción.",
        "Москва поддерживает сепаратистов на востоке страны.",
        "She became a member of parliament in 2019 and later joined the cabinet.",
        "Related charges against the two men were dropped after the hearing in March.",
        "Subscribers to the service will pay $5 more per month from June.",
        "If you are a member of the union, you can vote until Friday, the organisers said.",
        "Donate blood: the hospital says stocks are at their lowest level in a decade.",
        "La ONG pidió a los ciudadanos que donen alimentos a los bancos locales.",
        "«Мы благодарим всех за поддержку», — сказал мэр.",
        "Copyright lawsuits against the company rose sharply in 2031, the filing shows.",
        "The novel, first published in 1951, sold poorly until a paperback edition came out a decade later.",
        "Make a list of what you need before you go in, and walk straight to it.",
        "Die Kunden sollten die Nutzungsbedingungen zu neuen Regeln akzeptieren, schrieben die Betrüger.",
        "Officers are appealing for your help to trace the driver and ask witnesses to call them.",
    ],
)
def test_body_sentences_with_appeal_words_are_kept(sentence: str) -> None:
    assert removed([*BODY[:2], sentence, BODY[2]]) == []


def test_reader_addressing_paragraphs_go_only_with_a_real_appeal() -> None:
    weak = "As you may know, our reporters have covered this story for years, independently of anyone."
    tail = [
        "… we have a small favor to ask.",
        weak,
        "Please donate today: your support makes a difference.",
        "Continue",
    ]
    assert removed([*BODY, *tail]) == tail
    assert removed([*BODY[:2], weak, BODY[2]]) == []


def test_a_reader_addressing_offer_of_an_abo_continues_an_appeal() -> None:
    lead_in = "Liebe Leserinnen und Leser,"
    offer = "sichern Sie sich jetzt Ihr Abo."
    assert removed([*BODY, lead_in, offer]) == [lead_in, offer]


def test_appeal_words_inside_other_words_continue_no_appeal() -> None:
    lead_in = "Dear reader, before the weekend starts:"
    story = [
        "You will remember that the commission promised a refund about a year ago.",
        "Your neighbours are still waiting, and the collector says nothing has arrived.",
    ]
    assert removed([*BODY, lead_in, *story]) == [lead_in]


def test_a_heading_above_the_closing_appeal_goes_with_it() -> None:
    tail = ["Keep Local News Alive", "Please donate today: your support makes a difference.", "Donate"]
    assert removed([*BODY, *tail]) == tail
    assert removed([*BODY[:2], "Keep Local News Alive", BODY[2]]) == []


def test_a_long_appeal_needs_repeated_appeal_phrases() -> None:
    filler = " ".join(["Our readers make this work possible every single day of the year."] * 9)
    appeal = f"{filler} Support us today. Please donate: your support keeps us going."
    story = f"{filler} The mayor said the city would respond next week."
    assert removed([*BODY, appeal]) == [appeal]
    assert removed([*BODY, story]) == []


def test_a_teaser_box_goes_with_its_headlines_up_to_the_next_prose() -> None:
    box = ["Most read", "Storm Closes Schools Across The Valley", "Jane Doe", "Mayor Defends Bridge Repairs"]
    outcome = clean_paragraphs([*BODY[:2], *box, BODY[2]], whole_page=False)
    assert outcome.paragraphs == BODY
    assert [r.rule for r in outcome.removals] == ["teaser-heading"] + ["teaser-list"] * 3


def test_an_inline_related_link_is_one_teaser_not_a_box() -> None:
    link = "Related post: How to pickle green beans"
    subheading = "WHAT YOU NEED FOR THE JAM"
    question = "Do you cook it in a pot? A pressure canner? Nobody agrees. Help!"
    assert removed([BODY[0], link, subheading, question, BODY[1]]) == [link]


def test_a_subheading_without_a_teaser_heading_stays() -> None:
    assert removed([*BODY[:2], "What Happens Next", BODY[2]]) == []


def test_whole_page_cuts_a_trailing_teaser_list_with_datelines() -> None:
    teaser = [
        "Business",
        "Port Strike Enters Its Second Week",
        "3 hours ago",
        "Dock workers walked out again on Monday as talks with the operators stalled over pay and shifts.",
    ]
    page = ["Council Backs New Transit Budget", *BODY, BODY[0].replace("Tuesday", "Monday"), *teaser * 3]
    outcome = clean_paragraphs(page, whole_page=True)
    assert outcome.paragraphs == page[1:5]


def test_whole_page_keeps_a_question_and_answer_body() -> None:
    qa = []
    for n in range(5):
        qa += [f"Q: What changed in year {n}?", "A: " + BODY[n % 3]]
    page = ["An Interview With The Harbour Master", *BODY, *qa]
    assert clean_paragraphs(page, whole_page=True).paragraphs == page[1:]


def test_whole_page_keeps_a_short_closing_sentence_and_cjk_prose() -> None:
    cjk = "港湾局は月曜日、新しいフェリーターミナルの開業が春にずれ込むと発表した。浚渫費用をめぐる対立が原因だという。"
    page = ["Home", "News", "Council Backs New Transit Budget", *BODY, "The vote was 7 to 2.", "Sitemap"]
    assert clean_paragraphs(page, whole_page=True).paragraphs == [*BODY, "The vote was 7 to 2."]
    assert clean_paragraphs(["メニュー", cjk, cjk + cjk], whole_page=True).paragraphs == [cjk, cjk + cjk]


def test_extra_phrases_from_overrides_drop_their_paragraphs() -> None:
    promo = "Listen to the Morning Bulletin podcast wherever you get your podcasts"
    outcome = clean_paragraphs([*BODY, promo], whole_page=False, extra_phrases=["morning bulletin podcast"])
    assert outcome.paragraphs == BODY
    assert [(r.rule, r.kind) for r in outcome.removals] == [("override-phrase", "override")]


def test_site_name_comes_from_the_appeal_unless_it_names_a_cause() -> None:
    named = clean_paragraphs(["Support The Daily Example!", *BODY], whole_page=False)
    cause = clean_paragraphs(["Support Local News!", *BODY], whole_page=False)
    assert named.site_name == "The Daily Example"
    assert cause.site_name is None


def test_whole_page_finds_headline_and_body_between_menus_and_footer() -> None:
    page = [
        "Home",
        "World",
        "Politics",
        "Subscribe",
        "Council Backs New Transit Budget",
        *BODY,
        "Most read",
        "Another Story Headline Here",
        "© 2031 Example Media",
        "Terms of use",
    ]
    outcome = clean_paragraphs(page, whole_page=True)
    assert outcome.title == "Council Backs New Transit Budget"
    assert outcome.paragraphs == BODY
    assert {r.text for r in outcome.removals} == set(page) - set(BODY)


def test_whole_page_headline_is_the_line_sharing_words_with_the_lead() -> None:
    page = ["Policies And Reports Archive", "Council Backs New Transit Budget", "Photo Desk Weekly Gallery",
            *BODY, "Terms of use"]
    assert clean_paragraphs(page, whole_page=True).title == "Council Backs New Transit Budget"


def test_whole_page_without_prose_keeps_its_lines() -> None:
    page = ["Opening Hours", "Monday to Friday", "Weekends Closed", "Privacy Policy"]
    assert clean_paragraphs(page, whole_page=True).paragraphs == page[:3]


def test_every_removal_is_recorded_with_rule_and_kind() -> None:
    outcome = clean_paragraphs(["Skip to content", *BODY, "Donate now", "Privacy Policy"], whole_page=False)
    assert [(r.rule, r.kind) for r in outcome.removals] == [
        ("chrome-line", "chrome"),
        ("button-label", "chrome"),
        ("button-label", "chrome"),
    ]


def test_rules_version_is_set() -> None:
    assert RULES_VERSION.startswith("rules-")


def test_every_appeal_phrase_requires_a_gate_stem() -> None:
    """Phrases are only tried behind their gate: a phrase without a stem in it would never fire."""
    text = rule_pack().text
    for phrases in (text.appeal, text.chrome_contains):
        for phrase in phrases.patterns:
            assert any(stem in phrase.pattern.pattern for stem in phrases.gate), phrase.pattern.pattern


@pytest.fixture
def seed(shared_dir: Path) -> tuple[dict, SourceDoc]:
    folder = shared_dir / "seed"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    path = folder / expected["input"]
    return expected, SourceDoc(str(path), path.read_text(encoding="utf-8"), "text")


def test_seed_article_exactly(seed: tuple[dict, SourceDoc]) -> None:
    expected, doc = seed
    article = clean_document(doc)
    assert article.text == expected["text"]
    assert article.title == expected["title"]
    assert article.site_name == expected["site_name"]
    assert article.rules_version == RULES_VERSION


def test_seed_removals_cover_must_remove_and_spare_must_keep(seed: tuple[dict, SourceDoc]) -> None:
    expected, doc = seed
    outcome = clean_paragraphs(split_paragraphs(doc.body), whole_page=True)
    removed_text = {r.text for r in outcome.removals if r.kind != "title"}
    assert set(expected["must_remove"]) <= removed_text
    assert all(any(keep in p for p in outcome.paragraphs) for keep in expected["must_keep"][:1])
    assert all(keep in "\n\n".join([outcome.title or "", *outcome.paragraphs]) for keep in expected["must_keep"])


@pytest.mark.parametrize(
    "spaced", [" Support  us ", "Support\u00a0us", "Support\nus", "Support\u2009us", "Support us\t"]
)
def test_any_whitespace_between_words_reads_as_one_space(spaced: str) -> None:
    assert labels([spaced]) == labels(["Support us"]) == [Label.BUTTON]
