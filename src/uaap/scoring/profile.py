"""Scoring profiles: every choice the published recipe left open, as a named, hashed parameter."""

from __future__ import annotations

import dataclasses
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from uaap.records import EVENT_TYPES, TEXT_FIELDS, canonical_json

__all__ = [
    "ScoringProfile",
    "ProfileError",
    "DEFAULT_PROFILE",
    "PROFILE_NAMES",
    "load_profile",
]

#: Fields whose values are labels of an algorithm; the set lists the implemented ones.
_CHOICES: dict[str, frozenset[str]] = {
    "normalisation": frozenset({"nfkc-lower-nopunct"}),
    "matching": frozenset({"hungarian"}),
    "reward_partner": frozenset({"hungarian"}),
    "speaker_map": frozenset({"overlap_hungarian"}),
    "halluc_rule": frozenset({"iou0_all_same_type", "unmatched"}),
    "empty_key_clip": frozenset({"perfect_if_no_predictions", "zero"}),
    "f1_averaging": frozenset({"per_clip_mean"}),
    "reward_averaging": frozenset({"micro_events"}),
}

#: Not part of ``param_hash``: the name is its own part of the profile id, and the embedder
#: enters the id as its content-derived ``embedder_id`` (a path is not content).
_UNHASHED = frozenset({"name", "embedder"})


class ProfileError(ValueError):
    """A scoring profile that cannot be used: names the file, the key, what was expected and found."""


@dataclass(frozen=True)
class ScoringProfile:
    """The parameters of one scoring recipe; ``soundscape-v1`` is the default instance.

    See ``configs/profiles/soundscape-v1.yaml`` for one comment per parameter.
    """

    name: str = "soundscape-v1"
    # --- captions and cosine (rule 3) ---------------------------------------------------
    caption_fields: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("speech", ("emotion", "speaking_style")),
        ("vocal_burst", ("vocal_burst", "description", "emotion")),
        ("sound_event", ("description",)),
        ("music", ("description",)),
    )
    text_join: str = "; "
    empty_text_cos: float = 0.0
    cos_clip: tuple[float, float] = (0.0, 1.0)
    embedder: str | None = None
    embed_prompt: str | None = None
    # --- transcripts (rule 4) -----------------------------------------------------------
    normalisation: str = "nfkc-lower-nopunct"
    cjk_languages: tuple[str, ...] = (
        "zh", "zho", "chi", "cmn", "yue", "wuu", "nan", "hak", "ja", "jpn",
        "chinese", "mandarin", "cantonese", "japanese",
    )
    wer_clip: float | None = 1.0
    # --- meaning, matching, speakers (rules 5-7) ----------------------------------------
    speech_meaning_weights: tuple[float, float] = (0.5, 0.5)
    matching: str = "hungarian"
    match_tiebreak_iou_eps: float = 1e-9
    iou_zero_is_unmatched: bool = True
    reward_partner: str = "hungarian"
    speaker_map: str = "overlap_hungarian"
    speaker_map_types: tuple[str, ...] = ("speech",)
    speaker_map_fallback_types: tuple[str, ...] = ("vocal_burst",)
    speaker_map_min_overlap_s: float = 0.0
    speaker_types: tuple[str, ...] = ("speech", "vocal_burst")
    key_speaker_missing_ok: bool = True
    # --- clip and bench columns (rules 8-9) ---------------------------------------------
    empty_key_clip: str = "perfect_if_no_predictions"
    halluc_rule: str = "iou0_all_same_type"
    f1_averaging: str = "per_clip_mean"
    reward_averaging: str = "micro_events"

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ProfileError(
                    f"profile '{self.name}': parameter '{name}' expected one of "
                    f"{', '.join(sorted(allowed))}, found {value!r}"
                )
        types = [t for t, _ in self.caption_fields]
        if sorted(types) != sorted(EVENT_TYPES):
            raise ProfileError(
                f"profile '{self.name}': parameter 'caption_fields' expected one entry for each of "
                f"{', '.join(EVENT_TYPES)}, found {', '.join(types) or 'none'}"
            )
        for etype, fields in self.caption_fields:
            bad = [f for f in fields if f not in TEXT_FIELDS]
            if bad:
                raise ProfileError(
                    f"profile '{self.name}': caption_fields.{etype} expected UAAP text fields "
                    f"({', '.join(TEXT_FIELDS)}), found {', '.join(bad)}"
                )
        for name in ("speaker_map_types", "speaker_map_fallback_types", "speaker_types"):
            bad = [t for t in getattr(self, name) if t not in EVENT_TYPES]
            if bad:
                raise ProfileError(
                    f"profile '{self.name}': parameter '{name}' expected event types "
                    f"({', '.join(EVENT_TYPES)}), found {', '.join(bad)}"
                )
        lo, hi = self.cos_clip
        if not lo <= hi:
            raise ProfileError(
                f"profile '{self.name}': parameter 'cos_clip' expected low <= high, found {self.cos_clip}"
            )
        if self.wer_clip is not None and not self.wer_clip > 0:
            raise ProfileError(
                f"profile '{self.name}': parameter 'wer_clip' expected a number > 0 or null, found {self.wer_clip}"
            )
        if self.match_tiebreak_iou_eps < 0 or not math.isfinite(self.match_tiebreak_iou_eps):
            raise ProfileError(
                f"profile '{self.name}': parameter 'match_tiebreak_iou_eps' expected a small number >= 0, "
                f"found {self.match_tiebreak_iou_eps}"
            )

    # --- identity -----------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        """Every parameter as plain JSON values (the YAML form)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "caption_fields":
                value = {etype: list(fields) for etype, fields in value}
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @property
    def param_hash(self) -> str:
        """sha256 of the canonical JSON of every parameter except ``name`` and ``embedder``."""
        body = {k: v for k, v in self.params().items() if k not in _UNHASHED}
        return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()

    def profile_id(self, embedder_id: str) -> str:
        """``name:hash[:10]:embedder_id``, the id every score row carries."""
        return f"{self.name}:{self.param_hash[:10]}:{embedder_id}"

    def captions_by_type(self) -> dict[str, tuple[str, ...]]:
        return dict(self.caption_fields)


