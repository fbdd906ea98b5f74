"""Who speaks, and how: the espeak-ng voice roster, delivery styles, and their captions.

A synthetic speaker is an espeak-ng *variant* (``m3``, ``f2``, ``croak`` ...): the variant sets
the voice quality, the language voice only the pronunciation, so the same variant reading
two languages is one bilingual speaker. Pitch moves within a moderate range so a variant
stays recognisably the same voice.

Every fact in a "how it was said" caption is a setting that was really applied: the
voice variant (and the gender it was designed with), the accent of the espeak-ng
language voice, the speaking rate (``-s``), the pitch (``-p``), SSML emphasis on one word,
and whether the voice is synthetic or human. Loudness is decided later by the mixer and
added to the caption there.
"""

from __future__ import annotations

from dataclasses import dataclass

from uaap.bench.texts import LANGUAGE_NAMES

__all__ = [
    "EspeakVoice",
    "Delivery",
    "ESPEAK_VOICES",
    "RATES",
    "PITCHES",
    "speech_caption",
]


@dataclass(frozen=True)
class EspeakVoice:
    """One espeak-ng language voice plus variant: one synthetic speaker."""

    language: str
    voice: str
    variant: str
    gender: str
    accent: str | None = None
    manner: str = "speaks"
    timbre: str = "robotic, buzzy"
    quality: str = ""

    @property
    def speaker_id(self) -> str:
        """The variant is the voice: ``de+m3`` and ``en-us+m3`` are one (bilingual) speaker."""
        return f"espeak-ng/{self.variant}"

    @property
    def spec(self) -> str:
        return f"{self.voice}+{self.variant}"


@dataclass(frozen=True)
class Delivery:
    """A delivery actually applied: rate and pitch words, and a stressed word if any."""

    rate: str = "normal"
    pitch: str = "normal"
    emphasis: str | None = None


#: espeak-ng ``-s`` words per minute for each rate word (UAAP ``speaking_rate`` values).
RATES: dict[str, int] = {"slow": 130, "normal": 170, "fast": 225}
#: espeak-ng ``-p`` (0-99) for each pitch word.
PITCHES: dict[str, int] = {"low": 32, "normal": 50, "high": 70}

