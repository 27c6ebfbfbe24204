"""The small fold the bundle verifier does itself: which entries a cadre's stored records give, as known
at an instant, in the shape of the growth file's timeline (成长纪实).

STANDALONE like the rest of this package (standard library only).  It reads records stored in plain
form — the event state as UTF-8 JSON, non-JSON values tagged ``{"_type_": name, "_data_": value}``
(Jishi's ``service/transcoder.py``).  Records encrypted at rest cannot be read here (no key is
given to a verifier): :func:`decode_states` then returns ``None`` and the bundle check says so.

What the fold gives, for each record of the cadre's stream recorded at or before the instant T
(its ``timestamp``), in version order:

    entry_id      uuid5(cadre id, str(version)) — Jishi's public id of an event
    type          the last part of the record's topic (``jishi.cadre.Appointed`` → ``Appointed``)
    position      the record's position in the store
    recorded_at   its ``timestamp``
    actor         who recorded it
    effective_on  its effective date, with the standing corrections (更正) recorded by T applied
    document_no   likewise
    retracted     whether a retraction (撤销记录) recorded by T voids it
    retracted_by  that retraction's entry_id

A correction of a correction corrects the same underlying entry; a retracted correction no longer
applies.  The growth file lists every such entry whose effective date is on or before its ``as_of``
(or has none).  What the fold does NOT restate: the derived sections (posts, ranks, assessments,
training hours, findings), which Jishi's own fold and rules compute (``domain/history.py``,
``domain/rules/``) — the verifier proves which records stand behind the file, not those rules.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

__all__ = ["TimelineEntry", "decode_states", "fold_timeline", "parse_instant"]

CORRECTED, RETRACTED = "EntryCorrected", "EntryRetracted"


@dataclass
class TimelineEntry:
    """One entry as the growth file's timeline shows it (the fields the verifier compares)."""

    entry_id: str
    type: str
    position: int
    recorded_at: datetime
    actor: str | None
    original: dict[str, Any]
    values: dict[str, Any]
    corrections: list[str] = field(default_factory=list)
    retracted_by: str | None = None

    @property
    def effective_on(self) -> str | None:
        value = self.values.get("effective_on")
        return value if isinstance(value, str) else None

    def compared(self) -> dict[str, Any]:
        """The fields checked against the growth file's item."""
        return {"type": self.type, "position": self.position, "recorded_at": self.recorded_at,
                "actor": self.actor, "effective_on": self.effective_on,
                "document_no": self.values.get("document_no"), "retracted": self.retracted_by is not None,
                "retracted_by": self.retracted_by}


def parse_instant(value: object) -> datetime | None:
    """An ISO 8601 instant ('Z' or an offset; naive = UTC) as an aware datetime, else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # noqa: UP017 — runs on Python 3.10 too
    return moment


def _plain(value: Any) -> Any:
    """A stored JSON value with its tags resolved to plain JSON (dates and instants as ISO strings)."""
    if isinstance(value, dict):
        if len(value) == 2 and "_type_" in value and "_data_" in value:
            kind, data = value["_type_"], value["_data_"]
            if kind == "uuid_hex":
                return str(uuid.UUID(str(data)))
            if kind == "tuple":
                return [_plain(v) for v in data]
            if kind == "date_iso":
                return date.fromisoformat(str(data)).isoformat()
            return data
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def decode_states(states: Sequence[bytes]) -> list[dict[str, Any]] | None:
    """Each state as plain JSON, or None when any is not a plain JSON object with a ``timestamp``
    (records encrypted at rest, or not Jishi's form)."""
    decoded = []
    for state in states:
        try:
            data = json.loads(state.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(data, dict) or "timestamp" not in data:
            return None
        decoded.append(_plain(data))
    return decoded


def fold_timeline(cadre_id: str, records: Sequence[Mapping[str, Any]], states: Sequence[Mapping[str, Any]],
                  known_at: datetime) -> dict[str, TimelineEntry]:
    """entry_id → the entry as known at ``known_at``, from the stream's records (in version order) and
    their decoded states; raises ValueError for a record the fold cannot read."""
    stream = uuid.UUID(cadre_id)
    entries: dict[str, TimelineEntry] = {}
    roots: dict[str, str] = {}  # correction entry id -> the entry it corrects (through chains)
    changes: dict[str, dict[str, Any]] = {}
    for record, state in zip(records, states, strict=True):
        recorded_at = parse_instant(state.get("timestamp"))
        if recorded_at is None:
            raise ValueError(f"record at position {record['position']} has no readable timestamp")
        if recorded_at > known_at:
            continue
        entry_id = str(uuid.uuid5(stream, str(record["originator_version"])))
        kind = str(record["topic"]).rsplit(".", 1)[-1]
        payload = {k: v for k, v in state.items() if k not in ("timestamp", "originator_topic")}
        actor = state.get("actor")
        entry = TimelineEntry(entry_id, kind, int(record["position"]), recorded_at,
                              actor if isinstance(actor, str) else None, payload, dict(payload))
        entries[entry_id] = entry
        target = state.get("target_entry_id")
        if kind == CORRECTED and isinstance(target, str) and target in entries:
            root = roots.get(target, target)
            roots[entry_id] = root
            changes[entry_id] = dict(state.get("changes") or {})
            entries[root].corrections.append(entry_id)
            _recompute(entries, changes, root)
        elif kind == RETRACTED and isinstance(target, str) and target in entries:
            entries[target].retracted_by = entry_id
            if target in roots:
                _recompute(entries, changes, roots[target])
        elif kind in (CORRECTED, RETRACTED):
            raise ValueError(f"record at position {record['position']} names an entry recorded after it")
    return entries


def _recompute(entries: dict[str, TimelineEntry], changes: dict[str, dict[str, Any]], root: str) -> None:
    entry = entries[root]
    if entry.retracted_by is not None:
        return  # a retracted entry keeps the values it had when it was retracted
    values = dict(entry.original)
    for correction in entry.corrections:
        if entries[correction].retracted_by is None:
            values.update(changes[correction])
    entry.values = values
