"""The world a guard judges a cadre's entry in: the history before and after it, the posts whose
occupancy it changes, and — for the rules that judge as of the entry's date — the cadre's history
then, the posts held, the kinds of their units and the selection case.

Everything is computed for the one command and returned (``Judged``), never kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from domain import ids
from domain.cadre import Cadre, EntryRecord
from domain.cadre_entries import ENTRY_TYPES
from domain.companions import Companions
from domain.errors import FieldError, NotFoundError, RuleViolationError, ValidationError, Violation
from domain.history import derive, derive_as_of
from domain.post import OccupancyChanged, Post, Tenure, directory_of
from domain.recorded import Provenance
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext, PostChange, PostKey
from domain.rules.engine import AS_OF_RULES, decide, evaluate, new_violations
from domain.rules.procedure import counted_span, publicity_judgement
from domain.schema import field_specs
from domain.selection import SelectionCase
from domain.unit import Unit
from service.handlers.calendar import calendar_for
from service.unit_of_work import UnitOfWork


def code_fields(event_class: type) -> dict[str, str]:
    """Field → code table, for R-ID."""
    return {s.name: s.code_table for s in field_specs(event_class) if s.code_table}


def as_of_world(uow: UnitOfWork, cadre_id: UUID, entry_type: str, values: Mapping[str, Any],
                entries: list[EntryRecord], judged: UUID | None) -> dict[str, Any]:
    """The world on the entry's effective date, for the guards that judge it as of that date: the
    cadre's history then (without the entry), and for an appointment the post, the grades of the
    posts held, the kinds of their units and the selection case."""
    day = values.get("effective_on")
    if entry_type not in ("Appointed", "RankPromoted", "Assessed") or not isinstance(day, date):
        return {}
    as_of = derive_as_of(entries, day, exclude=judged)
    world: dict[str, Any] = {"cadre_id": cadre_id, "entry_id": judged, "as_of": as_of}
    if entry_type == "Appointed":
        target = (values["unit_code"], values["post_code"])
        posts = {key: uow.find(Post, ids.post_id(*key)) for key in {*as_of.posts(), target}}
        units = {code: uow.find(Unit, ids.unit_id(code)) for code in {t.unit_code for t in as_of.tenures}}
        world["target_post"] = posts[target]
        world["post_grades"] = {key: post.grade for key, post in posts.items() if post is not None}
        world["leading_posts"] = frozenset(key for key, post in posts.items() if post and post.leadership)
        world["unit_kinds"] = {code: unit.kind for code, unit in units.items() if unit is not None}
        if values.get("selection_case_id") is not None:
            world["case"] = uow.find(SelectionCase, values["selection_case_id"])
            span = counted_span(entry_type, values, world["case"], cadre_id)
            if span is not None:  # R-PUBLICITY counts this publicity: the calendar as known now
                world["calendar"] = calendar_for(uow, *span)
    return world


@dataclass(frozen=True)
class Judged:
    """A cadre change the guards let through: the posts whose occupancy it changes (loaded), each
    post's tenures of the cadre afterwards, the rule ids overridden, and R-PUBLICITY's count of
    working days with the calendar it used (stored with the entry as ``calendar_used``), if it counted."""

    posts: tuple[Post, ...]
    tenures: Mapping[PostKey, tuple[Tenure, ...]]
    overrides: tuple[str, ...]
    publicity: dict[str, Any] | None = None

    def calendar_used(self) -> dict[str, Any]:
        return calendar_used(self.publicity)

    def mirror(self, cadre: Cadre, cause: UUID) -> None:
        """Record on each post the cadre's tenures there after the change (``OccupancyChanged``)."""
        for post in self.posts:
            post.trigger_event(OccupancyChanged, cadre_id=cadre.id,
                               tenures=self.tenures[(post.unit_code, post.post_code)],
                               cause_entry_id=cause, effective_on=None,
                               overrides=tuple(r for r in self.overrides if r == "R-EST"))


@dataclass(frozen=True)
class CadreChange:
    """A change of a cadre's record to be judged: the entry type and values as they would stand,
    and the standing entries afterwards."""

    cadre: Cadre
    entry_type: str
    values: Mapping[str, Any]
    after: list[EntryRecord]
    new_entry: bool
    judged: UUID | None = None
    previous: Mapping[str, Any] | None = None  # a correction: the values before it
    only: list[str] | None = None  # the guards to run (None: all)
    companions: Companions | None = None  # the id-number claim and 优秀 tally kept in step with it


