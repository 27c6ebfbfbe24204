"""管辖范围 on writes: a scoped user writes only within their subtrees; anything else answers 404.

``Jishi.handle`` runs ``check`` before the command's handler — before the expected version and before
any validation that reads the target — for every entry point alike (routes, pages, import). The
checks read the scope model of the read models (``ScopeView``, caught up to the store's head first)
and treat "out of scope" and "does not exist" alike, so a refusal never tells whether the thing
exists. A caller with scope None (the whole tree: a whole-tree user, the CLI operator on the server,
the demo generator) passes untouched.

* units: registering needs the parent in scope (a top-level unit needs a whole-tree user);
  renaming, dissolving, posts and establishment need the unit in scope;
* a cadre's entry needs the cadre in scope on its effective date; ``Appointed`` and ``Dismissed``
  also need the target unit in scope, and so does each post an appointment ends (``ends_posts``,
  任…免…: as a 免职 from it would, also to correct or retract that appointment). An appointment may
  also move a cadre whose latest post begun by that date was in scope (a transfer 调动 recorded by
  the department that holds the cadre — for a move between two counties, their common parent), or
  bring in a recruit of the caller's own (新录用: never placed anywhere, registered by a user whose
  scope lies within the caller's — ``CadreRegistered.registrant_scope``; a whole-tree registrant's
  recruit is whole-tree users' alone; anyone else's recruit answers as absent); a departure (离职) may
  likewise be recorded by the department that last held the cadre. A referenced mentor or
  selection case must be in scope too;
* a correction or retraction needs the entry it changes in scope on its date (an appointment or
  dismissal: its unit; any other entry: the cadre in scope that day — the day before, for an entry
  that ends a career or secondment); new values must be in scope as well; the registration
  (profile) may be corrected by whoever has the cadre in scope today (an unplaced recruit: its
  registrant's scope). An entry the caller may not see answers exactly as one that does not exist;
  one they may see (an earlier period of a cadre once in scope) is refused saying why;
* no write may stretch the user's reach over another jurisdiction's period: a new, corrected or
  retracted appointment, dismissal, departure or secondment is refused when it would put the cadre
  in scope (a post there, a secondment hosted there) on a day on which the cadre holds a post
  outside the scope and was not in scope before;
* a selection case needs its post's unit in scope, and every cadre a step names in scope on the
  step's date; so does a correction or retraction of a step (the cadres of the step as corrected).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import singledispatchmethod
from typing import Any, Protocol
from uuid import UUID

from domain.appointment import ended_posts
from domain.cadre import Cadre, EntryRecord
from domain.cadre_entries import ENTRY_TYPES, RECORDABLE_TYPES
from domain.errors import JishiError, NotFoundError
from domain.history import derive
from domain.monitors.values import as_date, as_uuid
from domain.schema import coerce
from domain.selection import SelectionCase
from service import commands as c
from service.handlers.cadres import without
from service.unit_of_work import UnitOfWork

Scope = frozenset[str]
Span = tuple[date, date]  # [start, end)
ENDINGS = {"Departed", "SecondmentEnded"}  # entries that end what put the cadre in scope
UNIT_ENTRIES = {"Appointed", "Dismissed"}
POST_MOVES = {"Appointed", "Dismissed", "Departed", "SecondmentStarted", "SecondmentEnded"}  # shape the spans


class ScopeView(Protocol):
    """The scope model (``projections/scope.py``) as the policy asks it."""

    def refresh(self) -> None:
        """Bring the read models up to the store's head (judge by the record as it stands)."""

    def unit_in_scope(self, unit_code: str, scope: Scope) -> bool: ...

    def cadre_in_scope(self, cadre_id: UUID, day: date, scope: Scope) -> bool: ...

    def cadre_reach(self, cadre_id: UUID, scope: Scope) -> date | None: ...

    def ever_placed(self, cadre_id: UUID) -> bool: ...

    def entry_cadre(self, entry_id: UUID, scope: Scope) -> str | None: ...

    def last_post_unit(self, cadre_id: UUID, day: date) -> str | None: ...


class JurisdictionUnavailableError(JishiError):
    """Raised when a scoped caller writes through an application built without read models."""

    title = "无法核验管辖范围 (jurisdiction cannot be checked)"


def no_unit(code: str) -> NotFoundError:
    return NotFoundError(f"单位不存在 (no such unit): {code}")


def no_post(unit_code: str, post_code: str) -> NotFoundError:
    return NotFoundError(f"职位不存在 (no such post): {unit_code}/{post_code}")


def no_cadre(cadre_id: Any) -> NotFoundError:
    return NotFoundError(f"干部不存在 (no such cadre): {cadre_id}")


