"""所载变化 (belief diff, API.md v1.1): a roster or a growth file for one day as known at T1 against as
known at T2, each difference with the entries recorded in (T1, T2] that caused it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import Field

from api.auth import masked_for
from api.deps import AsOf, ReadModelsDep, RequestId, RequireReader, RuntimeDep, ScopeDep, known_instant
from api.schemas.common import Open
from api.schemas.types import Instant
from domain.errors import FieldError, ValidationError
from service.users import record_read

router = APIRouter(prefix="/api/v1", tags=["belief diff 所载变化"])
UnitCode = Annotated[str, Path(min_length=1, max_length=32, description="单位代码 (unit code)")]
CadreId = Annotated[UUID, Path(description="干部 id (uuid5 of cadre_no)")]
Since = Annotated[Instant, Query(description="T1: 记录在此时刻所示 (what the record said at this instant, ISO 8601; "
                                             "naive = UTC)")]
Vs = Annotated[Instant | None, Query(description="T2: 与此时刻所载比较 (compared with the record at this later "
                                                 "instant; default now)")]


class Cause(Open):
    """An entry recorded in (T1, T2] that caused a difference."""

    entry_id: UUID
    type: str
    recorded_at: datetime
    actor: str
    document_no: str | None = None
    reason: str | None = None


class Change(Open):
    """One difference: ``before`` (at T1) and ``after`` (at T2) of the item or of its changed fields."""

    kind: str
    section: str
    key: str
    post_code: str | None = None
    cadre_id: UUID | None = None
    entry_id: UUID | None = None
    label: str = Field("", description="what names the item to people: a name, a post's title, an entry's type")
    before: Any = None
    after: Any = None
    causes: list[Cause] = Field(default_factory=list)


class BeliefDiff(Open):
    as_of: date
    known_at: datetime
    vs: datetime
    changes: list[Change]


def _moments(known_at: datetime, vs: datetime | None) -> tuple[datetime, datetime]:
    t1 = known_instant(known_at)
    t2 = known_instant(vs) or datetime.now(UTC)
    assert t1 is not None
    if t1 > t2:
        raise ValidationError([FieldError("vs", "须不早于 known_at (must not be before known_at: the diff runs "
                                                "from the earlier record to the later)")])
    return t1, t2


@router.get("/units/{unit_code}/roster/diff", response_model=BeliefDiff)
def roster_diff(unit_code: UnitCode, user: RequireReader, reads: ReadModelsDep, runtime: RuntimeDep,
                scope: ScopeDep, known_at: Since, as_of: AsOf = None, vs: Vs = None) -> dict[str, Any]:
    """名册所载变化: every difference between the unit's roster on `as_of` as known at `known_at` and as
    known at `vs` (a holder added or gone, a post's establishment changed …), each with its causes."""
    t1, t2 = _moments(known_at, vs)
    result: dict[str, Any] = reads.roster_diff(unit_code, as_of or runtime.app.today(), t1, t2, scope=scope)
    return result


@router.get("/cadres/{cadre_id}/growth-file/diff", response_model=BeliefDiff)
def growth_file_diff(cadre_id: CadreId, user: RequireReader, reads: ReadModelsDep, runtime: RuntimeDep,
                     rid: RequestId, scope: ScopeDep, known_at: Since, as_of: AsOf = None,
                     vs: Vs = None) -> dict[str, Any]:
    """档案所载变化: every difference between the cadre's growth file on `as_of` as known at `known_at` and
    as known at `vs` (an entry standing or retracted, a field's value changed …), each with its causes.
    It is a growth-file read: recorded (查阅留痕) and masked as the plain read is."""
    t1, t2 = _moments(known_at, vs)
    found = reads.growth_file_diff(cadre_id, as_of or runtime.app.today(), t1, t2, scope=scope,
                                   mask=lambda read: masked_for(user, read))
    record_read(runtime.app, cadre_id, user.provenance(rid))
    result: dict[str, Any] = masked_for(user, found)
    return result
