"""Language of the clean text, checked against what the page declares."""

from __future__ import annotations

from functools import cache

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Below this the detector is guessing (short, mixed or boilerplate text): trust the page's declaration.
_SURE = 0.9
# the detector is linear in its input; 1,500 characters decide a news article's language as well as 5,000
_SAMPLE_CHARS = 1500
# The model's byte automaton has no state deeper than this many bytes (a breadth-first walk of it says so), so
# its state after any byte depends on the last six bytes alone: every position can be walked at once.
_AUTOMATON_DEPTH = 6


class _WindowIdentifier(LanguageIdentifier):
    """py3langid's identifier with its two slow steps redone in numpy, same features, same scores.

    Its byte walk is a Python loop over every byte, and it scores with half-precision weights that numpy
    converts element by element on every call; here the walk runs over all positions at once and each weight
    row is converted once, the first time a text uses it."""

    __slots__ = ("_moves", "_row_starts", "_outputs", "_weights", "_converted")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._moves = np.frombuffer(self.tk_nextmove, dtype=np.uint32)
        self._row_starts = np.asarray(self._rowbase, dtype=np.int64)
        self._outputs = np.asarray(self.tk_output, dtype=np.int64)
        self._weights = np.empty(self.nb_ptc.shape, dtype=np.float32)  # untouched rows cost no memory
        self._converted = np.zeros(len(self.nb_ptc), dtype=bool)

    def _raw_score(self, text: bytes) -> np.ndarray:
        features = self._features(text)
        if not len(features):
            return super()._raw_score(text)
        _, first, counts = np.unique(features, return_index=True, return_counts=True)
        # py3langid sums features in order of first appearance: so do we, to the bit. Each count put at its
        # feature's first position and read back in position order gives that order without a second sort.
        at_first = np.zeros(len(features), dtype=counts.dtype)
        at_first[first] = counts
        seen = at_first > 0
        return np.log1p(at_first[seen].astype(np.float32)) @ self._rows(features[seen]) + self.nb_pc

    def _features(self, text: bytes) -> np.ndarray:
        letters = np.frombuffer(text, dtype=np.uint8).astype(np.int64)
        states = np.zeros(len(letters), dtype=np.int64)
        for back in range(_AUTOMATON_DEPTH - 1, -1, -1):  # feed each position the byte `back` places before it
            states[back:] = self._moves[self._row_starts[states[back:]] + letters[: len(letters) - back]]
        features = self._outputs[states]
        return features[features >= 0]

    def _rows(self, ids: np.ndarray) -> np.ndarray:
        new = ids[~self._converted[ids]]
        self._weights[new] = self.nb_ptc[new]
        self._converted[new] = True
        return self._weights[ids]


@cache
def _identifier() -> LanguageIdentifier:
    """Loaded once per process: the model takes a while to unpickle."""
    return _WindowIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


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