def no_entry(entry_id: Any) -> NotFoundError:
    """As the handler answers for an entry that does not exist (``service/handlers/world.py``)."""
    return NotFoundError(f"记录不存在 (no such entry): {entry_id}")


def no_case(case_id: Any) -> NotFoundError:
    return NotFoundError(f"选任纪实不存在 (no such selection case): {case_id}")


def cadre_on(view: ScopeView, scope: Scope, cadre_id: UUID, day: date) -> None:
    """The cadre must be in scope on ``day``; else 404 (saying why only if the user may see them)."""
    if view.cadre_in_scope(cadre_id, day, scope):
        return
    if view.cadre_reach(cadre_id, scope) is not None:
        raise NotFoundError(f"干部 {cadre_id} 在 {day.isoformat()} 不在您的管辖范围内 "
                            f"(the cadre is not in your jurisdiction on {day.isoformat()})")
    raise no_cadre(cadre_id)


class Jurisdiction:
    """The jurisdiction checks of one command by one scoped caller (made per command)."""

    def __init__(self, view: ScopeView, scope: Scope, uow: UnitOfWork, today: date,
                 now: Callable[[], Any]) -> None:
        self.view, self.scope, self.uow, self.today, self.now = view, scope, uow, today, now

    # ——— per command ———

    @singledispatchmethod
    def check(self, command: c.Command) -> None:
        """Refuse (404) a command outside the caller's scope."""
        raise NotImplementedError(f"no jurisdiction rule for {type(command).__name__}")

    @check.register
    def _(self, command: c.RegisterUnit) -> None:
        parent = command.payload.get("parent_code")
        if not parent:
            raise NotFoundError("顶级单位只能由管辖全部单位的用户登记 "
                                "(only a user whose scope is the whole tree may register a top-level unit)")
        self.unit(str(parent))

    @check.register
    def _(self, command: c.RenameUnit | c.DissolveUnit | c.EstablishPost | c.RecordAssessmentParticipants) -> None:
        self.unit(command.unit_code)

    @check.register
    def _(self, command: c.ChangeEstablishment | c.AbolishPost) -> None:
        self.post(command.unit_code, command.post_code)

    @check.register
    def _(self, command: c.RegisterCadre) -> None:
        """Registering names no unit: any hr may (the record belongs to no unit until placed)."""

    @check.register
    def _(self, command: c.RecordEntry) -> None:
        self.entry(command.cadre_id, command.entry_type, command.payload)

    @check.register
    def _(self, command: c.CorrectEntry) -> None:
        changes = command.payload.get("changes")
        self.change(command.cadre_id, command.entry_id, changes if isinstance(changes, dict) else None)

    @check.register
    def _(self, command: c.RetractEntry) -> None:
        self.change(command.cadre_id, command.entry_id)

    @check.register
    def _(self, command: c.OpenCase) -> None:
        self.post(str(command.payload.get("unit_code")), str(command.payload.get("post_code")))

    @check.register
    def _(self, command: c.RecordCaseStep) -> None:
        self.case_step(command.case_id, command.step_type, command.payload)

    @check.register
    def _(self, command: c.CorrectCaseStep) -> None:
        changes = command.payload.get("changes")
        self.case_step_change(command.case_id, command.step_id, changes if isinstance(changes, dict) else None)

    @check.register
    def _(self, command: c.RetractCaseStep) -> None:
        self.case_step_change(command.case_id, command.step_id)

    @check.register
    def _(self, command: c.PublishCalendar) -> None:
        """The working-day calendar is national: it names no unit (who may record it is a permission)."""

    @check.register
    def _(self, command: c.RecordImport) -> None:
        """An import's record names no unit: each of its rows was checked as a command of its own."""

    # ——— units and posts ———

    def unit(self, code: str) -> None:
        if not self.view.unit_in_scope(code, self.scope):
            raise no_unit(code)

    def post(self, unit_code: str, post_code: str) -> None:
        if not self.view.unit_in_scope(unit_code, self.scope):
            raise no_post(unit_code, post_code)

    # ——— cadres ———

    def cadre_on(self, cadre_id: UUID, day: date) -> None:
        cadre_on(self.view, self.scope, cadre_id, day)

    def _held_last(self, cadre_id: UUID, day: date) -> bool:
        """Whether the unit of the cadre's latest post begun by ``day`` is in scope (the department that
        last held the cadre moves them on or records their departure)."""
        last = self.view.last_post_unit(cadre_id, day)
        return last is not None and self.view.unit_in_scope(last, self.scope)

    def own_recruit(self, cadre_id: UUID) -> bool:
        """新录用: a cadre never placed anywhere whose registrant's scope lies within the caller's (a
        recruit registered by a whole-tree user, or before registrants were recorded: whole-tree only)."""
        if self.view.ever_placed(cadre_id):
            return False
        cadre = self.uow.find(Cadre, cadre_id)
        registrant = getattr(cadre, "registrant_scope", None) if cadre is not None else None
        return bool(registrant) and all(self.view.unit_in_scope(code, self.scope) for code in registrant or ())

    def may_open(self, cadre_id: UUID) -> None:
        """A form for the cadre (a page asks before it shows one): a cadre once in scope, or one's own
        recruit; anything else answers as absent."""
        if self.view.cadre_reach(cadre_id, self.scope) is None and not self.own_recruit(cadre_id):
            raise no_cadre(cadre_id)

    def _appointable(self, cadre_id: UUID, day: date) -> None:
        """In scope that day, last held in scope, or one's own recruit (never placed at all)."""
        if (self.view.cadre_in_scope(cadre_id, day, self.scope) or self.own_recruit(cadre_id)
                or self._held_last(cadre_id, day)):
            return
        self.cadre_on(cadre_id, day)

    def entry(self, cadre_id: UUID, entry_type: str, values: Mapping[str, Any]) -> None:
        """A new entry of ``entry_type`` with ``values`` (JSON form) on the cadre's record."""
        day = as_date(values.get("effective_on")) or self.today
        if entry_type in UNIT_ENTRIES and isinstance(values.get("unit_code"), str):
            self.unit(values["unit_code"])
        if entry_type == "Appointed":
            self._appointable(cadre_id, day)
            self._ends(values)
        elif not (entry_type == "Departed" and self._held_last(cadre_id, day)):
            self.cadre_on(cadre_id, day)
        self._references(values, day)
        if entry_type in POST_MOVES:
            self._new_entry_keeps_reach(cadre_id, entry_type, values)

    def _ends(self, values: Mapping[str, Any]) -> None:
        """任…免…: each post an appointment ends needs its unit in scope, as a 免职 from it would."""
        for unit_code, post_code in ended_posts(values):
            if not self.view.unit_in_scope(unit_code, self.scope):
                raise no_post(unit_code, post_code)

    def _references(self, values: Mapping[str, Any], day: date) -> None:
        mentor = as_uuid(values["mentor_cadre_id"]) if values.get("mentor_cadre_id") else None
        if mentor is not None and not self.view.cadre_in_scope(mentor, day, self.scope):
            raise no_cadre(mentor)
        case_id = as_uuid(values["selection_case_id"]) if values.get("selection_case_id") else None
        if case_id is not None:
            self.case(case_id)

    def _stands_in_scope(self, cadre_id: UUID, entry_type: str, values: Mapping[str, Any]) -> bool:
        day = values.get("effective_on")
        code = values.get("unit_code")
        if entry_type in UNIT_ENTRIES:  # a placement belongs to its unit
            return isinstance(code, str) and self.view.unit_in_scope(code, self.scope)
        if entry_type == "CadreRegistered":
            return self.view.cadre_in_scope(cadre_id, self.today, self.scope) or self.own_recruit(cadre_id)
        if not isinstance(day, date):
            return False
        if entry_type == "Departed" and self._held_last(cadre_id, day):
            return True
        days = (day, day - timedelta(days=1)) if entry_type in ENDINGS else (day,)
        return any(self.view.cadre_in_scope(cadre_id, d, self.scope) for d in days)

    def change(self, cadre_id: UUID, entry_id: UUID, changes: dict[str, Any] | None = None) -> None:
        """A correction (with ``changes``) or retraction of ``entry_id`` on the cadre's record."""
        self.may_open(cadre_id)  # never in scope, nor one's own recruit: answer as absent
        cadre = self.uow.find(Cadre, cadre_id)
        if cadre is None:
            raise no_cadre(cadre_id)
        target = cadre.entry(entry_id)
        if target is None:  # answered here, before the handler checks the expected version
            raise no_entry(entry_id)
        root = cadre.entries.get(cadre.root_of(entry_id), target)
        if not self._stands_in_scope(cadre_id, root.type, root.values):
            if self.view.entry_cadre(entry_id, self.scope) is None:  # an entry they may not see: as absent
                raise no_entry(entry_id)
            raise NotFoundError(f"记录 {entry_id} 不在您的管辖范围内 (the entry is not in your jurisdiction)")
        if root.type == "Appointed":  # changing it moves or restores the ends of the posts it ends
            self._ends(root.values)
        if changes:
            try:
                typed = coerce(ENTRY_TYPES[root.type], changes, partial=True)
            except (JishiError, KeyError):
                return  # the handler refuses the changes itself
            after = {**root.values, **typed}
            if not self._stands_in_scope(cadre_id, root.type, after):
                raise NotFoundError("更正后的记录不在您的管辖范围内 "
                                    "(the corrected entry would leave your jurisdiction)")
            if root.type == "Appointed":
                self._ends(after)
            if root.type in POST_MOVES:
                self._keeps_reach(cadre, _replaced(cadre, root, after))
        elif root.type in POST_MOVES or target.type == "EntryCorrected":
            self._keeps_reach(cadre, without(cadre, target)[0])

    # ——— reach: no write stretches the scope over another jurisdiction's period ———

    def _new_entry_keeps_reach(self, cadre_id: UUID, entry_type: str, values: Mapping[str, Any]) -> None:
        cadre = self.uow.find(Cadre, cadre_id)
        try:
            typed = coerce(RECORDABLE_TYPES[entry_type], {k: v for k, v in values.items() if k != "override_reason"})
        except (JishiError, KeyError):
            return  # the handler refuses it itself
        if cadre is None:
            return
        candidate = EntryRecord(UUID(int=0), entry_type, cadre.version + 1, self.now(), typed, typed)
        self._keeps_reach(cadre, [*cadre.standing_entries(), candidate])

    def _keeps_reach(self, cadre: Cadre, after: list[EntryRecord]) -> None:
        """Refuse if, after the change, the cadre would be in scope (a post there or a secondment hosted
        there) on a day on which they hold a post outside it, and were not in scope that day before."""
        inside: dict[str, bool] = {}

        def scoped(code: Any) -> bool:
            if not isinstance(code, str):
                return False
            if code not in inside:
                inside[code] = self.view.unit_in_scope(code, self.scope)
            return inside[code]

        def spans(entries: list[EntryRecord], want: bool) -> list[Span]:
            history = derive(entries)
            found = [(t.start, t.end or date.max) for t in history.tenures if scoped(t.unit_code) == want]
            if want:
                hosts = {e.entry_id: e.values.get("host") for e in entries if e.type == "SecondmentStarted"}
                found += [(s.start, s.end or date.max) for s in history.secondments if scoped(hosts.get(s.entry_id))]
            return found

        gained = _minus(spans(after, True), spans(cadre.standing_entries(), True))
        if _overlaps(gained, spans(after, False)):
            raise NotFoundError("该记录会使您的管辖范围延伸到其他单位管辖的期间 "
                                "(the entry would stretch your jurisdiction over a period the cadre "
                                "served elsewhere)")

    # ——— selection cases ———

    def case(self, case_id: UUID) -> None:
        case = self.uow.find(SelectionCase, case_id)
        if case is None or not self.view.unit_in_scope(case.unit_code, self.scope):
            raise no_case(case_id)

    def case_step(self, case_id: UUID, step_type: str, values: Mapping[str, Any]) -> None:
        self.case(case_id)
        day = as_date(values.get("effective_on") or values.get("end_on")) or self.today
        named = [values.get("cadre_id"), *(values.get("cadre_ids") or ())]
        if step_type == "Recommended" and isinstance(values.get("votes"), dict):
            named += list(values["votes"])
        for text in named:
            cadre_id = as_uuid(text) if text else None
            if cadre_id is not None and not self.view.cadre_in_scope(cadre_id, day, self.scope):
                raise no_cadre(cadre_id)


    def case_step_change(self, case_id: UUID, step_id: UUID, changes: Mapping[str, Any] | None = None) -> None:
        """A correction (``changes``) or retraction of a step: the case's post in scope and, for a
        correction, every cadre the step would name in scope on its date (as for a new step)."""
        self.case(case_id)
        case = self.uow.find(SelectionCase, case_id)
        assert case is not None  # self.case found it
        record = case.record(case.root_of(step_id))  # a correction of a correction changes the same step
        if changes and record is not None and record.type != "StepRetracted":
            self.case_step(case_id, record.type, {**record.values, **changes})

def _minus(spans: list[Span], removed: list[Span]) -> list[Span]:
    """The parts of ``spans`` no span of ``removed`` covers."""
    out = list(spans)
    for r_start, r_end in removed:
        cut: list[Span] = []
        for start, end in out:
            if r_end <= start or end <= r_start:
                cut.append((start, end))
                continue
            if start < r_start:
                cut.append((start, r_start))
            if r_end < end:
                cut.append((r_end, end))
        out = cut
    return out


def _overlaps(a: list[Span], b: list[Span]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _replaced(cadre: Cadre, root: EntryRecord, values: dict[str, Any]) -> list[EntryRecord]:
    candidate = EntryRecord(root.entry_id, root.type, root.version, root.recorded_at, root.original, values)
    return [candidate if e.entry_id == root.entry_id else e for e in cadre.standing_entries()]
