"""公民身份号码 is unique (DOMAIN.md §6.4 R-ID): one claim per number, held by one cadre.

A claim is an aggregate whose id is derived from the number (``ids.id_number_claim_id``, a
one-way hash, so the number itself is stored nowhere new). Registering a cadre saves the claim
with the registration in one transaction: two registrations racing with the same number both
try to create the claim's first event, and only one is stored. A correction that changes the
number releases the old claim and takes the new one; retracting a registration releases its
number for another cadre (the registration "should never have been recorded").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, AggregateCreated

from domain import ids
from domain.errors import ConflictError
from domain.recorded import Provenance, RecordedEvent, provenance_fields


class IdNumberClaim(Aggregate):
    TOPIC = "jishi.IdNumberClaim"

    class Event(Aggregate.Event):
        TOPIC = "jishi.IdNumberClaim.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.IdNumberClaim.Created"

    def __init__(self) -> None:
        self.holder: UUID | None = None  # the cadre holding the number; None: released


class _ClaimEvent(RecordedEvent):
    """Bookkeeping (``jishi.system.*``): the registration on the cadre's stream is the record."""

    STREAM: ClassVar[str] = "system"
    cadre_id: UUID


class IdNumberClaimed(_ClaimEvent, AggregateCreated):
    LABEL: ClassVar[str] = "身份号码登记"

    def apply(self, claim: IdNumberClaim) -> None:
        claim.holder = self.cadre_id


class IdNumberReclaimed(_ClaimEvent):
    LABEL: ClassVar[str] = "身份号码再登记"

    def apply(self, claim: IdNumberClaim) -> None:
        claim.holder = self.cadre_id


class IdNumberReleased(_ClaimEvent):
    LABEL: ClassVar[str] = "身份号码释放"

    def apply(self, claim: IdNumberClaim) -> None:
        claim.holder = None


Find = Callable[[type[IdNumberClaim], UUID], IdNumberClaim | None]


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().upper() == (b or "").strip().upper()


class IdNumberMove:
    """What a change to a registration does to the claims: checked on construction (409 when the
    new number is another cadre's), applied by ``commit`` once the guards have passed."""

    def __init__(self, find: Find, cadre_id: UUID, before: str | None, after: str | None, *,
                 key: bytes = b"") -> None:
        """``key``: the store's claim key (claims keyed by HMAC); a claim an earlier version made
        unkeyed in the same store still counts and is still released."""
        self.cadre_id = cadre_id
        self.release: IdNumberClaim | None = None
        self.take: IdNumberClaim | None = None
        self.take_id: UUID | None = None
        if _same(before, after):
            return
        if after:
            self.take_id = ids.id_number_claim_id(after, key)
            claim = find(IdNumberClaim, self.take_id)
            earlier = find(IdNumberClaim, ids.id_number_claim_id(after)) if key else None
            if any(c is not None and c.holder not in (None, cadre_id) for c in (claim, earlier)):
                raise ConflictError("公民身份号码已登记于另一干部 "
                                    "(id_number already registered for another cadre)")
            self.take = claim
        if before:
            for claim_id in dict.fromkeys((ids.id_number_claim_id(before, key), ids.id_number_claim_id(before))):
                claim = find(IdNumberClaim, claim_id)
                if claim is not None and claim.holder == cadre_id:
                    self.release = claim
                    break

    def commit(self, by: Provenance) -> list[Aggregate]:
        changed: list[Aggregate] = []
        fields = {"cadre_id": self.cadre_id, "effective_on": None, **provenance_fields(by)}
        if self.release is not None:
            self.release.trigger_event(IdNumberReleased, **fields)
            changed.append(self.release)
        if self.take_id is not None:
            if self.take is None:
                changed.append(IdNumberClaim._create(IdNumberClaimed, id=self.take_id, **fields))
            elif self.take.holder != self.cadre_id:
                self.take.trigger_event(IdNumberReclaimed, **fields)
                changed.append(self.take)
        return changed
