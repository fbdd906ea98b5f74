"""The text embedded for each event type (DESIGN rule 3)."""

from __future__ import annotations

import functools

from uaap.records import Event
from uaap.scoring.profile import DEFAULT_PROFILE, ScoringProfile

__all__ = ["caption_text"]


def caption_text(event: Event, profile: ScoringProfile = DEFAULT_PROFILE) -> str:
    """The joined non-empty caption fields of an event's type; ``""`` when there are none.

    Each part is stripped; the same rule applies to answer-key and predicted events.

    >>> caption_text(Event("vocal_burst", 0, 1, vocal_burst="laugh", emotion=" amused "))
    'laugh; amused'
    >>> caption_text(Event("speech", 0, 1, emotion="", speaking_style="whispered"))
    'whispered'
    >>> caption_text(Event("music", 0, 1))
    ''
    """
    fields = _fields(profile).get(event.type, ())
    parts = []
    for name in fields:
        value = getattr(event, name)
        if value is not None:
            value = str(value).strip()
            if value:
                parts.append(value)
    return profile.text_join.join(parts)


@functools.lru_cache(maxsize=16)
def _fields_of(caption_fields: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, ...]]:
    return dict(caption_fields)


def _fields(profile: ScoringProfile) -> dict[str, tuple[str, ...]]:
    return _fields_of(profile.caption_fields)
