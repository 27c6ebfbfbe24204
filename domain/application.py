"""The application service: the only writer of the event store.

One method per command. Each loads the aggregates it touches, validates the input
against the entry type, runs the guards on the world as it would be, and saves every
changed aggregate (and the idempotency key, if any) in one atomic transaction.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import orjson
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording, Transcoder

from domain import ids
from domain.cadre import Cadre, EntryCorrected, EntryRecord, EntryRetracted
from domain.cadre_entries import ENTRY_TYPES, RECORDABLE_TYPES, CadreRegistered
from domain.codes import validate_code
from domain.eligibility import Eligibility, for_post, for_rank
from domain.errors import (
    ConcurrencyError,
    ConflictError,
    FieldError,
    IdempotencyConflictError,
    NotFoundError,
    ValidationError,
)
from domain.history import History, derive, derive_as_of
from domain.idempotency import IdempotencyRecord, KeyUsed
from domain.positions import position_of
from domain.post import EstablishmentChanged, OccupancyChanged, Post, PostAbolished, PostEstablished
from domain.recorded import Provenance, RecordedEvent, entry_id_of, provenance_fields
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext, PostChange, PostKey
from domain.rules.engine import AS_OF_RULES, decide, evaluate, new_violations
from domain.schema import coerce, field_specs
from domain.selection import CASE_STEPS, CaseOpened, SelectionCase, referenced_cadres, step_errors
from domain.transcoder import OrjsonTranscoder
from domain.unit import Unit, UnitDissolved, UnitRegistered, UnitRenamed


@dataclass(frozen=True)
class CommandResult:
    """What a write returns (API.md): the entry, its stream, version and global position."""

    entry_id: UUID
    stream_id: UUID
    version: int
    position: int
    recorded_at: datetime
    overrides: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"entry_id": str(self.entry_id), "stream_id": str(self.stream_id),
                "version": self.version, "position": self.position,
                "recorded_at": self.recorded_at.isoformat(),
                "overrides": list(self.overrides), **self.extra}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], position: int) -> CommandResult:
        known = {"entry_id", "stream_id", "version", "position", "recorded_at", "overrides"}
        return cls(UUID(d["entry_id"]), UUID(d["stream_id"]), int(d["version"]), position,
                   datetime.fromisoformat(d["recorded_at"]), tuple(d.get("overrides", ())),
                   {k: v for k, v in d.items() if k not in known})


A = TypeVar("A", bound=Aggregate)


def _last(aggregate: Aggregate) -> RecordedEvent:
    """The event a command just triggered on an aggregate."""
    event = aggregate.pending_events[-1]
    assert isinstance(event, RecordedEvent)
    return event


def _code_fields(event_class: type) -> dict[str, str]:
    return {s.name: s.code_table for s in field_specs(event_class) if s.code_table}


class Jishi(Application[UUID]):
    """纪实: the cadre record. Storage comes from the environment (PERSISTENCE_MODULE …)."""

    name = "Jishi"

    def __init__(self, env: Mapping[str, str] | None = None, *, config: RuleConfig | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(env)
        self.config = config or RuleConfig.defaults()
        self.clock = clock or (lambda: datetime.now(ZoneInfo("UTC")))
        self._bulk: OrderedDict[UUID, Any] | None = None  # see bulk()
        self._bulk_dirty: dict[UUID, Any] = {}
        self._bulk_pending = 0
        self._bulk_size, self._bulk_keep = 0, 0

    def construct_transcoder(self) -> Transcoder:
        return OrjsonTranscoder()

    def today(self) -> date:
        return self.clock().astimezone(ZoneInfo(self.config.get("general.timezone"))).date()

    # ——— units and posts ———

    def register_unit(self, payload: Mapping[str, Any], by: Provenance, *,
                      idempotency_key: str | None = None) -> CommandResult:
        """单位登记: register a unit in the tree."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            values = coerce(UnitRegistered, payload)
            units = {}
            if values.get("parent_code"):
                units[values["parent_code"]] = self._find(Unit, ids.unit_id(values["parent_code"]))
            ctx = GuardContext(self.today(), "UnitRegistered", values, units=units)
            overrides = decide(evaluate(ctx, self.config, ["R-SEQ", "R-FUTURE"]), None, by)
            unit = Unit._create(UnitRegistered, id=ids.unit_id(values["code"]),
                                overrides=overrides, **values, **provenance_fields(by))
            return [unit], _last(unit), {"unit_code": values["code"]}
        return self._execute("register_unit", payload, idempotency_key, run)

    def rename_unit(self, code: str, payload: Mapping[str, Any], by: Provenance, *,
                    idempotency_key: str | None = None) -> CommandResult:
        """单位更名."""
        return self._unit_event(code, UnitRenamed, payload, by, idempotency_key)

    def dissolve_unit(self, code: str, payload: Mapping[str, Any], by: Provenance, *,
                      idempotency_key: str | None = None) -> CommandResult:
        """单位撤销."""
        return self._unit_event(code, UnitDissolved, payload, by, idempotency_key)

    def _unit_event(self, code: str, event_class: type[RecordedEvent], payload: Mapping[str, Any],
                    by: Provenance, key: str | None) -> CommandResult:
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            unit = self._get(Unit, ids.unit_id(code), f"单位不存在 (no such unit): {code}")
            values = coerce(event_class, payload)
            ctx = GuardContext(self.today(), event_class.__name__, values, units={code: unit})
            decide(evaluate(ctx, self.config, ["R-SEQ", "R-FUTURE"]), None, by)
            unit.trigger_event(event_class, **values, **provenance_fields(by))
            return [unit], _last(unit), {}
        return self._execute(f"{event_class.__name__}:{code}", payload, key, run)

    def establish_post(self, unit_code: str, payload: Mapping[str, Any], by: Provenance, *,
                       idempotency_key: str | None = None) -> CommandResult:
        """设立职位: establish a post with its grade and establishment (职数)."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            values = coerce(PostEstablished, {**payload, "unit_code": unit_code})
            unit = self._find(Unit, ids.unit_id(unit_code))
            ctx = GuardContext(self.today(), "PostEstablished", values, units={unit_code: unit},
                               code_fields=_code_fields(PostEstablished))
            decide(evaluate(ctx, self.config, ["R-ID", "R-SEQ", "R-FUTURE"]), None, by)
            post = Post._create(PostEstablished, id=ids.post_id(unit_code, values["post_code"]),
                                **values, **provenance_fields(by))
            return [post], _last(post), {"unit_code": unit_code,
                                                     "post_code": values["post_code"]}
        return self._execute(f"establish_post:{unit_code}", payload, idempotency_key, run)

    def change_establishment(self, unit_code: str, post_code: str, payload: Mapping[str, Any],
                             by: Provenance, *, idempotency_key: str | None = None
                             ) -> CommandResult:
        """职数调整: change a post's establishment from a date (R-EST guards reductions)."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            payload_ = dict(payload)
            override_reason = payload_.pop("override_reason", None)
            values = coerce(EstablishmentChanged, payload_)
            post = self._get(Post, ids.post_id(unit_code, post_code),
                             f"职位不存在 (no such post): {unit_code}/{post_code}")
            schedule = tuple(sorted([*post.establishment_schedule,
                                     (values["effective_on"], values["establishment"])],
                                    key=lambda i: i[0]))
            change = PostChange(post, {}, post.occupancy, schedule)
            ctx = GuardContext(self.today(), "EstablishmentChanged", values,
                               posts={(unit_code, post_code): change})
            overrides = decide(evaluate(ctx, self.config, ["R-FUTURE", "R-EST"]),
                               override_reason, by)
            post.trigger_event(EstablishmentChanged, **values, overrides=overrides,
                               override_reason=override_reason if overrides else None,
                               **provenance_fields(by))
            return [post], _last(post), {}
        return self._execute(f"establishment:{unit_code}/{post_code}", payload,
                             idempotency_key, run)

    def abolish_post(self, unit_code: str, post_code: str, payload: Mapping[str, Any],
                     by: Provenance, *, idempotency_key: str | None = None) -> CommandResult:
        """撤销职位: abolish a post; refused while someone holds it on that date."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            values = coerce(PostAbolished, payload)
            post = self._get(Post, ids.post_id(unit_code, post_code),
                             f"职位不存在 (no such post): {unit_code}/{post_code}")
            day = values["effective_on"]
            ctx = GuardContext(self.today(), "PostAbolished", values)
            violations = evaluate(ctx, self.config, ["R-FUTURE"])
            if OccupancyChanged.holders_on(post.occupancy, day) or any(
                    s > day for tenures in post.occupancy.values() for s, _ in tenures):
                from domain.errors import Violation
                violations.append(Violation("R-SEQ", "职位仍有在任人员，须先免职",
                                            "the post is still held: dismiss its holders first",
                                            "effective_on"))
            decide(violations, None, by)
            post.trigger_event(PostAbolished, **values, **provenance_fields(by))
            return [post], _last(post), {}
        return self._execute(f"abolish:{unit_code}/{post_code}", payload, idempotency_key, run)

    # ——— the cadre's record ———

    def register_cadre(self, payload: Mapping[str, Any], by: Provenance, *,
                       idempotency_key: str | None = None) -> CommandResult:
        """录用/建档: open a cadre's record."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            values = coerce(CadreRegistered, payload)
            if values.get("effective_on") is None:
                values["effective_on"] = values["work_started_on"]
            record = EntryRecord(UUID(int=0), "CadreRegistered", 1, self.clock(), values, values)
            ctx = GuardContext(self.today(), "CadreRegistered", values,
                               code_fields=_code_fields(CadreRegistered),
                               before=History(), after=derive([record]))  # R-SEQ: no date before birth
            decide(evaluate(ctx, self.config, ["R-ID", "R-SEQ", "R-FUTURE"]), None, by)
            cadre_id = ids.cadre_id(values["cadre_no"])
            if self._find(Cadre, cadre_id) is not None:
                raise ConflictError(f"干部编号已存在 (cadre_no already registered): "
                                    f"{values['cadre_no']}")
            cadre = Cadre._create(CadreRegistered, id=cadre_id, **values, **provenance_fields(by))
            return [cadre], _last(cadre), {"cadre_id": str(cadre_id)}
        return self._execute("register_cadre", payload, idempotency_key, run)

    def record_entry(self, cadre_id: UUID, entry_type: str, payload: Mapping[str, Any],
                     by: Provenance, *, expected_version: int | None = None,
                     idempotency_key: str | None = None) -> CommandResult:
        """Record one entry of §4 (任职, 免职, 考核, 培训, 谈话 …) on a cadre's record."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            event_class = RECORDABLE_TYPES.get(entry_type)
            if event_class is None:
                raise ValidationError([FieldError("type", f"未知记录类型 (unknown entry type): "
                                                          f"{entry_type}")])
            payload_ = dict(payload)
            override_reason = payload_.pop("override_reason", None)
            values = coerce(event_class, payload_)
            self._check_references(entry_type, values)
            cadre = self._load_cadre(cadre_id, expected_version)
            candidate = EntryRecord(UUID(int=0), entry_type, cadre.version + 1,
                                    self.clock(), values, values)
            after = [*cadre.standing_entries(), candidate]
            aggregates, overrides = self._guard_cadre_change(
                cadre, entry_type, values, after, override_reason, by, new_entry=True,
                judged=candidate.entry_id)
            cadre.trigger_event(event_class, **values, overrides=overrides,
                                override_reason=override_reason if overrides else None,
                                **provenance_fields(by))
            event = _last(cadre)
            self._mirror_occupancy(cadre, aggregates, event.entry_id, overrides)
            return [cadre, *aggregates], event, {"cadre_id": str(cadre_id)}
        return self._execute(f"entry:{cadre_id}:{entry_type}", payload, idempotency_key, run)

    def correct_entry(self, cadre_id: UUID, entry_id: UUID, payload: Mapping[str, Any],
                      by: Provenance, *, expected_version: int | None = None,
                      idempotency_key: str | None = None) -> CommandResult:
        """更正: new values for some fields of an earlier entry, validated like that entry."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            payload_ = dict(payload)
            override_reason = payload_.pop("override_reason", None)
            changes = payload_.pop("changes", None)
            meta = coerce(EntryCorrected, {**payload_, "target_entry_id": str(entry_id),
                                           "changes": changes if changes is not None else {}})
            cadre = self._load_cadre(cadre_id, expected_version)
            target = self._target(cadre, entry_id)
            root = cadre.entries[cadre.root_of(entry_id)]
            if not isinstance(changes, dict) or not changes:
                raise ValidationError([FieldError("changes", "须给出要更正的字段 "
                                                             "(give at least one field to change)")])
            target_class = ENTRY_TYPES[root.type]
            try:
                typed = coerce(target_class, changes, partial=True)
            except ValidationError as e:
                raise ValidationError([FieldError(f"changes.{x.loc}", x.msg)
                                       for x in e.errors]) from None
            if "cadre_no" in typed:
                raise ValidationError([FieldError("changes.cadre_no", "干部编号不可更正 "
                                                  "(cadre_no identifies the record)")])
            self._check_references(root.type, typed)
            new_values = {**root.values, **typed}
            candidate = EntryRecord(root.entry_id, root.type, root.version, root.recorded_at,
                                    root.original, new_values)
            after = [candidate if e.entry_id == root.entry_id else e
                     for e in cadre.standing_entries()]
            aggregates, overrides = self._guard_cadre_change(
                cadre, root.type, new_values, after, override_reason, by, new_entry=False,
                judged=root.entry_id, previous=root.values)
            cadre.trigger_event(EntryCorrected, target_entry_id=target.entry_id,
                                changes=typed, reason=meta["reason"],
                                document_no=meta.get("document_no"), overrides=overrides,
                                override_reason=override_reason if overrides else None,
                                **provenance_fields(by))
            event = _last(cadre)
            self._mirror_occupancy(cadre, aggregates, event.entry_id, overrides)
            return [cadre, *aggregates], event, {"cadre_id": str(cadre_id)}
        return self._execute(f"correct:{cadre_id}:{entry_id}", payload, idempotency_key, run)

    def retract_entry(self, cadre_id: UUID, entry_id: UUID, payload: Mapping[str, Any],
                      by: Provenance, *, expected_version: int | None = None,
                      idempotency_key: str | None = None) -> CommandResult:
        """撤销记录: the earlier entry should never have been recorded."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            payload_ = dict(payload)
            override_reason = payload_.pop("override_reason", None)
            meta = coerce(EntryRetracted, {**payload_, "target_entry_id": str(entry_id)})
            cadre = self._load_cadre(cadre_id, expected_version)
            target = self._target(cadre, entry_id)
            if target.type == "CadreRegistered" and len(cadre.standing_entries()) > 1:
                from domain.errors import RuleViolationError, Violation
                raise RuleViolationError([Violation(
                    "R-SEQ", "建档记录之后已有其他记录，只能更正",
                    "the registration has later entries: correct it instead", None)])
            if target.type == "EntryCorrected":
                root_id = cadre.root_of(target.entry_id)
                root = cadre.entries[root_id]
                values = dict(root.original)
                for cid in root.corrections:
                    if cid != target.entry_id and cadre.entries[cid].stands:
                        values.update(cadre.correction_changes[cid][1])
                candidate = EntryRecord(root.entry_id, root.type, root.version,
                                        root.recorded_at, root.original, values)
                after = [candidate if e.entry_id == root_id else e
                         for e in cadre.standing_entries()]
                checked_type, checked_values = root.type, values
            else:
                after = [e for e in cadre.standing_entries() if e.entry_id != target.entry_id]
                checked_type, checked_values = "EntryRetracted", {}
            aggregates, overrides = self._guard_cadre_change(
                cadre, checked_type, checked_values, after, override_reason, by,
                new_entry=False, only=["R-SEQ", "R-EST"])
            cadre.trigger_event(EntryRetracted, target_entry_id=target.entry_id,
                                reason=meta["reason"], document_no=meta.get("document_no"),
                                overrides=overrides,
                                override_reason=override_reason if overrides else None,
                                **provenance_fields(by))
            event = _last(cadre)
            self._mirror_occupancy(cadre, aggregates, event.entry_id, overrides)
            return [cadre, *aggregates], event, {"cadre_id": str(cadre_id)}
        return self._execute(f"retract:{cadre_id}:{entry_id}", payload, idempotency_key, run)

    # ——— the promotion procedure (选任全程纪实, DOMAIN.md §5) ———

    def open_case(self, payload: Mapping[str, Any], by: Provenance, *,
                  idempotency_key: str | None = None) -> CommandResult:
        """分析研判和动议: open a selection case for a post (result extra: case_id)."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            payload_ = dict(payload)
            override_reason = payload_.pop("override_reason", None)
            values = coerce(CaseOpened, payload_)
            unit_code, post_code = values["unit_code"], values["post_code"]
            ctx = GuardContext(self.today(), "CaseOpened", values,
                               units={unit_code: self._find(Unit, ids.unit_id(unit_code))},
                               target_post=self._find(Post, ids.post_id(unit_code, post_code)))
            overrides = decide(evaluate(ctx, self.config), override_reason, by)
            case = SelectionCase._create(CaseOpened, id=uuid4(), overrides=overrides,
                                         override_reason=override_reason if overrides else None,
                                         **values, **provenance_fields(by))
            return [case], _last(case), {"case_id": str(case.id)}
        return self._execute("open_case", payload, idempotency_key, run)

    def record_case_step(self, case_id: UUID, step_type: str, payload: Mapping[str, Any],
                         by: Provenance, *, expected_version: int | None = None,
                         idempotency_key: str | None = None) -> CommandResult:
        """Record one step of a selection case (民主推荐, 考察, 凡提四必, 讨论决定, 任前公示 …),
        guarded by the order of the procedure (domain/rules/procedure.py)."""
        def run() -> tuple[list[Aggregate], RecordedEvent, dict[str, str]]:
            event_class = CASE_STEPS.get(step_type)
            if event_class is None:
                raise ValidationError([FieldError("type", f"未知选任环节 (unknown case step): {step_type}")])
            payload_ = dict(payload)
            override_reason = payload_.pop("override_reason", None)
            values = coerce(event_class, payload_)
            if step_type == "PublicityHeld" and values.get("effective_on") is None:
                values["effective_on"] = values["end_on"]
            errors = step_errors(step_type, values)
            case: SelectionCase = self._get(SelectionCase, case_id,
                                            f"选任纪实不存在 (no such selection case): {case_id}")
            if expected_version is not None and case.version != expected_version:
                raise ConcurrencyError(f"记录已被修改 (stale expected_version): expected "
                                       f"{expected_version}, now {case.version}")
            candidates: dict[UUID, History] = {}
            for loc, text in referenced_cadres(step_type, values) if not errors else []:
                cadre = self._find(Cadre, UUID(text))
                if cadre is None:
                    errors.append(FieldError(loc, "干部不存在 (no such cadre)"))
                elif step_type == "Shortlisted":
                    candidates[cadre.id] = derive_as_of(cadre.standing_entries(), values["effective_on"])
            if errors:
                raise ValidationError(errors)
            ctx = GuardContext(self.today(), step_type, values, case=case, candidates=candidates,
                               code_fields=_code_fields(event_class))
            overrides = decide(evaluate(ctx, self.config), override_reason, by)
            case.trigger_event(event_class, **values, overrides=overrides,
                               override_reason=override_reason if overrides else None,
                               **provenance_fields(by))
            return [case], _last(case), {"case_id": str(case_id)}
        return self._execute(f"case:{case_id}:{step_type}", payload, idempotency_key, run)

    # ——— typed commands (one per entry type of §4), all through record_entry ———

    def appoint(self, cadre_id: UUID, by: Provenance, **fields: Any) -> CommandResult:
        """任职."""
        return self.record_entry(cadre_id, "Appointed", fields, by)

    def dismiss(self, cadre_id: UUID, by: Provenance, **fields: Any) -> CommandResult:
        """免职."""
        return self.record_entry(cadre_id, "Dismissed", fields, by)

    def assess(self, cadre_id: UUID, by: Provenance, **fields: Any) -> CommandResult:
        """考核."""
        return self.record_entry(cadre_id, "Assessed", fields, by)

    def complete_training(self, cadre_id: UUID, by: Provenance, **fields: Any) -> CommandResult:
        """培训."""
        return self.record_entry(cadre_id, "TrainingCompleted", fields, by)

    def hold_conversation(self, cadre_id: UUID, by: Provenance, **fields: Any) -> CommandResult:
        """谈话 (五必谈 …)."""
        return self.record_entry(cadre_id, "ConversationHeld", fields, by)

    def depart(self, cadre_id: UUID, by: Provenance, **fields: Any) -> CommandResult:
        """离职."""
        return self.record_entry(cadre_id, "Departed", fields, by)

    # ——— queries ———

    def get_cadre(self, cadre_id: UUID) -> Cadre:
        return self._get(Cadre, cadre_id, f"干部不存在 (no such cadre): {cadre_id}")

    def get_post(self, unit_code: str, post_code: str) -> Post:
        return self._get(Post, ids.post_id(unit_code, post_code),
                         f"职位不存在 (no such post): {unit_code}/{post_code}")

    def get_unit(self, code: str) -> Unit:
        return self._get(Unit, ids.unit_id(code), f"单位不存在 (no such unit): {code}")

    def history(self, cadre_id: UUID) -> History:
        return derive(self.get_cadre(cadre_id).standing_entries())

    def get_case(self, case_id: UUID) -> SelectionCase:
        found: SelectionCase = self._get(SelectionCase, case_id,
                                         f"选任纪实不存在 (no such selection case): {case_id}")
        return found

    def eligibility(self, cadre_id: UUID, *, post: tuple[str, str] | None = None,
                    rank: str | None = None, on: date | None = None) -> Eligibility:
        """资格测算: every guard a promotion to ``post`` (unit_code, post_code) or to ``rank``
        would face on ``on`` (default today), with pass/fail and the reason."""
        if (post is None) == (rank is None):
            raise ValidationError([FieldError("target", "须给出目标职位或目标职级之一 "
                                                        "(give either a target post or a target rank)")])
        day = on or self.today()
        entries = self.get_cadre(cadre_id).standing_entries()
        if post is not None:
            values: dict[str, Any] = {"effective_on": day, "unit_code": post[0], "post_code": post[1],
                                      "manner": "提拔"}
            ctx = GuardContext(self.today(), "Appointed", values,
                               **self._judgement(cadre_id, "Appointed", values, entries, None))
            return for_post(cadre_id, day, ctx, self.config)
        problem = validate_code("rank", rank)
        if problem:
            raise ValidationError([FieldError("rank", problem)])
        values = {"effective_on": day, "to_rank": rank}
        ctx = GuardContext(self.today(), "RankPromoted", values,
                           **self._judgement(cadre_id, "RankPromoted", values, entries, None))
        return for_rank(cadre_id, day, ctx, self.config)

    # ——— bulk import (the demo generator, migrations) ———

    @contextmanager
    def bulk(self, commands_per_transaction: int = 500, keep: int = 20_000) -> Iterator[None]:
        """Bulk import: every command runs its guards exactly as usual, but the aggregates it
        changes are saved ``commands_per_transaction`` commands at a time in one atomic
        transaction (``save`` is atomic across aggregates), and up to ``keep`` aggregates stay
        in memory so the next command does not replay them. Results carry ``position`` 0 (known
        only when the transaction commits). For a single writer (no other process writing the
        store meanwhile); idempotency keys run through the ordinary path. Leaving the block
        normally saves what is pending; an exception drops it (call ``flush_bulk`` first to keep it)."""
        self._bulk, self._bulk_dirty, self._bulk_pending = OrderedDict(), {}, 0
        self._bulk_size, self._bulk_keep = max(1, commands_per_transaction), max(1, keep)
        try:
            yield
            self.flush_bulk()
        finally:
            self._bulk, self._bulk_dirty, self._bulk_pending = None, {}, 0

    def flush_bulk(self) -> None:
        """Save what bulk commands left pending (one transaction); forget the oldest cached aggregates."""
        if self._bulk is None:
            return
        if self._bulk_dirty:  # in the order the events were triggered, as one command at a time would
            streams = [aggregate.collect_events() for aggregate in self._bulk_dirty.values()]
            self.save(*heapq.merge(*streams, key=lambda event: event.timestamp))
        self._bulk_dirty, self._bulk_pending = {}, 0
        while len(self._bulk) > self._bulk_keep:
            self._bulk.popitem(last=False)

    # ——— internals ———

    def _find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        if self._bulk is not None and aggregate_id in self._bulk:
            self._bulk.move_to_end(aggregate_id)
            cached = self._bulk[aggregate_id]
            return cached if isinstance(cached, cls) else None
        try:
            found: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        if self._bulk is not None:
            self._bulk[aggregate_id] = found
        return found if isinstance(found, cls) else None

    def _get(self, cls: type[A], aggregate_id: UUID, missing: str) -> A:
        found = self._find(cls, aggregate_id)
        if found is None:
            raise NotFoundError(missing)
        return found

    def _load_cadre(self, cadre_id: UUID, expected_version: int | None) -> Cadre:
        cadre: Cadre = self.get_cadre(cadre_id)
        if expected_version is not None and cadre.version != expected_version:
            raise ConcurrencyError(f"记录已被修改 (stale expected_version): expected "
                                   f"{expected_version}, now {cadre.version}")
        return cadre

    def _target(self, cadre: Cadre, entry_id: UUID) -> EntryRecord:
        from domain.errors import RuleViolationError, Violation
        target = cadre.entry(entry_id)
        if target is None:
            raise NotFoundError(f"记录不存在 (no such entry): {entry_id}")
        if target.type == "EntryRetracted":
            raise RuleViolationError([Violation("R-SEQ", "撤销记录不能被更正或撤销",
                                                "a retraction cannot be corrected or retracted")])
        if not target.stands:
            raise RuleViolationError([Violation("R-SEQ", "该记录已被撤销",
                                                "the entry was already retracted")])
        return target

    def _check_references(self, entry_type: str, values: Mapping[str, Any]) -> None:
        mentor = values.get("mentor_cadre_id")
        if mentor is not None and self._find(Cadre, mentor) is None:
            raise ValidationError([FieldError("mentor_cadre_id", "导师不存在 (no such cadre)")])

    def _guard_cadre_change(self, cadre: Cadre, entry_type: str, values: Mapping[str, Any],
                            after_entries: list[EntryRecord], override_reason: str | None,
                            by: Provenance, *, new_entry: bool, only: list[str] | None = None,
                            judged: UUID | None = None, previous: Mapping[str, Any] | None = None
                            ) -> tuple[list[Post], tuple[str, ...]]:
        before = derive(cadre.standing_entries())
        after = derive(after_entries)
        posts: dict[PostKey, PostChange] = {}
        loaded: list[Post] = []
        for key in sorted(before.posts() | after.posts()):
            old, new = before.tenures_at(*key), after.tenures_at(*key)
            if old == new:
                continue
            post = self._find(Post, ids.post_id(*key))
            if post is not None:
                loaded.append(post)
                occupancy_after = dict(post.occupancy)
                if new:
                    occupancy_after[cadre.id] = new
                else:
                    occupancy_after.pop(cadre.id, None)
                posts[key] = PostChange(post, post.occupancy, occupancy_after,
                                        tuple(post.establishment_schedule))
            else:
                posts[key] = PostChange(None, {}, {}, ())
        event_class = ENTRY_TYPES.get(entry_type)
        standing = cadre.standing_entries()
        ctx = GuardContext(
            today=self.today(), entry_type=entry_type, values=values,
            code_fields=_code_fields(event_class) if event_class else {},
            before=before, after=after, new_entry=new_entry,
            departed=any(e.type == "Departed" for e in standing),
            void=not any(e.type == "CadreRegistered" for e in standing),
            posts=posts, **self._judgement(cadre.id, entry_type, values, after_entries, judged),
        )
        violations = evaluate(ctx, self.config, only)
        if previous is not None:  # a correction: judge it by what it changes (engine.AS_OF_RULES)
            was = replace(ctx, values=previous, **self._judgement(
                cadre.id, entry_type, previous, standing, judged))
            violations = new_violations(violations, evaluate(was, self.config, sorted(AS_OF_RULES)))
        overrides = decide(violations, override_reason, by)
        self._pending_tenures = {key: after.tenures_at(*key) for key in posts}
        return loaded, overrides

    def _judgement(self, cadre_id: UUID, entry_type: str, values: Mapping[str, Any],
                   entries: list[EntryRecord], judged: UUID | None) -> dict[str, Any]:
        """The world on the entry's effective date, for the guards that judge it as of that
        date: the cadre's history then (without the entry), and for an appointment the post,
        the grades of the posts held, the kinds of their units and the selection case."""
        day = values.get("effective_on")
        if entry_type not in ("Appointed", "RankPromoted", "Assessed") or not isinstance(day, date):
            return {}
        as_of = derive_as_of(entries, day, exclude=judged)
        world: dict[str, Any] = {"cadre_id": cadre_id, "entry_id": judged, "as_of": as_of}
        if entry_type == "Appointed":
            target = (values["unit_code"], values["post_code"])
            posts = {key: self._find(Post, ids.post_id(*key)) for key in {*as_of.posts(), target}}
            units = {code: self._find(Unit, ids.unit_id(code)) for code in {t.unit_code for t in as_of.tenures}}
            world["target_post"] = posts[target]
            world["post_grades"] = {key: post.grade for key, post in posts.items() if post is not None}
            world["unit_kinds"] = {code: unit.kind for code, unit in units.items() if unit is not None}
            if values.get("selection_case_id") is not None:
                world["case"] = self._find(SelectionCase, values["selection_case_id"])
        return world

    def _mirror_occupancy(self, cadre: Cadre, posts: list[Post], cause: UUID,
                          overrides: tuple[str, ...]) -> None:
        for post in posts:
            tenures = self._pending_tenures[(post.unit_code, post.post_code)]
            post.trigger_event(OccupancyChanged, cadre_id=cadre.id, tenures=tenures,
                               cause_entry_id=cause, effective_on=None,
                               overrides=tuple(r for r in overrides if r == "R-EST"))

    def _execute(self, command: str, payload: Mapping[str, Any], key: str | None,
                 run: Callable[[], tuple[list[Aggregate], RecordedEvent, dict[str, str]]]
                 ) -> CommandResult:
        fingerprint = ""
        if key is not None:
            fingerprint = hashlib.sha256(orjson.dumps(
                [command, payload], default=str, option=orjson.OPT_SORT_KEYS)).hexdigest()
            replay = self._replay(key, fingerprint)
            if replay is not None:
                return replay
        elif self._bulk is not None:
            return self._execute_in_bulk(run)
        aggregates, event, extra = run()
        result_event = event
        record: IdempotencyRecord | None = None
        if key is not None:
            record = IdempotencyRecord._create(
                KeyUsed, id=ids.idempotency_id(key), key=key, fingerprint=fingerprint,
                result={"entry_id": str(event.entry_id), "stream_id": str(event.originator_id),
                        "version": event.originator_version,
                        "recorded_at": event.timestamp.isoformat(),
                        "overrides": list(event.overrides), **extra})
        try:
            recordings = self.save(*aggregates, record)
        except IntegrityError:
            if key is not None:
                replay = self._replay(key, fingerprint)
                if replay is not None:
                    return replay
            raise ConcurrencyError("记录已被他人同时修改，请重试 (changed concurrently: retry)"
                                   ) from None
        return self._result(recordings, result_event, extra)

    def _execute_in_bulk(self, run: Callable[[], tuple[list[Aggregate], RecordedEvent, dict[str, str]]]
                         ) -> CommandResult:
        assert self._bulk is not None
        aggregates, event, extra = run()
        for aggregate in aggregates:
            self._bulk[aggregate.id] = aggregate
            self._bulk.move_to_end(aggregate.id)
            self._bulk_dirty[aggregate.id] = aggregate
        self._bulk_pending += 1
        if self._bulk_pending >= self._bulk_size:
            self.flush_bulk()
        return CommandResult(event.entry_id, event.originator_id, event.originator_version, 0,
                             event.timestamp, event.overrides, extra)

    @staticmethod
    def _result(recordings: list[Recording[UUID]], event: RecordedEvent,
                extra: dict[str, str]) -> CommandResult:
        position = next(r.notification.id for r in recordings
                        if r.domain_event.originator_id == event.originator_id
                        and r.domain_event.originator_version == event.originator_version)
        return CommandResult(event.entry_id, event.originator_id, event.originator_version,
                             position, event.timestamp, event.overrides, extra)

    def _replay(self, key: str, fingerprint: str) -> CommandResult | None:
        record = self._find(IdempotencyRecord, ids.idempotency_id(key))
        if record is None:
            return None
        if record.fingerprint != fingerprint:
            raise IdempotencyConflictError(
                "该幂等键已用于另一请求 (Idempotency-Key already used for another request)")
        result = record.result
        position = position_of(self.recorder, UUID(result["stream_id"]), int(result["version"]))
        return CommandResult.from_dict(result, position)


__all__ = ["CommandResult", "Jishi", "entry_id_of"]
