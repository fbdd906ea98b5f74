"""The SNR ladder (after SSEU-Bench): one base clip re-mixed at fixed speech-to-background ratios.

Each base clip (planned with :meth:`RecipeParams.snr`: always a music or ambience bed)
is rendered at +10, +5, 0, -5 and -10 dB speech-to-background, plus speech only and
background only. Speech stays at its recipe level; the background layers (bed and
foreground effects) are scaled together. A variant that would clip is scaled down as a
whole, so its SNR stays exact. Every variant has its own key.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from uaap.bench.levels import active_extent
from uaap.bench.mixer import RenderedClip, measure_snr_db, mix_events, place_events
from uaap.bench.pool import Pool
from uaap.bench.recipe import BACKGROUND_ROLES, ClipPlan, PlanError, RecipeParams, plan_clip

__all__ = ["SNR_LADDER_DB", "variant_id", "plan_snr_base", "render_snr_ladder"]

#: Speech-to-background ratios of the ladder, in dB.
SNR_LADDER_DB: tuple[float, ...] = (10.0, 5.0, 0.0, -5.0, -10.0)


def variant_id(base_clip_id: str, variant: str) -> str:
    """Clip id of a ladder variant.

    >>> variant_id("clip-00003", "snr-5"), variant_id("clip-00003", "speech-only")
    ('clip-00003-snr-05', 'clip-00003-speech-only')
    """
    if variant.startswith("snr"):
        value = float(variant[3:])
        return f"{base_clip_id}-snr{'+' if value >= 0 else '-'}{abs(value):02.0f}"
    return f"{base_clip_id}-{variant}"


def plan_snr_base(seed: int, index: int, pool: Pool, params: RecipeParams | None = None) -> ClipPlan:
    """Plan base clip ``index`` of an SNR bench (default params: :meth:`RecipeParams.snr`)."""
    return plan_clip(params or RecipeParams.snr(), seed, index, pool)


def render_snr_ladder(plan: ClipPlan, pool: Pool, snrs_db: Sequence[float] = SNR_LADDER_DB) -> tuple[RenderedClip, ...]:
    """Render every ladder variant of a base plan: one per SNR, then speech-only, background-only.

    Raises:
        PlanError: the plan has no speech or no background to scale.
        SourceError: a planned source is missing or unreadable.
    """
    placed = place_events(plan, pool)
    n = plan.n_samples
    stems: dict[str, np.ndarray] = {}
    spans: list[tuple[int, int]] = []
    for pe in placed:
        role = pe.placement.role
        stems.setdefault(role, np.zeros(n, dtype=np.float32))[pe.placement.start : pe.placement.end] += pe.audio
        if role == "speech":
            extent = active_extent(pe.audio, plan.sample_rate)
            if extent is not None:
                spans.append((pe.placement.start + extent[0], pe.placement.start + extent[1]))
    base_snr = measure_snr_db(stems, spans)
    if base_snr is None:
        raise PlanError(
            f"{plan.clip_id}: the SNR ladder needs speech and a background under it, found "
            f"background {plan.background!r}; plan it with RecipeParams.snr()"
        )
    out: list[RenderedClip] = []
    for target in snrs_db:
        gain = float(10 ** ((base_snr - target) / 20))
        name = f"snr{target:+g}"
        out.append(
            mix_events(
                plan,
                placed,
                clip_id=variant_id(plan.clip_id, name),
                role_gain={role: gain for role in BACKGROUND_ROLES},
                peak_mode="scale",
                variant=name,
                extra_meta={"snr_target_db": float(target), "background_gain_db": round(20 * np.log10(gain), 2)},
            )
        )
    out.append(
        mix_events(
            plan,
            placed,
            clip_id=variant_id(plan.clip_id, "speech-only"),
            drop_roles=BACKGROUND_ROLES,
            peak_mode="scale",
            variant="speech-only",
            extra_meta={"snr_target_db": None},
        )
    )
    out.append(
        mix_events(
            plan,
            placed,
            clip_id=variant_id(plan.clip_id, "background-only"),
            drop_roles=("speech", "vocal_burst"),
            peak_mode="scale",
            variant="background-only",
            extra_meta={"snr_target_db": None},
        )
    )
    return tuple(out)
