"""Music beds rendered with fluidsynth from real scores (music21 corpus) and generated MIDI.

Every fact in a music caption is known exactly because it was set here: the General MIDI
instruments (programs are rewritten per part), the tempo (one metronome mark replaces the
score's), the metre, the composer or style. The key is stated only when the score's key
signature agrees with music21's key analysis.
"""

from __future__ import annotations

import random
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from uaap.bench.audio import SAMPLE_RATE, AudioReadError, read_mono
from uaap.bench.ingest import Candidate, render_key, run_tool
from uaap.bench.pool import SourceItem, SourceProblem

__all__ = [
    "SOUNDFONT",
    "CorpusPiece",
    "GeneratedPiece",
    "CORPUS_PIECES",
    "GENERATED_PIECES",
    "music_candidates",
    "render_midi",
]

SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
_SF_LICENCE = "FluidR3_GM soundfont MIT (fluid-soundfont-gm)"
_MUSIC21_LOCK = threading.Lock()

#: Named ensembles: GM programs assigned to the parts in order (cycled), and the words.
ENSEMBLES: dict[str, tuple[tuple[int, ...], str]] = {
    "string quartet": ((40, 40, 41, 42), "a string quartet (two violins, viola and cello)"),
    "brass quartet": ((56, 56, 60, 57), "a brass quartet (two trumpets, French horn and trombone)"),
    "wind quartet": ((73, 68, 71, 70), "a wind quartet (flute, oboe, clarinet and bassoon)"),
    "piano": ((0,), "a solo piano"),
    "strings": ((48,), "a string ensemble"),
    "organ": ((19,), "a church organ"),
    "choir": ((52,), "synthesised choir voices singing 'aah'"),
    "recorders": ((74,), "a consort of recorders"),
    "violins and organ": ((40, 40, 19), "two violins with church organ on the bass line"),
    "clarinet and piano": ((71, 0, 0), "clarinet on the vocal line with piano accompaniment"),
}


@dataclass(frozen=True)
class CorpusPiece:
    """A score of the music21 corpus, how it is played, and what it is."""

    corpus_path: str
    what: str
    composer: str
    ensemble: str
    bpm: int
    max_s: float = 58.0


CORPUS_PIECES: tuple[CorpusPiece, ...] = (
    CorpusPiece("bach/bwv66.6", "a four-part chorale (BWV 66.6)", "J. S. Bach", "string quartet", 66),
    CorpusPiece("bach/bwv10.7", "a four-part chorale (BWV 10.7)", "J. S. Bach", "brass quartet", 80),
    CorpusPiece("bach/bwv101.7", "a four-part chorale (BWV 101.7)", "J. S. Bach", "wind quartet", 72),
    CorpusPiece("bach/bwv103.6", "a four-part chorale (BWV 103.6)", "J. S. Bach", "piano", 69),
    CorpusPiece("bach/bwv104.6", "a four-part chorale (BWV 104.6)", "J. S. Bach", "strings", 60),
    CorpusPiece("bach/bwv1.6", "a chorale with horn descant (BWV 1.6)", "J. S. Bach", "organ", 84),
    CorpusPiece("bach/bwv102.7", "a four-part chorale (BWV 102.7)", "J. S. Bach", "choir", 64),
    CorpusPiece(
        "haydn/opus74no1/movement1",
        "the first movement of the String Quartet Op. 74 No. 1",
        "Joseph Haydn",
        "string quartet",
        132,
    ),
    CorpusPiece(
        "mozart/k155/movement1",
        "the first movement of the String Quartet K. 155",
        "W. A. Mozart",
        "string quartet",
        120,
    ),
    CorpusPiece(
        "mozart/k545/movement1_exposition",
        "the exposition of the first movement of the Piano Sonata K. 545",
        "W. A. Mozart",
        "piano",
        96,
    ),
    CorpusPiece("joplin/maple_leaf_rag", "the Maple Leaf Rag", "Scott Joplin", "piano", 92),
    CorpusPiece(
        "beethoven/opus18no1/movement1.mxl",
        "the first movement of the String Quartet Op. 18 No. 1",
        "Ludwig van Beethoven",
        "string quartet",
        160,
    ),
    CorpusPiece(
        "corelli/opus3no1/1grave",
        "the Grave of the Trio Sonata Op. 3 No. 1",
        "Arcangelo Corelli",
        "violins and organ",
        60,
    ),
    CorpusPiece(
        "monteverdi/madrigal.3.1.mxl",
        'the five-part madrigal "La giovinetta pianta"',
        "Claudio Monteverdi",
        "recorders",
        76,
    ),
    CorpusPiece("schubert/Lindenbaum", 'the song "Der Lindenbaum"', "Franz Schubert", "clarinet and piano", 84),
)