DEFAULT_PROFILE = ScoringProfile()
PROFILE_NAMES: tuple[str, ...] = (DEFAULT_PROFILE.name,)


# --- YAML overrides ------------------------------------------------------------------------
def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("a number")
    return float(value)


def _optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("a string")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("true or false")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TypeError("a list of strings")
    return tuple(value)


def _pair(value: Any) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise TypeError("a list of two numbers")
    return (_number(value[0]), _number(value[1]))


def _caption_fields(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise TypeError("a mapping of event type to a list of text fields")
    return tuple((str(etype), _strings(fields)) for etype, fields in value.items())


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "name": _string,
    "caption_fields": _caption_fields,
    "text_join": _string,
    "empty_text_cos": _number,
    "cos_clip": _pair,
    "embedder": _optional(_string),
    "embed_prompt": _optional(_string),
    "normalisation": _string,
    "cjk_languages": _strings,
    "wer_clip": _optional(_number),
    "speech_meaning_weights": _pair,
    "matching": _string,
    "match_tiebreak_iou_eps": _number,
    "iou_zero_is_unmatched": _boolean,
    "reward_partner": _string,
    "speaker_map": _string,
    "speaker_map_types": _strings,
    "speaker_map_fallback_types": _strings,
    "speaker_map_min_overlap_s": _number,
    "speaker_types": _strings,
    "key_speaker_missing_ok": _boolean,
    "empty_key_clip": _string,
    "halluc_rule": _string,
    "f1_averaging": _string,
    "reward_averaging": _string,
}


def _profile_from_mapping(data: Mapping[str, Any], source: str) -> ScoringProfile:
    known = [f.name for f in dataclasses.fields(ScoringProfile)]
    unknown = [k for k in data if k not in known]
    if unknown:
        raise ProfileError(
            f"{source}: unknown scoring parameter '{unknown[0]}'; expected one of {', '.join(known)} "
            "(see configs/profiles/soundscape-v1.yaml)"
        )
    values: dict[str, Any] = {}
    for key, raw in data.items():
        try:
            values[key] = _CONVERT[key](raw)
        except TypeError as exc:
            raise ProfileError(f"{source}: parameter '{key}' expected {exc}, found {raw!r}") from None
    try:
        return dataclasses.replace(DEFAULT_PROFILE, **values)
    except ProfileError as exc:
        raise ProfileError(f"{source}: {exc}") from None


def load_profile(name_or_path: str | Path | ScoringProfile = "soundscape-v1") -> ScoringProfile:
    """A built-in profile by name, or the defaults overridden by a YAML file.

    Args:
        name_or_path: ``"soundscape-v1"``, a path to a YAML file whose keys are parameters
            of :class:`ScoringProfile`, or a profile (returned as is).

    Returns:
        The frozen profile.

    >>> load_profile().name
    'soundscape-v1'
    """
    if isinstance(name_or_path, ScoringProfile):
        return name_or_path
    text = str(name_or_path)
    if text in PROFILE_NAMES:
        return DEFAULT_PROFILE
    path = Path(text)
    if path.suffix not in (".yaml", ".yml"):
        raise ProfileError(
            f"unknown scoring profile '{text}': expected one of {', '.join(PROFILE_NAMES)} "
            "or a path to a .yaml file of parameters"
        )
    if not path.is_file():
        raise ProfileError(f"{path}: scoring profile file not found; expected a YAML file of parameters")
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not readable as YAML ({exc})") from None
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ProfileError(f"{path}: expected a mapping of parameter: value, found {type(data).__name__}")
    return _profile_from_mapping(data, str(path))
