"""Real recordings from Debian packages: sound effects, vocal bursts, ambience, human speech.

Each packaged sound has a hand-written label and caption (written for that file, checked
against an audio tagger's top classes), and the licence read from the package's
``/usr/share/doc/<package>/copyright``. Files are found through ``dpkg -L`` so a missing
package is reported by name, with the command that installs it.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from uaap.bench.ingest import Candidate, decode_file, render_key
from uaap.bench.pool import SourceItem, SourceProblem
from uaap.bench.voices import speech_caption

__all__ = [
    "PackagedSound",
    "SOUND_EFFECTS",
    "AMBIENCE_RECORDINGS",
    "BURST_KINDS",
    "BURST_PACKS",
    "package_files",
    "packaged_candidates",
    "burst_candidates",
    "tuxpaint_speech_candidates",
]


@dataclass(frozen=True)
class PackagedSound:
    """One packaged file with its label, caption and licence."""

    package: str
    suffix: str
    label: str
    caption: str
    licence: str


_TUX = "tuxpaint-stamps-default"
_TUX_LIC = "GPL-2.0 (tuxpaint-stamps-default)"
_MT = "minetest-data"
_MT_LIC = "CC-BY-SA-3.0 (minetest-data sounds)"
_MT_DOORS = "CC-BY-3.0 (minetest-data doors mod sounds)"
_FD = "sound-theme-freedesktop"
_SP = "sonic-pi-samples"
_SP_LIC = "CC0-1.0 (sonic-pi-samples, per debian/copyright)"
_HW = "hedgewars-data"
_HW_LIC = "GFDL-1.3 (hedgewars-data Sounds)"


def _s(package: str, suffix: str, label: str, caption: str, licence: str) -> PackagedSound:
    return PackagedSound(package, suffix, label, caption, licence)


#: Foreground sound effects: real recordings with a caption written for each.
SOUND_EFFECTS: tuple[PackagedSound, ...] = (
    # animals (Tux Paint stamps)
    _s(_TUX, "/dogs/dog.ogg", "dog bark", "A dog barks sharply.", _TUX_LIC),
    _s(_TUX, "/dogs/fox.ogg", "fox bark", "A fox gives a few short, hoarse barks.", _TUX_LIC),
    _s(_TUX, "/halloween/blackcat.ogg", "cat meow", "A cat meows.", _TUX_LIC),
    _s(_TUX, "/bovines/cow_white.ogg", "cow moo", "A cow moos with a long, low call.", _TUX_LIC),
    _s(_TUX, "/bovines/goat.ogg", "goat bleat", "A goat bleats.", _TUX_LIC),
    _s(_TUX, "/bovines/mountaingoat.ogg", "goat bleat", "A mountain goat bleats.", _TUX_LIC),
    _s(_TUX, "/bovines/ram.ogg", "sheep bleat", "A ram bleats.", _TUX_LIC),
    _s(_TUX, "/bovines/sheep.ogg", "sheep bleat", "A sheep bleats.", _TUX_LIC),
    _s(_TUX, "/bovines/sheep_lamb.ogg", "lamb bleat", "A young lamb bleats in a high, thin voice.", _TUX_LIC),
    _s(_TUX, "/mammals/pig.ogg", "pig oink", "A pig grunts and oinks.", _TUX_LIC),
    _s(_TUX, "/birds/rooster.ogg", "rooster crow", "A rooster crows, cock-a-doodle-doo.", _TUX_LIC),
    _s(_TUX, "/birds/hen.ogg", "hen cluck", "A hen clucks.", _TUX_LIC),
    _s(_TUX, "/birds/duck.ogg", "duck quack", "A duck quacks several times.", _TUX_LIC),
    _s(_TUX, "/birds/gander.ogg", "goose honk", "A goose honks.", _TUX_LIC),
    _s(_TUX, "/birds/turkey.ogg", "turkey gobble", "A turkey gobbles.", _TUX_LIC),
    _s(_TUX, "/birds/crow.ogg", "crow caw", "A crow caws.", _TUX_LIC),
    _s(_TUX, "/birds/blackbird.ogg", "bird song", "A blackbird sings a flowing, whistled song.", _TUX_LIC),
    _s(_TUX, "/birds/lark.ogg", "bird song", "A lark sings a bright, warbling song.", _TUX_LIC),
    _s(_TUX, "/birds/cuckoo.ogg", "cuckoo call", "A cuckoo calls, cuck-oo.", _TUX_LIC),
    _s(_TUX, "/birds/owl.ogg", "owl hoot", "An owl hoots.", _TUX_LIC),
    _s(_TUX, "/birds/seagull.ogg", "gull cry", "A seagull cries.", _TUX_LIC),
    _s(_TUX, "/insects/bee.ogg", "bee buzz", "A bee buzzes around.", _TUX_LIC),
    _s(_TUX, "/insects/grasshopper.ogg", "insect chirp", "A grasshopper chirps.", _TUX_LIC),
    _s(_TUX, "/insects/mosquito.ogg", "mosquito whine", "A mosquito whines with a thin, high-pitched buzz.", _TUX_LIC),
    _s(_TUX, "/insects/hornet.ogg", "hornet buzz", "A hornet buzzes.", _TUX_LIC),
    _s(_TUX, "/amphibians/frog.ogg", "frog croak", "A frog croaks.", _TUX_LIC),
    _s(_TUX, "/cats/tiger.ogg", "tiger roar", "A tiger roars.", _TUX_LIC),
    _s(_TUX, "/cats/lion.ogg", "lion roar", "A lion roars.", _TUX_LIC),
    _s(_TUX, "/bears/bear.ogg", "bear growl", "A bear growls and roars.", _TUX_LIC),
    _s(_TUX, "/bovines/bison.ogg", "bison bellow", "A bison bellows with a deep roar.", _TUX_LIC),
    _s(_TUX, "/apes/gorilla.ogg", "gorilla roar", "A gorilla roars.", _TUX_LIC),
    _s(_TUX, "/apes/chimp.ogg", "chimpanzee call", "A chimpanzee hoots and shrieks.", _TUX_LIC),
    _s(_TUX, "/aquatic/whale.ogg", "whale call", "A whale calls with long, low, moaning sounds.", _TUX_LIC),
    _s(_TUX, "/aquatic/dolphin.ogg", "dolphin clicks", "A dolphin clicks and squeaks.", _TUX_LIC),
    _s(_TUX, "/equines/donkey.ogg", "donkey bray", "A donkey brays, hee-haw.", _TUX_LIC),
    _s(_TUX, "/mammals/elephant.ogg", "elephant trumpet", "An elephant trumpets.", _TUX_LIC),
    # household and things (Tux Paint stamps)
    _s(_TUX, "/household/toilet.ogg", "toilet flush", "A toilet flushes and the water gurgles away.", _TUX_LIC),
    _s(_TUX, "/household/vacuum_cleaner.ogg", "vacuum cleaner", "A vacuum cleaner whirs.", _TUX_LIC),
    _s(_TUX, "/dishes/bottle.ogg", "glass clink", "Glass bottles clink against each other.", _TUX_LIC),
    _s(_TUX, "/dishes/glass.ogg", "pouring water", "Water is poured into a glass.", _TUX_LIC),
    _s(_TUX, "/naturalforces/lightningbolt.ogg", "thunder", "A crack of thunder rumbles.", _TUX_LIC),
    _s(_TUX, "/emergency/firetruck.ogg", "siren", "A fire engine's siren wails.", _TUX_LIC),
    _s(_TUX, "/christmas/santahat.ogg", "jingle bells", "Small sleigh bells jingle.", _TUX_LIC),
    _s(_TUX, "/christmas/gift.ogg", "paper crinkle", "Wrapping paper crinkles and rustles.", _TUX_LIC),
    _s(_TUX, "/percussion/cymbal_crash.ogg", "cymbal crash", "A cymbal crashes and rings out.", _TUX_LIC),
    # doors, glass, water, fire (minetest-data)
    _s(_MT, "/doors_door_close.ogg", "door close", "A wooden door swings shut with a thud.", _MT_DOORS),
    _s(_MT, "/doors_door_open.ogg", "door open", "A wooden door is opened.", _MT_DOORS),
    _s(_MT, "/doors_glass_door_open.ogg", "door open", "A glass door is opened.", _MT_DOORS),
    _s(_MT, "/doors_steel_door_open.ogg", "door open", "A heavy metal door is opened.", _MT_DOORS),
    _s(_MT, "/doors_steel_door_close.ogg", "door close", "A heavy metal door is closed.", _MT_DOORS),
    _s(_MT, "/doors_fencegate_open.ogg", "gate open", "A gate creaks open.", _MT_DOORS),
    _s(_MT, "/default_break_glass.1.ogg", "glass breaking", "A pane of glass shatters.", _MT_LIC),
    _s(_MT, "/default_break_glass.2.ogg", "glass breaking", "Glass breaks with a bright tinkle.", _MT_LIC),
    _s(_MT, "/default_break_glass.3.ogg", "glass breaking", "Glass shatters into pieces.", _MT_LIC),
    _s(_MT, "/env_sounds_water.1.ogg", "stream", "A stream of water flows and trickles.", _MT_LIC),
    _s(_MT, "/env_sounds_water.2.ogg", "stream", "Water babbles and trickles over stones.", _MT_LIC),
    _s(_MT, "/fire_small.ogg", "fire crackle", "A small fire crackles and pops.", _MT_LIC),
    _s(_MT, "/fire_large.ogg", "fire roar", "A large fire roars, with whooshing flames.", _MT_LIC),
    _s(_MT, "/fire_extinguish_flame.1.ogg", "steam hiss", "A flame is put out with a sharp hiss of steam.", _MT_LIC),
    _s(
        _MT,
        "/fire_flint_and_steel.ogg",
        "flint strike",
        "Flint is struck against steel with a scraping click.",
        _MT_LIC,
    ),
    _s(_MT, "/tnt_explode.ogg", "explosion", "An explosion booms.", _MT_LIC),
    _s(_MT, "/default_water_footstep.2.ogg", "splashing", "Someone splashes through shallow water.", _MT_LIC),
    _s(_MT, "/carts_cart_moving.1.ogg", "cart rolling", "A cart rumbles along on rails.", _MT_LIC),
    _s(_MT, "/default_chest_close.ogg", "lid thud", "A wooden chest lid thuds shut.", _MT_LIC),
    # bells and phones (sound-theme-freedesktop; licences per file in its copyright)
    _s(
        _FD,
        "/stereo/phone-incoming-call.oga",
        "phone ringing",
        "A telephone rings.",
        "GPL-2.0-or-later (sound-theme-freedesktop)",
    ),
    _s(
        _FD,
        "/stereo/phone-outgoing-busy.oga",
        "busy signal",
        "A telephone busy signal beeps.",
        "GPL-2.0-or-later (sound-theme-freedesktop)",
    ),
    _s(
        _FD,
        "/stereo/phone-outgoing-calling.oga",
        "ringback tone",
        "A telephone ringback tone purrs while a call connects.",
        "GPL-2.0-or-later (sound-theme-freedesktop)",
    ),
    _s(
        _FD,
        "/stereo/alarm-clock-elapsed.oga",
        "alarm clock",
        "An alarm clock beeps.",
        "CC-BY-SA-3.0 (sound-theme-freedesktop)",
    ),
    _s(
        _FD,
        "/stereo/camera-shutter.oga",
        "camera shutter",
        "A camera shutter clicks.",
        "CC-BY-SA-3.0 (sound-theme-freedesktop)",
    ),
    _s(_FD, "/stereo/bell.oga", "bell", "A small bell dings once.", "CC-BY-3.0 (sound-theme-freedesktop)"),
    _s(
        _FD,
        "/stereo/complete.oga",
        "chime",
        "A short, bright notification chime.",
        "CC-BY-3.0 (sound-theme-freedesktop)",
    ),
    _s(
        _FD,
        "/stereo/trash-empty.oga",
        "paper crumple",
        "A sheet of paper is crumpled.",
        "CC-BY-3.0 (sound-theme-freedesktop)",
    ),
    # bells and birds (sonic-pi-samples, CC0 per file)
    _s(_SP, "/samples/perc_bell.flac", "bell", "A bell is struck and rings out.", _SP_LIC),
    _s(_SP, "/samples/perc_till.flac", "till bell", "A shop till bell dings.", _SP_LIC),
    _s(_SP, "/samples/misc_crow.flac", "crow caw", "A crow caws harshly.", _SP_LIC),
    _s(_SP, "/samples/drum_cowbell.flac", "cowbell", "A cowbell is struck.", _SP_LIC),
    # game sounds (hedgewars-data)
    _s(_HW, "/Sounds/explosion.ogg", "explosion", "A loud explosion booms.", _HW_LIC),
    _s(_HW, "/Sounds/whipcrack.ogg", "whip crack", "A whip cracks.", _HW_LIC),
    _s(_HW, "/Sounds/molotov.ogg", "glass breaking", "A glass bottle smashes.", _HW_LIC),
    _s(_HW, "/Sounds/shutterclick.ogg", "camera shutter", "A camera shutter clicks.", _HW_LIC),
    _s(
        _HW,
        "/Sounds/Droplet1.ogg",
        "water drip",
        "A single water droplet drips.",
        "CC-BY-SA-3.0 (hedgewars-data Droplet sounds)",
    ),
    _s(_HW, "/Sounds/steam.ogg", "steam hiss", "Steam hisses out.", _HW_LIC),
)

#: Recorded ambience beds (looped by the mixer when a clip is longer).
AMBIENCE_RECORDINGS: tuple[PackagedSound, ...] = (
    _s(_MT, "/env_sounds_water.3.ogg", "stream", "A steady stream of running water, recorded outdoors.", _MT_LIC),
    _s(_MT, "/env_sounds_water.4.ogg", "stream", "Water flowing steadily in a brook.", _MT_LIC),
    _s(_SP, "/samples/vinyl_hiss.flac", "vinyl crackle", "The soft hiss and crackle of a vinyl record.", _SP_LIC),
)

#: Hedgewars voice-pack files that are vocal bursts: file stem → (label, caption head, emotion).
BURST_KINDS: dict[str, tuple[str, str, str]] = {
    "Laugh": ("laugh", "An acted, cartoon-style laugh", "clearly amused"),
    "PoisonCough": ("cough", "An acted, cartoon-style fit of coughing", "unwell, mild discomfort"),
    "PoisonMoan": ("groan", "An acted, cartoon-style groan of discomfort", "moderate discomfort"),
    "Ow1": ("ow", 'A short cry of pain, "ow!", acted in a cartoon style', "sudden pain"),
    "Ow2": ("ow", 'A short cry of pain, "ow!", acted in a cartoon style', "sudden pain"),
    "Ow3": ("ow", 'A short cry of pain, "ow!", acted in a cartoon style', "sudden pain"),
    "Ow4": ("ow", 'A short cry of pain, "ow!", acted in a cartoon style', "sudden pain"),
    "Ooff1": ("oof", 'A winded grunt, "oof", acted in a cartoon style', "slight pain"),
    "Ooff2": ("oof", 'A winded grunt, "oof", acted in a cartoon style', "slight pain"),
    "Ooff3": ("oof", 'A winded grunt, "oof", acted in a cartoon style', "slight pain"),
    "Hmm": ("hmm", 'A thoughtful "hmm", acted in a cartoon style', "mildly pensive"),
}

#: Hedgewars voice packs: pack → how the character voice is described.
BURST_PACKS: dict[str, str] = {
    "British": "by a British-accented character voice",
    "Classic": "by the game's classic character voice",
    "Default": "by the game's default character voice",
    "Default_es": "by the Spanish voice pack's character",
    "Default_pl": "by the Polish voice pack's character",
    "Default_ru": "by the Russian voice pack's character",
    "Default_uk": "by the Ukrainian voice pack's character",
    "HillBilly": "by a hillbilly character voice",
    "Mobster": "by a gangster character voice",
    "Pirate": "by a pirate character voice",
    "Robot": "by a robot character voice, electronically processed",
    "Russian": "by a Russian-accented character voice",
    "Russian_pl": "by a Russian-accented character voice (Polish pack)",
    "Singer": "by a sing-song character voice",
    "Surfer": "by a surfer character voice",
}


def package_files(package: str) -> list[str] | SourceProblem:
    """Files a Debian package installed (``dpkg -L``), or a problem naming the fix."""
    fix = f"run scripts/install_sources.sh (or apt-get install -y {package})"
    try:
        proc = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True)
    except FileNotFoundError:
        return SourceProblem(package, "dpkg is not available, so packaged sources cannot be found", fix)
    if proc.returncode != 0:
        return SourceProblem(package, "package is not installed", fix)
    return [line for line in proc.stdout.splitlines() if line.startswith("/")]


_SHORT = {
    _TUX: "tuxpaint",
    _MT: "minetest",
    _FD: "freedesktop",
    _SP: "sonicpi",
    _HW: "hedgewars",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _file_key(path: str) -> str:
    st = Path(path).stat()
    return render_key(path, st.st_size, int(st.st_mtime))


def _files_by_package(packages: set[str], problems: list[SourceProblem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for package in sorted(packages):
        files = package_files(package)
        if isinstance(files, SourceProblem):
            problems.append(files)
        else:
            out[package] = files
    return out


def packaged_candidates(
    table: tuple[PackagedSound, ...], kind: str, problems: list[SourceProblem]
) -> Iterator[Candidate]:
    """Candidates for every table entry whose package is installed; others become problems."""
    files = _files_by_package({e.package for e in table}, problems)
    for entry in table:
        if entry.package not in files:
            continue
        matches = sorted(f for f in files[entry.package] if f.endswith(entry.suffix))
        if not matches:
            problems.append(SourceProblem(f"{entry.package}:{entry.suffix}", "file not found in the installed package"))
            continue
        path = matches[0]
        stem = Path(entry.suffix).name.rsplit(".", 1)[0]
        item = SourceItem(
            item_id=f"{kind}.{_SHORT.get(entry.package, _slug(entry.package))}.{_slug(stem)}",
            kind=kind,
            path="",
            package=entry.package,
            licence=entry.licence,
            caption=entry.caption,
            label=entry.label,
            origin=path,
            render_key=_file_key(path),
            human=None,
        )
        yield Candidate(item, decode_file(path), max_duration_s=30.0 if kind != "ambience" else None)


def burst_candidates(problems: list[SourceProblem]) -> Iterator[Candidate]:
    """Vocal bursts from the Hedgewars voice packs (one speaker per pack; duplicates dropped)."""
    files = _files_by_package({_HW}, problems)
    if _HW not in files:
        return
    seen: set[str] = set()
    voices = sorted(f for f in files[_HW] if "/Sounds/voices/" in f and f.endswith(".ogg"))
    for path in voices:
        pack, stem = Path(path).parent.name, Path(path).stem
        if stem not in BURST_KINDS or pack not in BURST_PACKS:
            continue
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        label, head, emotion = BURST_KINDS[stem]
        item = SourceItem(
            item_id=f"vocal_burst.hedgewars.{_slug(pack)}-{_slug(stem)}",
            kind="vocal_burst",
            path="",
            package=_HW,
            licence=_HW_LIC,
            speaker_id=f"hedgewars/{pack}",
            caption=f"{head}, {BURST_PACKS[pack]}.",
            label=label,
            origin=path,
            render_key=_file_key(path),
            human=True,
            emotion=emotion,
            facts={"acted": True, "voice_pack": pack},
        )
        yield Candidate(item, decode_file(path), max_duration_s=6.0)
    burp = [f for f in _files_by_package({_SP}, []).get(_SP, []) if f.endswith("/misc_burp.flac")]
    for path in burp:
        item = SourceItem(
            item_id="vocal_burst.sonicpi.misc-burp",
            kind="vocal_burst",
            path="",
            package=_SP,
            licence=_SP_LIC,
            speaker_id="sonic-pi/misc_burp",
            caption="A loud, drawn-out burp.",
            label="burp",
            origin=path,
            render_key=_file_key(path),
            human=True,
            facts={"acted": False},
        )
        yield Candidate(item, decode_file(path), max_duration_s=6.0)


_TUX_SPEECH = {"fr": "fr", "es": "es", "nl": "nl", "": "en"}
_TUX_DIGITS = {"de": ("de", "de"), "zh_tw": ("zh", "zh_TW")}


def _stamp_texts(txt_path: Path) -> dict[str, str]:
    try:
        lines = txt_path.read_text(encoding="utf-8", errors="strict").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    out: dict[str, str] = {}
    if lines and "=" not in lines[0]:
        out["en"] = lines[0].strip()
    for line in lines[1:]:
        key, _, value = line.partition("=")
        if key.endswith(".utf8") and value.strip():
            out[key[: -len(".utf8")]] = value.strip()
    return out


def tuxpaint_speech_candidates(
    problems: list[SourceProblem], per_language: int = 40, max_duration_s: float = 16.0
) -> Iterator[Candidate]:
    """Human read speech from Tux Paint: stamp descriptions (en fr es nl) and digits (de zh).

    The spoken text is the stamp's description in that language from its ``.txt`` file.
    Per language the ``per_language`` longest texts are kept. Readers are not named by
    the package, so each language's recordings share one speaker id.
    """
    files = _files_by_package({_TUX}, problems)
    if _TUX not in files:
        return
    found: dict[str, list[tuple[str, str, str, str]]] = {}
    for path in sorted(f for f in files[_TUX] if f.endswith(".ogg")):
        p = Path(path)
        m = re.fullmatch(r"(.+)_desc(?:_([a-z]{2}))?", p.stem)
        if m and (m.group(2) or "") in _TUX_SPEECH:
            lang = _TUX_SPEECH[m.group(2) or ""]
            text_key = lang
            stamp = m.group(1)
            reads = "a short description"
        else:
            d = re.fullmatch(r"(\d)_(de|zh_tw)", p.stem)
            if not (d and p.parent.name == "math"):
                continue
            lang, text_key = _TUX_DIGITS[d.group(2)]
            stamp = d.group(1)
            reads = "a number"
        text = _stamp_texts(p.parent / f"{stamp}.txt").get(text_key)
        if not text:
            continue
        if any(seen_stamp == stamp for _, seen_stamp, _, _ in found.get(lang, [])):
            continue  # the same stamp name in two folders would give one item id twice
        found.setdefault(lang, []).append((path, stamp, text.rstrip("|").strip(), reads))
    for lang in sorted(found):
        chosen = sorted(found[lang], key=lambda t: (-len(t[2]), t[0]))[:per_language]
        for path, stamp, text, reads in sorted(chosen):
            item = SourceItem(
                item_id=f"speech.tuxpaint.{lang}-{_slug(stamp)}",
                kind="speech",
                path="",
                package=_TUX,
                licence=_TUX_LIC,
                language=lang,
                speaker_id=f"tuxpaint/{lang}",
                text=text,
                caption=speech_caption(language=lang, human=True, engine="recording", reads=reads),
                label="read speech",
                origin=path,
                render_key=_file_key(path),
                human=True,
                facts={"reader": "not named by the package; one id per language"},
            )
            yield Candidate(item, decode_file(path), max_duration_s=max_duration_s)
