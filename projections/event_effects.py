"""What an event can change, so that applying it touches only that: the posts it moves, whether it
shapes a cadre's spans, the entry it adds, the entries whose standing values it changes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.cadre import Cadre

POST_MOVES = {"Appointed", "Dismissed", "Departed"}


def event_moves_posts(event: Any, before: Cadre | None) -> bool:
    """Whether the event can change who holds which post (directly or by correcting/retracting)."""
    if type(event).__name__ in POST_MOVES:
        return True
    target = getattr(event, "target_entry_id", None)
    if target is None or before is None:
        return False
    record = before.entries.get(before.root_of(target)) if target in before.entries else None
    return record is not None and record.type in POST_MOVES


# Entry types the span rows (posts, secondments, ranks, pools, mentors, the profile) are derived
# from: a new entry of another type leaves a cadre's spans as they were.
SPAN_TYPES = frozenset({"CadreRegistered", "Appointed", "Dismissed", "Departed", "RankPromoted", "RankDemoted",
                        "SecondmentStarted", "SecondmentEnded", "PoolEntered", "PoolReviewed", "PoolExited",
                        "MentorAssigned", "MentorReleased"})


def appended_entry(event: Any) -> UUID | None:
    """The entry a cadre event adds, when adding it is all the event does (not a correction or
    retraction, which change an entry already on the record)."""
    if getattr(event, "target_entry_id", None) is not None:
        return None
    entry_id: UUID | None = getattr(event, "entry_id", None)
    return entry_id


def affected_entries(event: Any, before: Cadre | None) -> set[UUID]:
    """Entries whose standing values this event can change."""
    affected = {event.entry_id}
    target = getattr(event, "target_entry_id", None)
    if target is not None:
        affected.add(target)
        if before is not None:
            affected.add(before.root_of(target))
    return affected
