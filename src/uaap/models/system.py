"""Systems: a YAML file in ``configs/systems/`` naming experts, their parameters and the fusion.

.. code-block:: yaml

    name: cpu-default
    description: what it is for
    experts:
      - name: vad/silero
        params: {threshold: 0.5}
      - name: asr/faster-whisper-base
        params: {beam_size: 1}
        inputs: {vad: vad/silero}     # optional: which earlier expert(s) feed each needed kind
    fusion:
      name: fusion/rules
      params: {speech_tagger_min_score: 0.3}

Experts run in the order listed. An expert that needs another kind's output (ASR needs a
``vad``) takes it from ``inputs`` or, by default, from the first earlier expert of that kind.
Errors name the file, the expert and the field, and say what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from uaap.records import canonical_json, sha256_text

from uaap.models.base import ExpertParamsError
from uaap.models.fusion.rules import NAME as RULES_NAME
from uaap.models.fusion.rules import VERSION as RULES_VERSION
from uaap.models.fusion.rules import FusionConfigError, RulesConfig
from uaap.models.registry import UnknownExpertError, expert_class

__all__ = ["ExpertSpec", "FusionSpec", "SystemConfig", "SystemConfigError", "load_system", "system_path",
           "list_systems"]


class SystemConfigError(ValueError):
    """A system YAML that cannot be used: names the file and the field."""


class ExpertSpec(BaseModel):
    """One expert of a system."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9_-]+(/[a-z0-9_.-]+)?$")
    params: dict[str, Any] = Field(default_factory=dict)
    inputs: dict[str, str | list[str]] = Field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.name.split("/", 1)[0]

    def input_names(self, kind: str) -> list[str]:
        value = self.inputs.get(kind, [])
        return [value] if isinstance(value, str) else list(value)


class FusionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = RULES_NAME
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _known_fusion(cls, value: str) -> str:
        if value != RULES_NAME:
            raise ValueError(f"unknown fusion {value!r}; available: {RULES_NAME}")
        return value

    @model_validator(mode="after")
    def _params_valid(self) -> "FusionSpec":
        try:
            RulesConfig.from_params(self.params)
        except FusionConfigError as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def rules(self) -> RulesConfig:
        return RulesConfig.from_params(self.params)

    @property
    def version(self) -> str:
        return f"{RULES_NAME}@{RULES_VERSION}"