_W = "whispers"
_ROSTER: dict[str, tuple[tuple[str, str, str, str | None, str, str, str], ...]] = {
    # (voice, variant, gender, accent, manner, timbre, quality)
    "en": (
        ("en-us", "m3", "male", "American", "speaks", "robotic, buzzy", ""),
        ("en-gb", "f2", "female", "British", "speaks", "robotic, buzzy", ""),
        ("en-gb-scotland", "m1", "male", "Scottish", "speaks", "robotic, buzzy", ""),
        ("en-029", "f4", "female", "Caribbean", "speaks", "robotic, buzzy", ""),
        ("en-us", "whisperf", "female", "American", _W, "breathy, whispered", ""),
        (
            "en-gb-x-rp",
            "grandpa",
            "male",
            "British (Received Pronunciation)",
            "speaks",
            "robotic, low",
            "older-sounding ",
        ),
    ),
    "fr": (
        ("fr-fr", "m1", "male", None, "speaks", "robotic, buzzy", ""),
        ("fr-fr", "f2", "female", None, "speaks", "robotic, buzzy", ""),
        ("fr-be", "m3", "male", "Belgian", "speaks", "robotic, buzzy", ""),
        ("fr-ch", "f4", "female", "Swiss", "speaks", "robotic, buzzy", ""),
        ("fr-fr", "croak", "male", None, "speaks", "croaky, rough", ""),
        ("fr-fr", "Annie", "female", None, "speaks", "robotic, bright", ""),
    ),
    "de": (
        ("de", "m1", "male", None, "speaks", "robotic, buzzy", ""),
        ("de", "f2", "female", None, "speaks", "robotic, buzzy", ""),
        ("de", "m3", "male", None, "speaks", "robotic, buzzy", ""),
        ("de", "f4", "female", None, "speaks", "robotic, buzzy", ""),
        ("de", "grandma", "female", None, "speaks", "robotic, wavering", "older-sounding "),
        ("de", "whisper", "male", None, _W, "breathy, whispered", ""),
    ),
    "es": (
        ("es", "m1", "male", "Castilian", "speaks", "robotic, buzzy", ""),
        ("es", "f2", "female", "Castilian", "speaks", "robotic, buzzy", ""),
        ("es-419", "m3", "male", "Latin American", "speaks", "robotic, buzzy", ""),
        ("es-419", "f4", "female", "Latin American", "speaks", "robotic, buzzy", ""),
        ("es", "grandpa", "male", "Castilian", "speaks", "robotic, low", "older-sounding "),
        ("es", "whisperf", "female", "Castilian", _W, "breathy, whispered", ""),
    ),
    "nl": (
        ("nl", "m1", "male", None, "speaks", "robotic, buzzy", ""),
        ("nl", "f2", "female", None, "speaks", "robotic, buzzy", ""),
        ("nl", "m3", "male", None, "speaks", "robotic, buzzy", ""),
        ("nl", "f4", "female", None, "speaks", "robotic, buzzy", ""),
        ("nl", "croak", "male", None, "speaks", "croaky, rough", ""),
        ("nl", "Annie", "female", None, "speaks", "robotic, bright", ""),
    ),
    "zh": (
        ("cmn-latn-pinyin", "m1", "male", None, "speaks", "robotic, buzzy", ""),
        ("cmn-latn-pinyin", "f2", "female", None, "speaks", "robotic, buzzy", ""),
        ("cmn-latn-pinyin", "m3", "male", None, "speaks", "robotic, buzzy", ""),
        ("cmn-latn-pinyin", "f4", "female", None, "speaks", "robotic, buzzy", ""),
        ("cmn-latn-pinyin", "grandma", "female", None, "speaks", "robotic, wavering", "older-sounding "),
        ("cmn-latn-pinyin", "whisper", "male", None, _W, "breathy, whispered", ""),
    ),
}

#: Six synthetic speakers per language.
ESPEAK_VOICES: dict[str, tuple[EspeakVoice, ...]] = {
    lang: tuple(EspeakVoice(lang, *row) for row in rows) for lang, rows in _ROSTER.items()
}

_RATE_WORDS = {"slow": "slowly", "normal": "at a normal pace", "fast": "quickly"}
_PITCH_WORDS = {"low": "at a low pitch", "normal": "at a natural pitch", "high": "at a high pitch"}


def speech_caption(
    *,
    language: str,
    human: bool,
    engine: str,
    gender: str | None = None,
    accent: str | None = None,
    manner: str = "speaks",
    quality: str = "",
    delivery: Delivery = Delivery(),
    reads: str = "a short description",
) -> str:
    """A plain-words "how it was said" caption from the settings that were applied.

    >>> speech_caption(language="fr", human=False, engine="espeak-ng", gender="male",
    ...                delivery=Delivery("slow", "low"))
    'A synthetic, robotic-sounding male voice (espeak-ng) speaks French slowly, at a low pitch.'
    """
    lang_name = LANGUAGE_NAMES.get(language, language)
    if human:
        who = "A real human voice (a volunteer recording)"
        body = f"{who} reads {reads} aloud in {lang_name}, in a plain read-aloud style"
        return body + "."
    kind = "natural-sounding synthetic" if "neural" in engine else "synthetic, robotic-sounding"
    g = f" {gender}" if gender in ("male", "female") else ""
    text = f"A {kind}{', ' + quality.strip() if quality else ''}{g} voice ({engine})"
    if accent:
        text += f" with {'an' if accent[0] in 'AEIOU' else 'a'} {accent} accent"
    text += f" {manner} {lang_name} {_RATE_WORDS[delivery.rate]}"
    if manner != "whispers":
        text += f", {_PITCH_WORDS[delivery.pitch]}"
    if delivery.emphasis:
        text += f', stressing the word "{delivery.emphasis}"'
    return text + "."
