"""Expert adapters (one module each), their registry, systems, fusion and the per-clip pipeline.

Heavy model packages are imported only when an expert loads, so ``import uaap.models`` is cheap.
"""

from uaap.models.audio import AudioDecodeError, AudioError, AudioInput, EmptyAudioError, audio_from_array, load_audio
from uaap.models.base import Expert, ExpertError, ExpertParamsError, ExpertUnavailable
from uaap.models.fusion.rules import RulesConfig, fuse
from uaap.models.pipeline import annotate_clip, fuse_outputs, run_expert, upstream_for, warm_up
from uaap.models.registry import clear_cache, expert_class, expert_names, get_expert, register
from uaap.models.system import ExpertSpec, SystemConfig, SystemConfigError, list_systems, load_system

__all__ = [
    "AudioDecodeError",
    "AudioError",
    "AudioInput",
    "EmptyAudioError",
    "Expert",
    "ExpertError",
    "ExpertParamsError",
    "ExpertSpec",
    "ExpertUnavailable",
    "RulesConfig",
    "SystemConfig",
    "SystemConfigError",
    "annotate_clip",
    "audio_from_array",
    "clear_cache",
    "expert_class",
    "expert_names",
    "fuse",
    "fuse_outputs",
    "get_expert",
    "list_systems",
    "load_audio",
    "load_system",
    "register",
    "run_expert",
    "upstream_for",
    "warm_up",
]