class SystemConfig(BaseModel):
    """A whole system: experts in run order plus the fusion."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    experts: list[ExpertSpec] = Field(min_length=1)
    fusion: FusionSpec = Field(default_factory=FusionSpec)

    @model_validator(mode="after")
    def _experts_valid(self) -> "SystemConfig":
        seen: dict[str, ExpertSpec] = {}
        for index, spec in enumerate(self.experts):
            where = f"experts[{index}] ({spec.name})"
            if spec.name in seen:
                raise ValueError(f"{where}: listed twice; each expert may appear once")
            try:
                cls = expert_class(spec.name)
                cls(spec.params)  # validates parameter names and types; loads nothing
            except UnknownExpertError as exc:
                raise ValueError(f"{where}: {exc}") from None
            except ExpertParamsError as exc:
                raise ValueError(f"{where}: {exc}") from None
            for kind in spec.inputs:
                sources = spec.input_names(kind)
                if not sources:
                    raise ValueError(f"{where}: input {kind!r} names no expert")
                if len(sources) > 1 and kind not in cls.multi_inputs:
                    raise ValueError(
                        f"{where}: input {kind!r} takes one expert, found {sources}"
                        + (f"; several are allowed for {list(cls.multi_inputs)}" if cls.multi_inputs else "")
                    )
                for source in sources:
                    if source not in seen:
                        raise ValueError(f"{where}: input {kind!r} = {source!r} must name an expert listed before it")
                    if seen[source].kind != kind:
                        raise ValueError(f"{where}: input {kind!r} = {source!r} is a {seen[source].kind!r} expert")
            for kind in cls.requires:
                if kind not in spec.inputs and not any(s.kind == kind for s in seen.values()):
                    raise ValueError(
                        f"{where}: needs the output of a {kind!r} expert (e.g. vad/silero) listed before it"
                    )
            seen[spec.name] = spec
        return self

    # -- derived ---------------------------------------------------------------------------
    def spec(self, name: str) -> ExpertSpec:
        for spec in self.experts:
            if spec.name == name:
                return spec
        raise KeyError(f"system {self.name!r} has no expert {name!r}; it has {[s.name for s in self.experts]}")

    def resolved_inputs(self, name: str) -> dict[str, list[str]]:
        """kind → names of the experts feeding ``name``.

        Explicit ``inputs`` first; otherwise the first earlier expert of each kind it requires
        or accepts.
        """
        spec = self.spec(name)
        cls = expert_class(name)
        earlier = self.experts[: self.experts.index(spec)]
        resolved = {kind: spec.input_names(kind) for kind in spec.inputs}
        for kind in (*cls.requires, *cls.accepts):
            if kind not in resolved:
                match = next((s.name for s in earlier if s.kind == kind), None)
                if match is not None:
                    resolved[kind] = [match]
        return resolved

    @property
    def config_hash(self) -> str:
        """sha256 of the canonical JSON of the system (description excluded)."""
        body = self.model_dump(mode="json", exclude={"description"})
        return sha256_text(canonical_json(body))

    def expert_config_hashes(self) -> dict[str, str]:
        """Per expert: sha256 of its full params, its version and its inputs' hashes.

        An upstream change (VAD threshold, VAD weights) therefore changes the hash of every
        expert that consumed its output, and so their cache keys.
        """
        hashes: dict[str, str] = {}
        for spec in self.experts:
            expert = expert_class(spec.name)(spec.params)
            inputs = {kind: [hashes[src] for src in sources] for kind, sources in self.resolved_inputs(spec.name).items()}
            body = {"name": spec.name, "params": expert.params, "version": expert.version, "inputs": inputs}
            hashes[spec.name] = sha256_text(canonical_json(body))
        return hashes

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _problem(err: Mapping[str, Any]) -> str:
    where = ".".join(str(p) for p in err["loc"])
    message = str(err["msg"]).removeprefix("Value error, ")
    found = err.get("input")
    if err.get("type") in ("missing", "extra_forbidden") or where == "" or isinstance(found, (dict, list)):
        return f"{where}: {message}" if where else message
    return f"{where}: {message} (found {found!r})"


def list_systems(folder: Path | None = None) -> list[str]:
    """Names of the systems in ``configs/systems/``."""
    from uaap.home import configs_dir

    folder = folder or configs_dir() / "systems"
    return sorted(p.stem for p in folder.glob("*.yaml"))


def system_path(name_or_path: str | Path) -> Path:
    """A system file from a path or a name in ``configs/systems/``."""
    from uaap.home import configs_dir

    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    candidate = configs_dir() / "systems" / f"{name_or_path}.yaml"
    if not candidate.exists():
        raise SystemConfigError(
            f"no system {str(name_or_path)!r}: expected {candidate}; available: {', '.join(list_systems()) or 'none'}"
        )
    return candidate


def load_system(source: str | Path | Mapping[str, Any] | SystemConfig) -> SystemConfig:
    """A validated :class:`SystemConfig` from a name, a YAML path, a mapping, or itself.

    Raises:
        SystemConfigError: the file is missing, not YAML, or fails validation (the message
            names the file and every bad field).
    """
    if isinstance(source, SystemConfig):
        return source
    where = "<mapping>"
    if isinstance(source, Mapping):
        data: Any = dict(source)
    else:
        path = system_path(source)
        where = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SystemConfigError(f"cannot read system file {path}: {exc.strerror or exc}") from exc
        except yaml.YAMLError as exc:
            raise SystemConfigError(f"system file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, Mapping):
        raise SystemConfigError(f"system {where}: expected a mapping with name, experts, fusion; found {type(data).__name__}")
    try:
        return SystemConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise SystemConfigError(f"system {where} is invalid: {problems}") from None
