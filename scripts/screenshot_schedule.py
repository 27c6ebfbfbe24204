"""One cadre's steps in the screenshots' county, and who keys them in: each step recorded a few days
after it took effect, in effective-date order (scripts/screenshot_county.py builds the county)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from domain.errors import JishiError
from domain.recorded import Provenance
from service.commands import CorrectEntry, RegisterCadre, RetractEntry

if TYPE_CHECKING:
    from screenshot_county import Builder  # beside this module in scripts/

HR = Provenance("hr-li", "hr", "demo")
HR_CHIEF = Provenance("hr-chief", "hr", "demo", can_override=True)


class Planner:
    """One cadre's steps. ``schedule`` puts them in effective-date order, each recorded a few days after
    it took effect and never before the step before it (the same cadre's history is keyed in in order)."""

    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.no = ""
        self.pending: list[tuple[date, tuple[int, int], int, Callable[[], object]]] = []
        builder.planners.append(self)

    def _add(self, effective: date, action: Callable[[], object], *, lag: tuple[int, int] = (0, 21),
             minutes: int | None = None) -> None:
        self.pending.append((effective, lag, self.b.rng.randint(0, 420) if minutes is None else minutes, action))

    def schedule(self) -> None:
        last = date(2010, 1, 4)
        for effective, lag, minutes, action in sorted(self.pending, key=lambda p: p[0]):
            day = min(max(last, effective + timedelta(days=self.b.rng.randint(*lag))), self.b.today - timedelta(days=1))
            if effective > day:
                continue
            last = day
            self.b.add(day, minutes, action)

    def register(self, day: date, payload: dict[str, Any]) -> None:
        self.no = payload["cadre_no"]
        b = self.b

        def run() -> None:
            try:
                b.ids[payload["cadre_no"]] = b.app.handle(RegisterCadre(payload), HR).stream_id
            except JishiError:
                b.refused += 1

        self._add(day, run, lag=(2, 20))

    def entry(self, day: date, entry_type: str, *, as_user: Provenance = HR, key: str | None = None,
              **fields: Any) -> None:
        b, no = self.b, self.no

        def run() -> None:
            values = {k: str(b.ids[v]) if isinstance(v, str) and v in b.ids and k.endswith("_id") else v
                      for k, v in fields.items()}
            b.rec(no, entry_type, {"effective_on": day.isoformat(), **values}, as_user, key)

        self._add(day, run)

    def correct(self, day: date, key: str, changes: dict[str, Any], reason: str, document_no: str, *,
                as_user: Provenance = HR, override_reason: str | None = None) -> None:
        b, no = self.b, self.no
        payload: dict[str, Any] = {"changes": changes, "reason": reason, "document_no": document_no}
        if override_reason:  # stored only if a guard is in fact overridden
            payload["override_reason"] = override_reason
        self._add(day, lambda: b.app.handle(CorrectEntry(b.ids[no], b.ids[key], payload), as_user), lag=(0, 0),
                  minutes=300)

    def retract(self, day: date, key: str, reason: str) -> None:
        b, no = self.b, self.no
        self._add(day, lambda: b.app.handle(RetractEntry(b.ids[no], b.ids[key], {"reason": reason}), HR), lag=(0, 0),
                  minutes=300)

    def promote(self, day: date, unit: str, post: str) -> None:
        """提拔 after the whole 选任 procedure (``tests/factories.promoted``), recorded on the day."""
        from tests.factories import promoted

        b, no = self.b, self.no
        self._add(day, lambda: promoted(b.app, b.ids[no], unit, post, day), lag=(0, 0), minutes=200)