@dataclass(frozen=True)
class GeneratedPiece:
    """A piece generated here: every musical fact is a parameter."""

    name: str
    style: str
    tonic: str
    mode: str
    bpm: int
    beats: int
    progression: tuple[int, ...]
    parts: tuple[tuple[str, int], ...]  # (role, GM program); program -1 = drum kit
    seconds: float = 52.0


GENERATED_PIECES: tuple[GeneratedPiece, ...] = (
    GeneratedPiece(
        "piano-waltz",
        "A solo piano waltz with an oom-pah-pah left hand under a simple melody",
        "G",
        "major",
        96,
        3,
        (1, 4, 5, 1),
        (("melody", 0), ("waltz", 0)),
    ),
    GeneratedPiece(
        "guitar-arpeggios",
        "Nylon-string acoustic guitar playing slow broken-chord arpeggios",
        "A",
        "minor",
        80,
        4,
        (1, 6, 3, 7),
        (("arpeggio", 24), ("bass", 24)),
    ),
    GeneratedPiece(
        "rock-groove",
        "A rock groove: drum kit, electric bass and overdriven electric guitar chords",
        "E",
        "minor",
        120,
        4,
        (1, 6, 7, 1),
        (("drums", -1), ("bass", 33), ("chords", 29)),
    ),
    GeneratedPiece(
        "electric-piano-ballad",
        "A slow ballad: electric piano chords, acoustic bass and a vibraphone melody",
        "F",
        "major",
        72,
        4,
        (1, 6, 2, 5),
        (("chords", 4), ("bass", 32), ("melody", 11)),
    ),
    GeneratedPiece(
        "string-pad",
        "Sustained string-ensemble chords under a slow flute melody",
        "D",
        "major",
        60,
        4,
        (1, 5, 6, 4),
        (("pad", 48), ("melody", 73)),
    ),
    GeneratedPiece(
        "marimba-ostinato",
        "A marimba ostinato over pizzicato strings",
        "C",
        "major",
        104,
        4,
        (1, 4, 6, 5),
        (("arpeggio", 12), ("bass", 45)),
    ),
    GeneratedPiece(
        "synth-pop",
        "Upbeat synth-pop: drum kit, synth bass, a warm synth pad and a square-wave lead",
        "Bb",
        "major",
        116,
        4,
        (1, 5, 6, 4),
        (("drums", -1), ("bass", 38), ("pad", 89), ("melody", 80)),
    ),
    GeneratedPiece(
        "harp-flute",
        "A harp playing broken chords with a flute melody",
        "Eb",
        "major",
        72,
        3,
        (1, 4, 2, 5),
        (("arpeggio", 46), ("melody", 73)),
    ),
    GeneratedPiece(
        "music-box",
        "A music-box lullaby melody over soft celesta chords",
        "F",
        "major",
        66,
        3,
        (1, 4, 5, 1),
        (("melody", 10), ("waltz", 8)),
    ),
    GeneratedPiece(
        "brass-fanfare",
        "A brass fanfare: trumpet melody, trombone chords and timpani",
        "C",
        "major",
        108,
        4,
        (1, 4, 5, 1),
        (("melody", 56), ("chords", 57), ("bass", 47)),
    ),
)

_PITCH_CLASS = {"C": 0, "Db": 1, "D": 2, "Eb": 3, "E": 4, "F": 5, "F#": 6, "G": 7, "Ab": 8, "A": 9, "Bb": 10, "B": 11}
_SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
_SPOKEN_NOTE = {"b": "-flat", "#": "-sharp", "-": "-flat"}


def _key_words(tonic: str, mode: str) -> str:
    name = tonic[0].upper() + "".join(_SPOKEN_NOTE.get(ch, ch) for ch in tonic[1:])
    return f"{name} {mode}"


def _instrument_names(programs: list[int]) -> str:
    import pretty_midi

    names: list[str] = []
    for p in programs:
        name = "drum kit" if p < 0 else pretty_midi.program_to_instrument_name(p)
        if name not in names:
            names.append(name)
    return ", ".join(names)


