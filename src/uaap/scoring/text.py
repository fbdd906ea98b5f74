"""Transcript normalisation and word (or character) errors via jiwer (DESIGN rule 4)."""

from __future__ import annotations

import functools
import unicodedata
from typing import Iterable

from uaap.scoring.profile import DEFAULT_PROFILE

__all__ = [
    "CJK_LANGUAGES",
    "normalise",
    "is_cjk",
    "word_errors",
    "word_acc",
]

CJK_LANGUAGES: tuple[str, ...] = DEFAULT_PROFILE.cjk_languages


@functools.lru_cache(maxsize=65536)
def normalise(text: str | None) -> str:
    """NFKC, lowercase, punctuation (Unicode category P*) deleted, whitespace collapsed.

    >>> normalise("  The  Cat's   MAT! ")
    'the cats mat'
    >>> normalise("你好，世界。")
    '你好世界'
    >>> normalise(None)
    ''
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).lower()
    kept = "".join(ch for ch in folded if not unicodedata.category(ch).startswith("P"))
    return " ".join(kept.split())


def is_cjk(language: str | None, cjk_languages: Iterable[str] = CJK_LANGUAGES) -> bool:
    """Whether a key language is scored by characters (its primary subtag is in the list).

    >>> is_cjk("zh-CN"), is_cjk("yue"), is_cjk("cmn_Hans"), is_cjk("en"), is_cjk(None)
    (True, True, True, False, False)
    """
    if not language:
        return False
    return _is_cjk(language, tuple(cjk_languages))


@functools.lru_cache(maxsize=4096)
def _is_cjk(language: str, cjk_languages: tuple[str, ...]) -> bool:
    primary = language.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary in {c.lower() for c in cjk_languages}


@functools.lru_cache(maxsize=65536)
def _errors(ref: str, hyp: str, by_char: bool) -> tuple[int, int]:
    ref_units = len(ref) if by_char else len(ref.split())
    hyp_units = len(hyp) if by_char else len(hyp.split())
    if ref_units == 0:
        return hyp_units, 0
    if hyp_units == 0:
        return ref_units, ref_units
    import jiwer

    out = jiwer.process_characters(ref, hyp) if by_char else jiwer.process_words(ref, hyp)
    return out.substitutions + out.deletions + out.insertions, ref_units


def word_errors(
    ref: str | None,
    hyp: str | None,
    language: str | None = None,
    *,
    cjk_languages: Iterable[str] = CJK_LANGUAGES,
) -> tuple[int, int]:
    """Edits (S + D + I) and reference units between two transcripts, after :func:`normalise`.

    Units are words, or characters (all whitespace removed) when the key ``language`` is
    Chinese, Japanese or Cantonese. An empty reference gives ``(hypothesis units, 0)``.

    Args:
        ref: the answer key's transcription.
        hyp: the predicted transcription.
        language: the answer key's language code (``"zh-CN"``, ``"en"`` …).
        cjk_languages: primary language subtags scored by characters.

    Returns:
        ``(edits, ref_units)``.

    >>> word_errors("The cat sat on the mat.", "the cat sat on a mat")
    (1, 6)
    >>> word_errors("我们今天去公园", "我们 明天 去公园", "zh-CN")
    (1, 7)
    >>> word_errors("", ""), word_errors("", "uh huh"), word_errors("hi there", None)
    ((0, 0), (2, 0), (2, 2))
    """
    by_char = is_cjk(language, cjk_languages)
    ref_n, hyp_n = normalise(ref), normalise(hyp)
    if by_char:
        ref_n, hyp_n = "".join(ref_n.split()), "".join(hyp_n.split())
    return _errors(ref_n, hyp_n, by_char)


def word_acc(edits: int, ref_units: int, wer_clip: float | None = 1.0) -> float:
    """``1 − min(wer_clip, edits / ref_units)``; 1 for no edits, 0 for edits on an empty reference.

    ``wer_clip=None`` leaves the WER unclipped, so the accuracy can go below 0.

    >>> word_acc(1, 6)
    0.8333333333333334
    >>> word_acc(9, 3), word_acc(9, 3, None), word_acc(0, 0), word_acc(2, 0)
    (0.0, -2.0, 1.0, 0.0)
    """
    if ref_units <= 0:
        return 1.0 if edits == 0 else 0.0
    wer = edits / ref_units
    if wer_clip is not None:
        wer = min(wer_clip, wer)
    return 1.0 - wer
