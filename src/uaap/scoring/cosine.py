"""Caption cosines from precomputed vectors: embed every text of a bench once, then look up."""

from __future__ import annotations

import functools
from typing import Iterable, Mapping, Sequence

import numpy as np

from uaap.records import AnswerKey, Prediction, sha256_text
from uaap.scoring.captions import caption_text
from uaap.scoring.profile import DEFAULT_PROFILE, ScoringProfile

__all__ = ["CosineTable", "MissingEmbeddingError", "text_key", "texts_needing_embedding"]


class MissingEmbeddingError(KeyError):
    """A caption without a vector in the table: the flow did not embed every text of the bench."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


@functools.lru_cache(maxsize=262144)
def text_key(text: str) -> str:
    """The key of a caption's vector: sha256 hex of its UTF-8 bytes."""
    return sha256_text(text)


def texts_needing_embedding(
    keys: Iterable[AnswerKey],
    predictions: Iterable[Prediction],
    profile: ScoringProfile = DEFAULT_PROFILE,
) -> set[str]:
    """Every non-empty caption of the answer keys and the (valid) predicted events.

    Embed these once per embedder, store them by ``(embedder_id, text_key(text))`` and build
    a :class:`CosineTable`; no text needs embedding twice.
    """
    texts: set[str] = set()
    for key in keys:
        texts.update(caption_text(e, profile) for e in key.events)
    for pred in predictions:
        texts.update(caption_text(e, profile) for e in pred.events)
    texts.discard("")
    return texts


class CosineTable:
    """Cosine similarity of captions, looked up from vectors keyed by :func:`text_key`.

    Args:
        vectors: mapping ``sha256(text) -> vector``; vectors are normalised here.
        clip: the range cosines are clipped to.
        empty: the similarity when either text is empty.
    """

    def __init__(
        self,
        vectors: Mapping[str, Sequence[float] | np.ndarray],
        *,
        clip: tuple[float, float] = (0.0, 1.0),
        empty: float = 0.0,
    ) -> None:
        self.clip = (float(clip[0]), float(clip[1]))
        self.empty = float(empty)
        self._row = {key: i for i, key in enumerate(vectors)}
        if vectors:
            matrix = np.asarray([np.asarray(v, dtype=np.float64) for v in vectors.values()])
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
        else:
            matrix = np.zeros((0, 0))
        self._matrix = matrix
        self._text_row: dict[str, int] = {}

    @classmethod
    def from_texts(cls, texts: Sequence[str], vectors: np.ndarray, **kwargs) -> "CosineTable":
        """A table from texts and their vectors (row ``i`` belongs to ``texts[i]``)."""
        return cls({text_key(t): v for t, v in zip(texts, vectors)}, **kwargs)

    @classmethod
    def for_profile(cls, vectors: Mapping[str, Sequence[float] | np.ndarray], profile: ScoringProfile) -> "CosineTable":
        """A table with the profile's ``cos_clip`` and ``empty_text_cos``."""
        return cls(vectors, clip=profile.cos_clip, empty=profile.empty_text_cos)

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and text_key(text) in self._row

    def _row_of(self, text: str) -> int:
        row = self._text_row.get(text)
        if row is None:
            try:
                row = self._row[text_key(text)]
            except KeyError:
                raise MissingEmbeddingError(
                    f"no vector for caption {text[:60]!r} (sha256 {text_key(text)[:12]}); embed every text of "
                    "texts_needing_embedding(keys, predictions) before scoring"
                ) from None
            self._text_row[text] = row
        return row

    def vector(self, text: str) -> np.ndarray:
        """The unit vector of a caption."""
        return self._matrix[self._row_of(text)]

    def similarity(self, a: str, b: str) -> float:
        """Clipped cosine of two captions; ``empty`` when either is empty.

        >>> table = CosineTable.from_texts(["dog", "cat"], np.array([[1.0, 0.0], [-1.0, 0.0]]))
        >>> table.similarity("dog", "dog"), table.similarity("dog", "cat"), table.similarity("dog", "")
        (1.0, 0.0, 0.0)
        """
        if not a or not b:
            return self.empty
        value = float(self._matrix[self._row_of(a)] @ self._matrix[self._row_of(b)])
        return min(self.clip[1], max(self.clip[0], value))

    __call__ = similarity

    def matrix(self, texts_a: Sequence[str], texts_b: Sequence[str]) -> np.ndarray:
        """Clipped cosines of every text of ``texts_a`` (rows) against ``texts_b`` (columns)."""
        out = np.full((len(texts_a), len(texts_b)), self.empty, dtype=np.float64)
        ia = [i for i, t in enumerate(texts_a) if t]
        ib = [j for j, t in enumerate(texts_b) if t]
        if ia and ib:
            va = self._matrix[[self._row_of(texts_a[i]) for i in ia]]
            vb = self._matrix[[self._row_of(texts_b[j]) for j in ib]]
            out[np.ix_(ia, ib)] = np.clip(va @ vb.T, self.clip[0], self.clip[1])
        return out
