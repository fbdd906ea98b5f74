"""Prefect tasks of the annotate flow: one cached task per (clip, expert), then fusion."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from uaap.records import Event, ExpertOutput

__all__ = ["expert_cache_key", "run_expert_task", "fuse_clip_task", "decoded_audio", "ExpertFailed"]

_AUDIO: "OrderedDict[str, Any]" = OrderedDict()
_AUDIO_LOCK = threading.Lock()


class ExpertFailed(RuntimeError):
    """An expert failed on one clip; raised so Prefect retries it (a flaky expert), then recorded."""


def decoded_audio(audio_path: str, audio_sha256: str):
    """The clip decoded to 16 kHz mono, shared by all experts of a clip (a small LRU per process).

    The file must still be the one the bench imported: its sha256 is part of every cache key.
    """
    import os

    from uaap.models.audio import AudioError, load_audio

    stat = os.stat(audio_path)
    key = f"{audio_path}|{stat.st_size}|{stat.st_mtime_ns}"
    with _AUDIO_LOCK:
        if key in _AUDIO:
            _AUDIO.move_to_end(key)
            return _AUDIO[key]
    audio = load_audio(audio_path)
    if audio.sha256 != audio_sha256:
        raise AudioError(f"{audio_path} changed since the bench was imported (sha256 {audio.sha256[:12]}, "
                         f"expected {audio_sha256[:12]}); import the bench again")
    with _AUDIO_LOCK:
        _AUDIO[key] = audio
        while len(_AUDIO) > 4:
            _AUDIO.popitem(last=False)
    return audio


def expert_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    """Content, never paths: audio sha256 + expert + its config hash (version and upstream included)."""
    return f"expert-{parameters['audio_sha256'][:32]}-{parameters['expert'].replace('/', '_')}-{parameters['config_hash'][:24]}"


def _retry_flaky(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except ExpertFailed:
        return True
    except Exception:  # noqa: BLE001 - decoding errors and missing packages fail fast
        return False
    return False


def _as_output(value: Any, kind: str) -> Any:
    """An upstream that failed arrives as its exception (``allow_failure``): make it an error output."""
    if isinstance(value, list):
        return [_as_output(v, kind) for v in value]
    if isinstance(value, ExpertOutput):
        return value
    return ExpertOutput("", f"{kind} input", "", "", {}, 0.0, "error", f"upstream {kind} expert failed: {value}")


@task(
    cache_key_fn=expert_cache_key,
    persist_result=True,
    retries=1,
    retry_delay_seconds=1,
    retry_condition_fn=_retry_flaky,
    task_run_name="{expert}-{clip_id}",
)
def run_expert_task(
    clip_id: str,
    audio_path: str,
    audio_sha256: str,
    system_name: str,
    expert: str,
    config_hash: str,
    upstream: dict[str, ExpertOutput],
) -> ExpertOutput:
    """Run one expert of the system on one clip (retried once when the expert itself fails)."""
    from uaap.models.pipeline import run_expert
    from uaap.models.system import load_system

    out = run_expert(decoded_audio(audio_path, audio_sha256), load_system(system_name), expert,
                     {kind: _as_output(v, kind) for kind, v in upstream.items()}, config_hash=config_hash)
    if out.status == "error":
        raise ExpertFailed(out.error or f"{expert} failed on {clip_id}")
    return out


@task(cache_policy=NO_CACHE, task_run_name="fuse-{clip_id}")
def fuse_clip_task(clip_id: str, system_name: str, outputs: dict[str, ExpertOutput]) -> list[Event]:
    """Turn one clip's expert outputs into UAAP events with the system's fusion rules."""
    from uaap.models.pipeline import fuse_outputs
    from uaap.models.system import load_system

    return fuse_outputs(load_system(system_name), outputs)
