"""Pure scoring of UAAP predictions against answer keys (profile ``soundscape-v1``)."""

from uaap.scoring.aggregate import LEADERBOARD_COLUMNS, bench_totals, leaderboard_row
from uaap.scoring.captions import caption_text
from uaap.scoring.clip import ScoringError, Similarity, clip_prf, is_scorable, score_clip
from uaap.scoring.cosine import CosineTable, MissingEmbeddingError, text_key, texts_needing_embedding
from uaap.scoring.embed import PACKAGED_MODEL, Embedder, EmbedderError, folder_fingerprint
from uaap.scoring.iou import iou, iou_matrix
from uaap.scoring.matching import indices_by_type, match_pairs
from uaap.scoring.profile import DEFAULT_PROFILE, PROFILE_NAMES, ProfileError, ScoringProfile, load_profile
from uaap.scoring.speakers import overlap_seconds, speaker_map
from uaap.scoring.text import CJK_LANGUAGES, is_cjk, normalise, word_acc, word_errors

__all__ = [
    # profile
    "ScoringProfile",
    "ProfileError",
    "DEFAULT_PROFILE",
    "PROFILE_NAMES",
    "load_profile",
    # measures
    "iou",
    "iou_matrix",
    "normalise",
    "is_cjk",
    "word_errors",
    "word_acc",
    "CJK_LANGUAGES",
    "caption_text",
    # embeddings and cosines
    "Embedder",
    "EmbedderError",
    "PACKAGED_MODEL",
    "folder_fingerprint",
    "CosineTable",
    "MissingEmbeddingError",
    "text_key",
    "texts_needing_embedding",
    # matching and scoring
    "speaker_map",
    "overlap_seconds",
    "indices_by_type",
    "match_pairs",
    "Similarity",
    "ScoringError",
    "is_scorable",
    "clip_prf",
    "score_clip",
    # aggregation
    "bench_totals",
    "leaderboard_row",
    "LEADERBOARD_COLUMNS",
]
