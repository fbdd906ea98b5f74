"""The nightly plan (``configs/nightly.yaml``): which benches, which systems, which scoring profile.

Read with pydantic at the edge; an invalid plan is one :class:`PlanError` that names the file,
the entry and the field, what was expected and what was found. Relative paths in the plan are
relative to the plan file.

>>> plan = parse_plan({"benches": [{"name": "b", "import": "bench"}],
...                    "systems": [{"name": "oracle", "builtin": "oracle"}]}, base_dir=Path("/p"))
>>> plan.benches[0].directory, plan.systems[0].kind, plan.profile
('/p/bench', 'builtin', 'soundscape-v1')
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from uaap.home import configs_dir

__all__ = ["PlanError", "BenchPlan", "SystemPlan", "NightlyPlan", "default_plan_path", "load_plan", "parse_plan"]


class PlanError(ValueError):
    """The nightly plan cannot be read or is not valid."""


# --- the YAML shapes (pydantic, strict: unknown keys are errors) -------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class _ImportBench(_Strict):
    name: str = Field(min_length=1)
    import_: str = Field(alias="import", min_length=1)


class _RecipeBench(_Strict):
    name: str = Field(min_length=1)
    recipe: str = Field(min_length=1)
    n: int = Field(gt=0)
    seed: int = 0


class _PredictionsSystem(_Strict):
    name: str = Field(min_length=1)
    predictions: str = Field(min_length=1)
    benches: list[str] | None = None


class _BuiltinSystem(_Strict):
    name: str = Field(min_length=1)
    builtin: Literal["oracle", "empty"]
    benches: list[str] | None = None


class _PipelineSystem(_Strict):
    name: str = Field(min_length=1)
    pipeline: Literal[True]
    benches: list[str] | None = None


class _Plan(_Strict):
    benches: list[dict[str, Any]] = Field(min_length=1)
    systems: list[dict[str, Any]] = Field(min_length=1)
    profile: str = "soundscape-v1"
    resamples: int = Field(default=1000, ge=10)
    seed: int = 0
    export: bool = True
    report: bool = True


# --- what the flow uses (frozen records) ------------------------------------------------------


@dataclass(frozen=True)
class BenchPlan:
    """A bench to ensure: imported from ``directory`` or built from ``recipe`` × ``n`` × ``seed``."""

    name: str
    kind: str                    # import | recipe
    directory: str | None = None
    recipe: str | None = None
    n: int = 0
    seed: int = 0


@dataclass(frozen=True)
class SystemPlan:
    """A system to score: imported predictions, a built-in, or the annotation pipeline."""

    name: str
    kind: str                    # predictions | builtin | pipeline
    directory: str | None = None
    builtin: str | None = None
    benches: tuple[str, ...] | None = None

    def runs_on(self, bench: str) -> bool:
        return self.benches is None or bench in self.benches


@dataclass(frozen=True)
class NightlyPlan:
    benches: tuple[BenchPlan, ...]
    systems: tuple[SystemPlan, ...]
    profile: str = "soundscape-v1"
    resamples: int = 1000
    seed: int = 0
    export: bool = True
    report: bool = True
    source: str | None = None

    def systems_for(self, bench: str) -> list[SystemPlan]:
        return [s for s in self.systems if s.runs_on(bench)]


_BENCH_KINDS = {"import": _ImportBench, "recipe": _RecipeBench}
_SYSTEM_KINDS = {"predictions": _PredictionsSystem, "builtin": _BuiltinSystem, "pipeline": _PipelineSystem}


def _describe(err: ValidationError, where: str, model: type[BaseModel]) -> str:
    """One line for the most useful error: a misspelt key first, then the rest."""
    errors = sorted(err.errors(), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    found = first.get("input")
    if first["type"] == "extra_forbidden":
        known = [f.alias or name for name, f in model.model_fields.items()]
        close = difflib.get_close_matches(str(first["loc"][-1]), known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(known)}"
        return f"{where}: unknown field '{loc}' (found {found!r}){hint}"
    if first["type"] == "missing":
        return f"{where}: field '{loc}' is missing"
    return f"{where}: field '{loc}' {first['msg'].lower()}, found {found!r}"


def _resolve(path: str, base_dir: Path) -> str:
    p = Path(path).expanduser()
    return str(p if p.is_absolute() else (base_dir / p).resolve())


def _one_kind(entry: Any, kinds: dict[str, type[_Strict]], where: str) -> tuple[str, _Strict]:
    if not isinstance(entry, dict):
        raise PlanError(f"{where}: expected a mapping such as {{name: ..., {next(iter(kinds))}: ...}}, found {entry!r}")
    present = [k for k in kinds if k in entry]
    label = f"{where} ('{entry.get('name', '?')}')"
    if len(present) != 1:
        found = ", ".join(present) if present else "none of them"
        raise PlanError(f"{label}: expected exactly one of {', '.join(kinds)}, found {found}")
    try:
        return present[0], kinds[present[0]].model_validate(entry)
    except ValidationError as exc:
        raise PlanError(_describe(exc, label, kinds[present[0]])) from None


def parse_plan(data: Any, *, base_dir: Path, source: str = "nightly plan") -> NightlyPlan:
    """Validate a plan mapping; paths resolve against ``base_dir``."""
    if not isinstance(data, dict):
        raise PlanError(f"{source}: expected a mapping with 'benches' and 'systems', found {type(data).__name__}")
    try:
        top = _Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(_describe(exc, source, _Plan)) from None
    benches, systems = [], []
    for i, entry in enumerate(top.benches):
        kind, b = _one_kind(entry, _BENCH_KINDS, f"{source}: benches[{i}]")
        if kind == "import":
            benches.append(BenchPlan(b.name, "import", directory=_resolve(b.import_, base_dir)))
        else:
            benches.append(BenchPlan(b.name, "recipe", recipe=b.recipe, n=b.n, seed=b.seed))
    for i, entry in enumerate(top.systems):
        kind, s = _one_kind(entry, _SYSTEM_KINDS, f"{source}: systems[{i}]")
        only = tuple(s.benches) if s.benches is not None else None
        if kind == "predictions":
            systems.append(SystemPlan(s.name, "predictions", directory=_resolve(s.predictions, base_dir), benches=only))
        elif kind == "builtin":
            if s.name != s.builtin:
                raise PlanError(f"{source}: systems[{i}] ('{s.name}'): a built-in system keeps its own name; "
                                f"expected name '{s.builtin}', found '{s.name}'")
            systems.append(SystemPlan(s.name, "builtin", builtin=s.builtin, benches=only))
        else:
            systems.append(SystemPlan(s.name, "pipeline", benches=only))
    for label, names in (("benches", [b.name for b in benches]), ("systems", [s.name for s in systems])):
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise PlanError(f"{source}: {label}: names must be unique, found {', '.join(dupes)} more than once")
    bench_names = {b.name for b in benches}
    for s in systems:
        unknown = sorted(set(s.benches or ()) - bench_names)
        if unknown:
            raise PlanError(f"{source}: system '{s.name}': field 'benches' names {', '.join(unknown)}, "
                            f"expected one of the plan's benches ({', '.join(sorted(bench_names))})")
    profile = top.profile
    if profile.endswith((".yaml", ".yml")):
        profile = _resolve(profile, base_dir)
    return NightlyPlan(tuple(benches), tuple(systems), profile, top.resamples, top.seed, top.export, top.report,
                       source=source)


def default_plan_path() -> Path:
    """``configs/nightly.yaml`` of the checkout (``$UAAP_CONFIGS`` overrides the folder)."""
    return configs_dir() / "nightly.yaml"


def load_plan(path: str | Path | None = None) -> NightlyPlan:
    """Read and validate a plan file (default :func:`default_plan_path`)."""
    file = Path(path) if path else default_plan_path()
    if not file.is_file():
        raise PlanError(f"nightly plan {file} does not exist; expected a YAML file like configs/nightly.yaml "
                        "(pass --plan PATH)")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PlanError(f"{file}: not valid YAML ({exc})") from None
    return parse_plan(data, base_dir=file.resolve().parent, source=str(file))
