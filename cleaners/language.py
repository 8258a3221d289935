"""Language of the clean text, checked against what the page declares."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Below this the detector is guessing (short, mixed or boilerplate text): trust the page's declaration.
_SURE = 0.9
# the detector is linear in its input; 1,500 characters decide a news article's language as well as 5,000
_SAMPLE_CHARS = 1500


@cache
def _identifier() -> LanguageIdentifier:
    """Loaded once per process: the model takes a while to unpickle."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, declared: str | None) -> tuple[str | None, float | None]:
    """ISO 639-1 code and confidence (0..1); the declared language wins when detection is unsure."""
    declared_code = declared.strip().replace("_", "-").split("-")[0].lower() if declared and declared.strip() else None
    sample = text[:_SAMPLE_CHARS]
    if not sample.strip():
        return declared_code, None
    code, probability = _identifier().classify(sample)
    confidence = round(float(probability), 3)
    if declared_code and (confidence < _SURE or code == declared_code):
        return declared_code, confidence if code == declared_code else None
    return code, confidence
