"""The aggregates a change to a cadre's entry keeps in step, saved in the same transaction as the
cadre: the claim on the 公民身份号码 (a registration, ``domain.id_claims``) and the 优秀 tally of an
assessment round (an 年度 assessment, ``domain.assessment_round``).

Built before the guards run (a 409 for a number another cadre holds comes first, and the round's
count is what R-EXCELLENT-QUOTA judges); ``commit`` triggers their events only once the guards
have passed, so a refused command changes no aggregate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.assessment_round import QUOTA_GRADE, QUOTA_KIND, QuotaPlan, RoundBook
from domain.cadre import Cadre, EntryRecord
from domain.history import derive
from domain.id_claims import IdNumberMove
from domain.post import UnitPosts
from domain.recorded import Provenance
from domain.rules.assessment import quota_level
from domain.rules.config import RuleConfig

Values = Mapping[str, Any] | None


class Companions:
    """One command's companion changes (never shared between commands)."""

    def __init__(self, find: Callable[..., Any], directory: Callable[[str], tuple[UnitPosts, bool]],
                 config: RuleConfig, cadre: Cadre, root_type: str, entry_id: UUID, before: Values,
                 after: Values, after_entries: list[EntryRecord], *, claim_key: bytes = b"") -> None:
        self.ids: IdNumberMove | None = None
        self.quota: QuotaPlan | None = None
        if root_type == "CadreRegistered":
            self.ids = IdNumberMove(find, cadre.id, _text(before, "id_number"), _text(after, "id_number"),
                                    key=claim_key)
        elif root_type == "Assessed" and any(_counts(v) for v in (before, after)):
            plan_before = (before, derive(cadre.standing_entries())) if before is not None else None
            plan_after = (after, derive(after_entries)) if after is not None else None
            self.quota = QuotaPlan(RoundBook(find, directory), cadre.id, entry_id, plan_before, plan_after,
                                   lambda c: quota_level(c.excellent, c.participants, config) != "within")

    @property
    def world(self) -> dict[str, Any]:
        """What the guards see of the companions (R-EXCELLENT-QUOTA's count)."""
        return self.quota.world if self.quota is not None else {}

    def commit(self, by: Provenance) -> list[Aggregate]:
        changed: list[Aggregate] = []
        if self.ids is not None:
            changed += self.ids.commit(by)
        if self.quota is not None:
            changed += self.quota.commit(by)
        return changed


def _counts(values: Values) -> bool:
    return values is not None and (values.get("kind"), values.get("grade")) == (QUOTA_KIND, QUOTA_GRADE)


def _text(values: Values, name: str) -> str | None:
    value = values.get(name) if values is not None else None
    return value if isinstance(value, str) else None
