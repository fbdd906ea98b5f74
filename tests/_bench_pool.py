"""A tiny source pool made here with espeak-ng and sox, shared by the bench tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from uaap.bench import LocalSource, Pool, PoolBuild, PoolConfig, build_pool, load_pool

_CACHE: dict[str, tuple[PoolBuild, tuple[LocalSource, ...]]] = {}
_ROOT: dict[str, Path] = {}


def _sox(out: Path, *args: str) -> None:
    subprocess.run(["sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", str(out), *args], check=True)


def _espeak(out: Path, voice: str, text: str) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(out), text], check=True)


def make_local_sources(folder: Path) -> tuple[LocalSource, ...]:
    """Sound effects, a music bed and vocal bursts made with sox and espeak-ng, plus a corrupt file."""
    folder.mkdir(parents=True, exist_ok=True)
    _sox(folder / "beep.wav", "synth", "0.4", "sine", "880", "fade", "0.01", "0.4", "0.05")
    _sox(folder / "chirp.wav", "synth", "0.9", "sine", "500-2500", "fade", "0.02", "0.9", "0.1")
    _sox(
        folder / "knock.wav",
        "synth",
        "0.12",
        "brownnoise",
        "fade",
        "0",
        "0.12",
        "0.1",
        "pad",
        "0",
        "0.2",
        "repeat",
        "2",
    )
    _sox(
        folder / "chord.wav",
        "synth",
        "20",
        "sine",
        "262",
        "sine",
        "330",
        "sine",
        "392",
        "remix",
        "-",
        "tremolo",
        "2",
        "40",
    )
    _espeak(folder / "laugh.wav", "en+m3", "ha ha ha ha")
    _espeak(folder / "hmm.wav", "en+f2", "hmmm")
    (folder / "broken.ogg").write_bytes(b"OggS this is not audio at all" * 20)
    sfx = dict(kind="sound_event", package="sox", licence="generated in tests")
    return (
        LocalSource(str(folder / "beep.wav"), label="beep", caption="A short high beep.", **sfx),
        LocalSource(str(folder / "chirp.wav"), label="chirp", caption="A rising electronic chirp.", **sfx),
        LocalSource(str(folder / "knock.wav"), label="knock", caption="Three soft knocks.", **sfx),
        LocalSource(
            str(folder / "chord.wav"),
            kind="music",
            label="sine chord",
            package="sox",
            licence="generated in tests",
            caption="A C major chord of sine tones pulsing twice a second.",
        ),
        LocalSource(
            str(folder / "laugh.wav"),
            kind="vocal_burst",
            label="laugh",
            caption="A synthetic laugh.",
            package="espeak-ng",
            licence="generated in tests",
            speaker_id="espeak-ng/m3",
            emotion="amused",
        ),
        LocalSource(
            str(folder / "hmm.wav"),
            kind="vocal_burst",
            label="hmm",
            caption="A synthetic hum.",
            package="espeak-ng",
            licence="generated in tests",
            speaker_id="espeak-ng/f2",
        ),
        LocalSource(str(folder / "broken.ogg"), label="broken", caption="Not audio.", **sfx),
        LocalSource(str(folder / "missing.wav"), label="missing", caption="Not there.", **sfx),
    )


def tiny_pool_build(root: Path) -> tuple[PoolBuild, tuple[LocalSource, ...]]:
    """Build (once per session) the tiny pool under ``root``."""
    if "pool" not in _CACHE:
        if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
            pytest.skip("the bench tests need espeak-ng and sox (scripts/install_sources.sh)")
        local = make_local_sources(root / "local")
        build = build_pool(root / "pool", PoolConfig.offline_minimal(local=local))
        _CACHE["pool"] = (build, local)
    return _CACHE["pool"]


def shared_tiny_pool(tmp_path_factory: pytest.TempPathFactory) -> tuple[PoolBuild, Pool]:
    """The session's tiny pool: its build report and the loaded pool (built on first use)."""
    if "root" not in _ROOT:
        _ROOT["root"] = tmp_path_factory.mktemp("bench-pool")
    build, _ = tiny_pool_build(_ROOT["root"])
    return build, load_pool(build.manifest_path.parent)
