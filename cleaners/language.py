"""Language of the clean text, checked against what the page declares."""

import py3langid


def detect_language(text: str, declared: str | None) -> tuple[str | None, float | None]:
    """ISO 639-1 code and confidence; the declared language wins when detection is unsure."""
    code, confidence = py3langid.classify(text[:5000]) if text.strip() else (None, 0.0)
    if declared and (code is None or confidence < 0.9):
        return declared.split("-")[0].lower(), None
    return code, round(float(confidence), 3)
