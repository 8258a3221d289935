"""Language: detected on the clean text with a confidence, checked against the page's declaration."""

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from cleaners.language import _identifier, detect_language

GERMAN = "Die Fähre nach Helgoland fährt ab Montag wieder täglich, teilte die Reederei am Freitag mit. " * 3
ENGLISH = "The ferry to the island will run daily again from Monday, the operator said on Friday. " * 3


def test_detects_text_without_a_declaration() -> None:
    code, confidence = detect_language(GERMAN, None)
    assert code == "de"
    assert confidence is not None and 0.9 <= confidence <= 1.0


def test_sure_detection_overrides_a_wrong_declaration() -> None:
    assert detect_language(ENGLISH, "de-DE")[0] == "en"


def test_agreeing_declaration_is_normalized_to_the_primary_subtag() -> None:
    code, confidence = detect_language(ENGLISH, "en_US")
    assert code == "en" and confidence is not None


def test_unsure_detection_keeps_the_declaration() -> None:
    assert detect_language("OK 42", "fr") == ("fr", None)


def test_empty_text() -> None:
    assert detect_language("   ", "pt-BR") == ("pt", None)
    assert detect_language("", None) == (None, None)


def test_scores_are_py3langids_to_the_bit() -> None:
    """The numpy walk and the converted weights change the speed, not one score."""
    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [GERMAN, ENGLISH, "Новая линия метро откроется в декабре.", "東京の新しい駅は来月開業する。", "é", "OK 42"]
    for text in texts:
        assert _identifier().rank(text) == plain.rank(text), text
