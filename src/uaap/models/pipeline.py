"""Annotate one clip with one system, without Prefect: the plain functions the flow mirrors.

The annotate flow runs the same three steps as tasks: :func:`run_expert` once per expert in
the system's order (each with the outputs of the experts it consumes), then
:func:`fuse_outputs`. :func:`annotate_clip` chains them for tests and scripts.
"""

from __future__ import annotations

import time
import traceback
from pathlib import Path
from typing import Any, Mapping

from uaap.records import Event, ExpertOutput

from uaap.models.audio import AudioInput, load_audio
from uaap.models.base import INSTALL_HINT, ExpertUnavailable
from uaap.models.fusion.rules import fuse
from uaap.models.registry import expert_class, get_expert
from uaap.models.system import SystemConfig, load_system

__all__ = ["annotate_clip", "run_expert", "fuse_outputs", "warm_up", "upstream_for"]


def warm_up(system: SystemConfig | str | Path | Mapping[str, Any]) -> dict[str, float]:
    """Load every expert of a system now (once per process); seconds spent per expert."""
    system = load_system(system)
    spent = {}
    for spec in system.experts:
        start = time.perf_counter()
        get_expert(spec.name, spec.params, load=True)
        spent[spec.name] = round(time.perf_counter() - start, 3)
    return spent


def upstream_for(
    system: SystemConfig, name: str, outputs: Mapping[str, ExpertOutput]
) -> dict[str, ExpertOutput | list[ExpertOutput]]:
    """kind → output(s) of the experts feeding ``name`` (only those already computed).

    A list for the kinds the expert takes from several experts (its ``multi_inputs``).
    """
    multi = expert_class(name).multi_inputs
    upstream: dict[str, ExpertOutput | list[ExpertOutput]] = {}
    for kind, sources in system.resolved_inputs(name).items():
        found = [outputs[src] for src in sources if src in outputs]
        if found:
            upstream[kind] = found if kind in multi else found[0]
    return upstream


def run_expert(
    audio: AudioInput | str | Path,
    system: SystemConfig | str | Path | Mapping[str, Any],
    name: str,
    upstream: Mapping[str, ExpertOutput | list[ExpertOutput]] | None = None,
    *,
    config_hash: str | None = None,
) -> ExpertOutput:
    """Run one expert of ``system`` on one clip.

    Args:
        audio: the decoded clip, or its path.
        system: the system (or its name / path) the expert belongs to.
        name: the expert's name in the system.
        upstream: kind → output(s) of the experts it consumes (see :func:`upstream_for`).
        config_hash: the expert's entry of ``system.expert_config_hashes()`` (computed if omitted).

    Returns:
        An :class:`ExpertOutput` with ``status`` ``ok``, ``error`` (the expert failed on this
        clip; ``error`` holds the message and a traceback excerpt) or ``skipped`` (an input it
        needs failed).

    Raises:
        ExpertUnavailable: the expert's package is not installed or its weights fail to load
            (every clip would fail alike).
        AudioError: ``audio`` is a path that cannot be decoded.
    """
    system = load_system(system)
    spec = system.spec(name)
    if not isinstance(audio, AudioInput):
        audio = load_audio(audio)
    expert = get_expert(spec.name, spec.params)
    version = expert.version
    config_hash = config_hash or system.expert_config_hashes()[name]
    upstream = dict(upstream or {})

    def output(payload: Mapping[str, Any], status: str = "ok", error: str | None = None, elapsed: float = 0.0):
        return ExpertOutput(audio.sha256, name, version, config_hash, dict(payload), round(elapsed, 4), status, error)

    as_lists = {kind: (list(v) if isinstance(v, (list, tuple)) else [v]) for kind, v in upstream.items()}
    good = {kind: [o for o in outs if o.status == "ok"] for kind, outs in as_lists.items()}
    needed_bad = [f"{o.expert} ({o.status})" for kind, outs in as_lists.items() if kind in expert.requires
                  for o in outs if o.status != "ok" and not good[kind]]
    missing = [kind for kind in expert.requires if kind not in upstream]
    if needed_bad or missing:
        reason = "; ".join([f"input {x} did not succeed" for x in needed_bad] + [f"no {k!r} input" for k in missing])
        return output({}, "skipped", f"{name} skipped on clip {audio.sha256[:12]}: {reason}")
    inputs: dict[str, Any] = {}
    for kind, outs in good.items():
        if outs:
            inputs[kind] = [o.payload for o in outs] if kind in expert.multi_inputs else outs[0].payload
    try:  # load outside the timer: elapsed_s is compute on this clip only
        expert.load()
    except ExpertUnavailable:
        raise
    except Exception as exc:  # unusable weights fail every clip alike: stop, do not record per clip
        raise ExpertUnavailable(name, name, INSTALL_HINT, f"loading failed: {type(exc).__name__}: {exc}") from exc
    start = time.perf_counter()
    try:
        payload = expert(audio, inputs)
    except ExpertUnavailable:
        raise
    except Exception as exc:  # one clip's failure must not end the run: record it
        excerpt = "".join(traceback.format_exception(exc, limit=-3)).strip()[-1500:]
        message = f"{name} failed on clip {audio.sha256[:12]} ({audio.path or 'array'}): {type(exc).__name__}: {exc}"
        return output({}, "error", f"{message}\n{excerpt}", time.perf_counter() - start)
    return output(payload, elapsed=time.perf_counter() - start)


def fuse_outputs(system: SystemConfig | str | Path | Mapping[str, Any], outputs: Mapping[str, ExpertOutput]) -> list[Event]:
    """The system's fusion over the outputs that succeeded."""
    system = load_system(system)
    payloads = {name: out.payload for name, out in outputs.items() if out.status == "ok"}
    return fuse(payloads, system.fusion.rules)


def annotate_clip(
    audio_path: str | Path, system_config: SystemConfig | str | Path | Mapping[str, Any]
) -> tuple[list[Event], dict[str, ExpertOutput]]:
    """Every expert of a system on one clip, then the fusion.

    Returns:
        (events, expert name → :class:`ExpertOutput`). A silent clip gives no events; an
        expert that fails on the clip gives an ``error`` output and fusion uses the rest.

    Raises:
        AudioError: the file is missing, corrupt or empty (``AudioDecodeError`` / ``EmptyAudioError``).
        ExpertUnavailable: an expert's package is not installed or its weights fail to load.
    """
    system = load_system(system_config)
    audio = load_audio(audio_path)
    hashes = system.expert_config_hashes()
    outputs: dict[str, ExpertOutput] = {}
    for spec in system.experts:
        outputs[spec.name] = run_expert(
            audio, system, spec.name, upstream_for(system, spec.name, outputs), config_hash=hashes[spec.name]
        )
    return fuse_outputs(system, outputs), outputs