def judge(uow: UnitOfWork, change: CadreChange, override_reason: str | None, by: Provenance,
          config: RuleConfig, today: date) -> Judged:
    """Run the guards over the cadre's record as it would stand; refuse, or say what to override."""
    cadre = change.cadre
    standing = cadre.standing_entries()
    before, after = derive(standing), derive(change.after)
    posts: dict[PostKey, PostChange] = {}
    loaded: list[Post] = []
    for key in sorted(before.posts() | after.posts()):
        old, new = before.tenures_at(*key), after.tenures_at(*key)
        if old == new:
            continue
        post = uow.find(Post, ids.post_id(*key))
        if post is None:
            posts[key] = PostChange(None, {}, {}, ())
            continue
        loaded.append(post)
        occupancy_after = dict(post.occupancy)
        if new:
            occupancy_after[cadre.id] = new
        else:
            occupancy_after.pop(cadre.id, None)
        posts[key] = PostChange(post, post.occupancy, occupancy_after, tuple(post.establishment_schedule))
    event_class = ENTRY_TYPES.get(change.entry_type)
    ctx = GuardContext(
        today=today, entry_type=change.entry_type, values=change.values,
        code_fields=code_fields(event_class) if event_class else {},
        before=before, after=after, new_entry=change.new_entry,
        departed=any(e.type == "Departed" for e in standing),
        void=not any(e.type == "CadreRegistered" for e in standing),
        posts=posts, override_reason=override_reason,
        **as_of_world(uow, cadre.id, change.entry_type, change.values, change.after, change.judged),
        **(change.companions.world if change.companions is not None else {}),
    )
    violations = evaluate(ctx, config, change.only)
    if change.previous is not None:  # a correction: judge it by what it changes (engine.AS_OF_RULES)
        was = replace(ctx, values=change.previous, **as_of_world(
            uow, cadre.id, change.entry_type, change.previous, standing, change.judged))
        violations = new_violations(violations, evaluate(was, config, sorted(AS_OF_RULES)))
    overrides = decide(violations, override_reason, by)
    return Judged(tuple(loaded), {key: after.tenures_at(*key) for key in posts}, overrides,
                  publicity_judgement(ctx))


def calendar_used(judgement: dict[str, Any] | None) -> dict[str, Any]:
    """The event field naming the calendar R-PUBLICITY counted with, when it counted."""
    return {"calendar_used": judgement} if judgement is not None else {}


def check_references(uow: UnitOfWork, values: Mapping[str, Any]) -> None:
    """A mentor named by an entry must be a cadre on record."""
    mentor = values.get("mentor_cadre_id")
    if mentor is not None and uow.find(Cadre, mentor) is None:
        raise ValidationError([FieldError("mentor_cadre_id", "导师不存在 (no such cadre)")])


def load_cadre(uow: UnitOfWork, cadre_id: UUID, expected_version: int | None) -> Cadre:
    cadre = uow.get(Cadre, cadre_id, f"干部不存在 (no such cadre): {cadre_id}")
    uow.version_is(cadre, expected_version)
    return cadre


def target_entry(cadre: Cadre, entry_id: UUID) -> EntryRecord:
    """The standing entry a correction or retraction changes."""
    target = cadre.entry(entry_id)
    if target is None:
        raise NotFoundError(f"记录不存在 (no such entry): {entry_id}")
    if target.type == "EntryRetracted":
        raise RuleViolationError([Violation("R-SEQ", "撤销记录不能被更正或撤销",
                                            "a retraction cannot be corrected or retracted")])
    if not target.stands:
        raise RuleViolationError([Violation("R-SEQ", "该记录已被撤销", "the entry was already retracted")])
    return target


def companions(ctx_uow: UnitOfWork, config: RuleConfig, by: Provenance, cadre: Cadre, root_type: str,
               entry_id: UUID, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
               after_entries: list[EntryRecord]) -> Companions:
    """The id-number claim and the 优秀 tally a change to the entry ``entry_id`` keeps in step (saved
    with the cadre, once the guards have passed)."""
    return Companions(ctx_uow.find, lambda code: directory_of(ctx_uow.find, ctx_uow.app, code, by), config, cadre,
                      root_type, entry_id, before, after, after_entries, claim_key=ctx_uow.app.claim_key)
