"""Reading clips: any format, rate and channel count; typed errors for bad files."""

from __future__ import annotations

import hashlib
import subprocess

import numpy as np
import pytest
import soundfile as sf

from uaap.models.audio import (
    AudioDecodeError,
    AudioError,
    EmptyAudioError,
    audio_from_array,
    load_audio,
    to_mono_16k,
)

from models_audio import need_tools, sox_sine


def _tone(seconds: float, rate: int, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_wav_16k_mono_is_read_unchanged_and_hashed_by_bytes(tmp_path):
    path = tmp_path / "a.wav"
    sf.write(str(path), _tone(1.0, 16000), 16000, subtype="FLOAT")
    audio = load_audio(path)
    assert audio.sample_rate == 16000 and audio.source_sample_rate == 16000 and audio.source_channels == 1
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert audio.duration_s == pytest.approx(1.0)
    assert audio.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    np.testing.assert_allclose(audio.samples, _tone(1.0, 16000), atol=1e-7)


def test_stereo_48k_is_averaged_to_mono_and_resampled_to_16k(tmp_path):
    left, right = _tone(2.0, 48000, 440.0), np.zeros(96000, dtype=np.float32)
    path = tmp_path / "s.wav"
    sf.write(str(path), np.stack([left, right], axis=1), 48000)
    audio = load_audio(path)
    assert audio.source_channels == 2 and audio.source_sample_rate == 48000
    assert len(audio.samples) == 32000
    # mono = (L + R) / 2: half the amplitude of the left channel
    assert np.max(np.abs(audio.samples[1000:-1000])) == pytest.approx(0.15, abs=0.01)


def test_odd_sample_rate_keeps_duration(tmp_path):
    path = tmp_path / "odd.wav"
    sf.write(str(path), _tone(1.5, 22050), 22050)
    assert load_audio(path).duration_s == pytest.approx(1.5, abs=1e-3)


@pytest.mark.parametrize("fmt", ["flac", "ogg", "mp3"])
def test_soundfile_formats_decode(tmp_path, fmt):
    path = tmp_path / f"a.{fmt}"
    subtype = {"flac": "PCM_16", "ogg": "VORBIS", "mp3": "MPEG_LAYER_III"}[fmt]
    try:
        sf.write(str(path), _tone(1.0, 44100), 44100, format=fmt.upper() if fmt != "mp3" else "MP3", subtype=subtype)
    except (sf.LibsndfileError, TypeError, ValueError) as exc:  # libsndfile built without it
        pytest.skip(f"soundfile cannot write {fmt}: {exc}")
    audio = load_audio(path)
    assert audio.duration_s == pytest.approx(1.0, abs=0.06)
    assert audio.peak > 0.2


@need_tools("ffmpeg", "sox")
def test_m4a_goes_through_ffmpeg(tmp_path):
    wav = sox_sine(tmp_path / "t.wav", seconds=1.0, rate=44100, channels=2)
    m4a = tmp_path / "t.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-c:a", "aac", str(m4a)], check=True)
    audio = load_audio(m4a)
    assert audio.source_channels == 2 and audio.source_sample_rate == 44100
    assert audio.duration_s == pytest.approx(1.0, abs=0.1)
    assert audio.peak > 0.1


def test_corrupt_file_raises_typed_error_naming_the_file(tmp_path):
    path = tmp_path / "broken.wav"
    path.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really audio" * 3)
    with pytest.raises(AudioDecodeError, match="broken.wav"):
        load_audio(path)


def test_random_bytes_with_mp3_name_raise_typed_error(tmp_path):
    path = tmp_path / "noise.mp3"
    path.write_bytes(np.random.default_rng(0).bytes(4000))
    with pytest.raises(AudioError):
        load_audio(path)


def test_empty_and_missing_files_raise_typed_errors(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(EmptyAudioError, match="0 bytes"):
        load_audio(empty)
    zero = tmp_path / "zero.wav"
    sf.write(str(zero), np.zeros(0, dtype=np.float32), 16000)
    with pytest.raises(EmptyAudioError, match="0 samples"):
        load_audio(zero)
    with pytest.raises(AudioDecodeError, match="cannot read"):
        load_audio(tmp_path / "missing.wav")


def test_silence_is_reported_silent(tmp_path):
    audio = audio_from_array(np.zeros(16000, dtype=np.float32), 16000)
    assert audio.is_silent()
    assert not audio_from_array(_tone(1.0, 16000), 16000).is_silent()


def test_array_input_is_hashed_by_content():
    a = audio_from_array(_tone(1.0, 16000), 16000)
    b = audio_from_array(_tone(1.0, 16000), 16000)
    c = audio_from_array(_tone(1.0, 16000, 330.0), 16000)
    assert a.sha256 == b.sha256 != c.sha256


def test_non_finite_samples_are_rejected():
    data = _tone(0.5, 16000)
    data[10] = np.nan
    with pytest.raises(AudioDecodeError, match="NaN"):
        audio_from_array(data, 16000)


def test_to_mono_16k_shapes():
    assert to_mono_16k(np.zeros((48000, 2)), 48000).shape == (16000,)
    assert to_mono_16k(np.zeros(8000), 8000).shape == (16000,)
