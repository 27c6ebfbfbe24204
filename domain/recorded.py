"""The base of every Jishi event: provenance, effective date, overrides, stable topic.

Each concrete event gets the explicit topic ``jishi.<stream>.<EventName>`` when its class
is defined, so modules can move without breaking stored history. Provenance and the
effective date are keyword-only, so an entry type declares its own fields plainly.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from datetime import date
from functools import lru_cache
from hashlib import sha1
from typing import Annotated, Any, ClassVar
from uuid import UUID, SafeUUID

from eventsourcing.domain import AggregateEvent
from eventsourcing.utils import register_topic

from domain.bounds import NAME_LENGTH, REASON_LENGTH
from domain.schema import Text


@dataclass(frozen=True)
class Provenance:
    """Who is recording, in which role, for which request, with which permissions (override guards,
    record the working-day calendar) and jurisdiction.

    ``scopes`` (管辖范围) are the root unit codes of the caller's subtrees; None is the whole tree —
    a whole-tree user, the operator on the server (the CLI) or the demo generator. Only ``actor``,
    ``role`` and ``request_id`` are stored with an event.
    """

    actor: str
    role: str
    request_id: str
    can_override: bool = False
    can_publish_calendar: bool = False  # an hr user may record 节假日安排 (domain/calendar_year.py)
    scopes: frozenset[str] | None = None


class RecordedEvent(AggregateEvent):
    """An event as recorded by a person: what happened, when, who said so, on what grounds."""

    STREAM: ClassVar[str] = ""
    TOPIC: ClassVar[str]  # set for each concrete event class below
    LABEL: ClassVar[str] = ""  # Chinese name of the event (DOMAIN.md §3–§5)
    FIELD_OVERRIDES: ClassVar[dict[str, Any]] = {"effective_on": date}

    _: KW_ONLY
    effective_on: date | None = None
    actor: str = ""
    actor_role: str = ""  # the recorder's role (hr, admin …); `role` is an entry field
    request_id: str = ""
    document_no: Annotated[str, Text(NAME_LENGTH)] | None = None  # 文号
    reason: Annotated[str, Text(REASON_LENGTH)] | None = None
    overrides: tuple[str, ...] = ()  # rule ids a permitted user overrode
    override_reason: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.STREAM and "TOPIC" not in cls.__dict__:
            cls.TOPIC = f"jishi.{cls.STREAM}.{cls.__name__}"
            register_topic(cls.TOPIC, cls)

    @property
    def entry_id(self) -> UUID:
        return entry_id_of(self.originator_id, self.originator_version)


_CLEARED = ~((0xF000 << 64) | (0xC000 << 48))  # the version and variant bits uuid5 sets …
_VERSION_5 = (5 << 76) | (0x8000 << 48)  # … to version 5, the RFC 4122 variant
_new, _set, _UNKNOWN = object.__new__, object.__setattr__, SafeUUID.unknown


@lru_cache(maxsize=64)  # a rebuild applies a stream's events in a row
def _namespace_hash(stream_id: UUID) -> Any:
    """SHA-1 fed with the namespace's bytes: each of the stream's ids continues a copy of it."""
    return sha1(stream_id.bytes)


def _uuid5_int(stream_id: UUID, version: int) -> int:
    """``uuid5(stream_id, str(version)).int``: the first 16 bytes of the SHA-1 of the namespace's bytes and
    the name, version and variant set (without ``uuid5``'s import and byte checks: a rebuild computes
    one per event)."""
    digest = _namespace_hash(stream_id).copy()
    digest.update(b"%d" % version)
    return (int.from_bytes(digest.digest()[:16], "big") & _CLEARED) | _VERSION_5


@lru_cache(maxsize=8_192)  # asked for again and again while an event is projected (8,192: ≈ 2.6 MB; 65,536 held 21 MB)
def entry_id_of(stream_id: UUID, version: int) -> UUID:
    """The stable public id of an event: the same after every rebuild (``uuid5(stream_id, str(version))``),
    made as ``UUID(int=…)`` makes it without its argument checks (the value is 128 bits by construction)."""
    made = _new(UUID)
    _set(made, "int", _uuid5_int(stream_id, version))
    _set(made, "is_safe", _UNKNOWN)
    return made


@lru_cache(maxsize=8_192)  # a rebuild writes an id as text several times per event (audit, entry and span rows)
def id_text(value: UUID) -> str:
    """``str(value)``, remembered: the text of a stream's or an entry's id (≈ 1.1 µs to format, ≈ 0.3 µs to
    look up). Only for UUIDs: a cache keyed by ``==`` would take ``True`` for ``1``."""
    return str(value)


def provenance_fields(by: Provenance) -> dict[str, Any]:
    return {"actor": by.actor, "actor_role": by.role, "request_id": by.request_id}