def render_midi(midi_path: Path, fade_out_s: float = 0.0) -> np.ndarray:
    """Render a MIDI file with fluidsynth (FluidR3 GM, 44.1 kHz) to 16 kHz mono samples."""
    if not SOUNDFONT.is_file():
        raise AudioReadError(f"soundfont {SOUNDFONT} is missing (apt-get install -y fluid-soundfont-gm)")
    out = midi_path.with_suffix(".wav")
    run_tool(
        ["fluidsynth", "-ni", "-q", "-g", "0.5", "-r", "44100", "-F", str(out), str(SOUNDFONT), str(midi_path)],
        f"fluidsynth {midi_path.name}",
    )
    x = read_mono(out, SAMPLE_RATE)
    if fade_out_s > 0:
        n = min(x.size, int(fade_out_s * SAMPLE_RATE))
        x[-n:] *= np.linspace(1.0, 0.0, n, dtype=np.float32)
    return x


# --- generated pieces --------------------------------------------------------------


def _generate_midi(piece: GeneratedPiece, path: Path) -> None:
    import pretty_midi

    rng = random.Random(f"music/{piece.name}")
    pm = pretty_midi.PrettyMIDI(initial_tempo=float(piece.bpm))
    pm.time_signature_changes.append(pretty_midi.TimeSignature(piece.beats, 4, 0.0))
    pm.key_signature_changes.append(
        pretty_midi.KeySignature(pretty_midi.key_name_to_key_number(f"{piece.tonic} {piece.mode}"), 0.0)
    )
    beat = 60.0 / piece.bpm
    bar = beat * piece.beats
    n_bars = int(np.ceil(piece.seconds / bar))
    root = 48 + _PITCH_CLASS[piece.tonic]
    scale = _SCALES[piece.mode]

    def degree_pitch(deg: int, octave: int = 0) -> int:  # 0-based scale degree, any integer
        return root + 12 * (octave + deg // 7) + scale[deg % 7]

    def chord(deg: int) -> list[int]:
        return [degree_pitch(deg - 1 + k) for k in (0, 2, 4)]

    for role, program in piece.parts:
        inst = pretty_midi.Instrument(program=max(program, 0), is_drum=program < 0, name=role)
        notes = inst.notes
        melody_deg = 7 + 2
        for b in range(n_bars):
            t0 = b * bar
            deg = piece.progression[b % len(piece.progression)]
            triad = chord(deg)
            last = b == n_bars - 1
            if role == "drums":
                for e in range(piece.beats * 2):
                    t = t0 + e * beat / 2
                    notes.append(pretty_midi.Note(70, 42, t, t + 0.1))
                    if e % 4 == 0:
                        notes.append(pretty_midi.Note(100, 36, t, t + 0.2))
                    if e % 4 == 2:
                        notes.append(pretty_midi.Note(95, 38, t, t + 0.2))
            elif role == "bass":
                for k in range(piece.beats if not last else 1):
                    pitch = triad[0] - 12 if k % 2 == 0 else triad[2] - 12
                    notes.append(
                        pretty_midi.Note(85, pitch, t0 + k * beat, t0 + (k + 0.9) * beat if not last else t0 + bar)
                    )
            elif role in ("chords", "pad"):
                hits = [0] if role == "pad" or last else list(range(0, piece.beats, 2))
                for k in hits:
                    end = t0 + bar if role == "pad" or last else t0 + (k + 1.8) * beat
                    for p in triad:
                        notes.append(pretty_midi.Note(62 if role == "pad" else 72, p + 12, t0 + k * beat, end))
            elif role == "waltz":
                notes.append(pretty_midi.Note(75, triad[0] - 12, t0, t0 + beat * 0.95))
                for k in range(1, piece.beats if not last else 1):
                    for p in triad:
                        notes.append(pretty_midi.Note(58, p, t0 + k * beat, t0 + (k + 0.8) * beat))
            elif role == "arpeggio":
                pattern = [triad[0], triad[1], triad[2], triad[0] + 12, triad[2], triad[1]]
                steps = piece.beats * 2 if not last else 1
                for e in range(steps):
                    p = pattern[e % len(pattern)]
                    end = t0 + (e + 1.8) * beat / 2 if not last else t0 + bar
                    notes.append(pretty_midi.Note(70, p + 12, t0 + e * beat / 2, end))
            elif role == "melody":
                t = t0
                while t < t0 + bar - 1e-6:
                    dur = beat if last or rng.random() < 0.6 else beat / 2
                    if last:
                        dur = bar
                    strong = abs((t - t0) % beat) < 1e-6
                    if strong:
                        targets = [d for d in range(melody_deg - 4, melody_deg + 5) if (d - (deg - 1)) % 7 in (0, 2, 4)]
                        melody_deg = min(targets, key=lambda d: (abs(d - melody_deg), rng.random()))
                    else:
                        melody_deg += rng.choice((-1, 1))
                    melody_deg = max(5, min(melody_deg, 16))
                    pitch = degree_pitch(melody_deg, 1)
                    notes.append(pretty_midi.Note(88, pitch, t, min(t + dur * 0.95, t0 + bar)))
                    t += dur
        pm.instruments.append(inst)
    pm.write(str(path))


def _generated_candidate(piece: GeneratedPiece) -> Candidate:
    programs = [p for _, p in piece.parts]
    caption = (
        f"{piece.style}, in {_key_words(piece.tonic, piece.mode)}, {piece.beats}/4 time, at {piece.bpm} beats "
        "per minute (generated MIDI played with a General MIDI soundfont)."
    )

    def produce() -> np.ndarray:
        with tempfile.TemporaryDirectory(prefix="uaap-midi-") as tmp:
            mid = Path(tmp) / f"{piece.name}.mid"
            _generate_midi(piece, mid)
            return render_midi(mid, fade_out_s=0.0)

    item = SourceItem(
        item_id=f"music.generated.{piece.name}",
        kind="music",
        path="",
        package="fluid-soundfont-gm",
        licence=f"generated by uaap; {_SF_LICENCE}",
        caption=caption,
        label=piece.name,
        origin=f"pretty_midi generator '{piece.name}'",
        render_key=render_key("generated", piece, SOUNDFONT),
        human=False,
        facts={
            "instruments": _instrument_names(programs),
            "programs": programs,
            "tempo_bpm": piece.bpm,
            "key": _key_words(piece.tonic, piece.mode),
            "metre": f"{piece.beats}/4",
            "style": piece.style,
        },
    )
    return Candidate(item, produce)


# --- corpus pieces -------------------------------------------------------------------


def _corpus_midi(piece: CorpusPiece, path: Path) -> dict[str, object]:
    """Write the score as MIDI with one tempo, rewritten programs and channels, cut to max_s."""
    import mido
    from music21 import corpus, tempo

    with _MUSIC21_LOCK:
        score = corpus.parse(piece.corpus_path)
        for mark in list(score.recurse().getElementsByClass(tempo.TempoIndication)):
            mark.activeSite.remove(mark)
        score.insert(0, tempo.MetronomeMark(number=piece.bpm))
        signatures = score.flatten().getElementsByClass("TimeSignature")
        metre = signatures[0].ratioString if signatures else None
        key_sigs = score.flatten().getElementsByClass("KeySignature")
        analysed = score.analyze("key")
        key = None
        if key_sigs and analysed.sharps == key_sigs[0].sharps:
            key = _key_words(analysed.tonic.name, analysed.mode)
        n_parts = len(score.parts)
        raw = path.with_suffix(".raw.mid")
        score.write("midi", fp=str(raw))
    programs_cycle, _ = ENSEMBLES[piece.ensemble]
    mid = mido.MidiFile(str(raw))
    tempo_us = next((m.tempo for t in mid.tracks for m in t if m.type == "set_tempo"), 500000)
    limit = int(piece.max_s * 1e6 / tempo_us * mid.ticks_per_beat)
    out = mido.MidiFile(type=1, ticks_per_beat=mid.ticks_per_beat)
    programs: list[int] = []
    channels = [c for c in range(16) if c != 9]
    truncated = False
    for track in mid.tracks:
        has_notes = any(m.type == "note_on" for m in track)
        events: list[tuple[int, mido.Message]] = []
        channel = program = None
        if has_notes:
            channel = channels[len(programs) % len(channels)]
            program = programs_cycle[len(programs) % len(programs_cycle)]
            programs.append(program)
            events.append((0, mido.Message("program_change", program=program, channel=channel, time=0)))
        sounding: set[int] = set()
        now = 0
        for msg in track:
            now += msg.time
            if msg.type == "end_of_track" or msg.type == "program_change":
                continue
            if now > limit:
                truncated = truncated or has_notes
                break
            if has_notes and hasattr(msg, "channel"):
                msg = msg.copy(channel=channel)
            if msg.type == "note_on" and msg.velocity > 0:
                sounding.add(msg.note)
            elif msg.type in ("note_off", "note_on"):
                sounding.discard(msg.note)
            events.append((now, msg))
        for note in sorted(sounding):
            events.append((limit, mido.Message("note_off", note=note, velocity=0, channel=channel)))
        new = mido.MidiTrack()
        prev = 0
        for at, msg in events:
            new.append(msg.copy(time=at - prev))
            prev = at
        out.tracks.append(new)
    out.save(str(path))
    return {"metre": metre, "key": key, "programs": programs, "truncated": truncated, "parts": n_parts}


def _corpus_caption(piece: CorpusPiece, facts: dict[str, object]) -> str:
    _, ensemble_words = ENSEMBLES[piece.ensemble]
    what = f"the opening of {piece.what}" if facts["truncated"] else piece.what
    text = f"{what[0].upper()}{what[1:]} by {piece.composer}, played by {ensemble_words}"
    if facts["key"]:
        text += f", in {facts['key']}"
    if facts["metre"]:
        text += f", {facts['metre']} time"
    return text + f", at {piece.bpm} beats per minute (rendered from the score with a General MIDI soundfont)."


def _corpus_candidate(piece: CorpusPiece) -> Candidate:
    def produce() -> tuple[np.ndarray, dict[str, object]]:
        with tempfile.TemporaryDirectory(prefix="uaap-score-") as tmp:
            mid = Path(tmp) / "score.mid"
            facts = _corpus_midi(piece, mid)
            samples = render_midi(mid, fade_out_s=1.5 if facts["truncated"] else 0.0)
        programs = list(facts["programs"])  # type: ignore[arg-type]
        all_facts = {
            "composer": piece.composer,
            "work": piece.what,
            "corpus_path": piece.corpus_path,
            "instruments": _instrument_names(programs),
            "programs": programs,
            "tempo_bpm": piece.bpm,
            "key": facts["key"],
            "metre": facts["metre"],
            "excerpt": "opening" if facts["truncated"] else "complete",
        }
        return samples, {"caption": _corpus_caption(piece, facts), "facts": all_facts}

    slug = piece.corpus_path.replace("/", "-").replace(".mxl", "").replace("_", "-").lower()
    item = SourceItem(
        item_id=f"music.music21.{slug}",
        kind="music",
        path="",
        package="music21",
        licence=f"score from the music21 corpus (public-domain work; music21 BSD-3); {_SF_LICENCE}",
        caption="",
        label=piece.ensemble,
        origin=f"music21 corpus {piece.corpus_path}",
        render_key=render_key("corpus", piece, SOUNDFONT),
        human=False,
    )
    return Candidate(item, produce, late_fields=("caption", "facts"))


def music_candidates(problems: list[SourceProblem], corpus: bool = True, generated: bool = True) -> Iterator[Candidate]:
    """Candidates for the music beds; a missing tool or library becomes one problem."""
    import shutil

    if shutil.which("fluidsynth") is None:
        problems.append(
            SourceProblem(
                "fluidsynth",
                "program is not installed, so no music is rendered",
                "run scripts/install_sources.sh (apt-get install -y fluidsynth)",
            )
        )
        return
    if not SOUNDFONT.is_file():
        problems.append(
            SourceProblem(
                "fluid-soundfont-gm",
                f"soundfont {SOUNDFONT} is missing",
                "run scripts/install_sources.sh (apt-get install -y fluid-soundfont-gm)",
            )
        )
        return
    if generated:
        try:
            import pretty_midi  # noqa: F401
        except ImportError:
            problems.append(
                SourceProblem(
                    "pretty_midi",
                    "Python package is not installed, so no MIDI is generated",
                    "run scripts/install_sources.sh <venv>",
                )
            )
        else:
            for piece in GENERATED_PIECES:
                yield _generated_candidate(piece)
    if corpus:
        try:
            import mido  # noqa: F401
            import music21  # noqa: F401
        except ImportError as exc:
            problems.append(
                SourceProblem(
                    str(exc.name or "music21"),
                    "Python package is not installed, so no scores are rendered",
                    "run scripts/install_sources.sh <venv>",
                )
            )
        else:
            for piece in CORPUS_PIECES:
                yield _corpus_candidate(piece)
