"""Handlers of the unit and post commands (单位与职位)."""

from __future__ import annotations

from domain import ids
from domain.assessment_round import AssessmentParticipantsRecorded, ParticipantsPlan, RoundBook
from domain.post import (
    EstablishmentChanged,
    Post,
    PostAbolished,
    PostEstablished,
    UnitPosts,
    directory_of,
    new_directory,
)
from domain.recorded import RecordedEvent, provenance_fields
from domain.rules.assessment import quota_level
from domain.rules.context import GuardContext, PostChange
from domain.rules.engine import decide, evaluate
from domain.schema import coerce
from domain.unit import Unit, UnitDissolved, UnitRegistered, UnitRenamed
from service.commands import (
    AbolishPost,
    ChangeEstablishment,
    DissolveUnit,
    EstablishPost,
    RecordAssessmentParticipants,
    RegisterUnit,
    RenameUnit,
)
from service.handlers.context import Context
from service.handlers.world import code_fields
from service.results import Recorded, last_event


def _unit(ctx: Context, code: str) -> Unit:
    return ctx.uow.get(Unit, ids.unit_id(code), f"单位不存在 (no such unit): {code}")


def _post(ctx: Context, unit_code: str, post_code: str) -> Post:
    return ctx.uow.get(Post, ids.post_id(unit_code, post_code), f"职位不存在 (no such post): {unit_code}/{post_code}")


def register_unit(command: RegisterUnit, ctx: Context) -> Recorded:
    """单位登记: a unit in the tree (its parent must exist)."""
    values = coerce(UnitRegistered, command.payload)
    units = {}
    if values.get("parent_code"):
        units[values["parent_code"]] = ctx.uow.find(Unit, ids.unit_id(values["parent_code"]))
    guard = GuardContext(ctx.today, "UnitRegistered", values, units=units)
    overrides = decide(evaluate(guard, ctx.config), None, ctx.by)
    unit = Unit._create(UnitRegistered, id=ids.unit_id(values["code"]), overrides=overrides, **values,
                        **provenance_fields(ctx.by))
    return Recorded([unit, new_directory(values["code"], ctx.by)], last_event(unit), {"unit_code": values["code"]})


def _unit_event(code: str, event_class: type[RecordedEvent], command: RenameUnit | DissolveUnit,
                ctx: Context) -> Recorded:
    unit = _unit(ctx, code)
    values = coerce(event_class, command.payload)
    guard = GuardContext(ctx.today, event_class.__name__, values, units={code: unit})
    decide(evaluate(guard, ctx.config), None, ctx.by)
    unit.trigger_event(event_class, **values, **provenance_fields(ctx.by))
    return Recorded([unit], last_event(unit))


def rename_unit(command: RenameUnit, ctx: Context) -> Recorded:
    """单位更名."""
    return _unit_event(command.unit_code, UnitRenamed, command, ctx)


def dissolve_unit(command: DissolveUnit, ctx: Context) -> Recorded:
    """单位撤销."""
    return _unit_event(command.unit_code, UnitDissolved, command, ctx)


def establish_post(command: EstablishPost, ctx: Context) -> Recorded:
    """设立职位: a post with its grade and establishment (职数)."""
    unit_code = command.unit_code
    values = coerce(PostEstablished, {**command.payload, "unit_code": unit_code})
    unit = ctx.uow.find(Unit, ids.unit_id(unit_code))
    guard = GuardContext(ctx.today, "PostEstablished", values, units={unit_code: unit},
                         code_fields=code_fields(PostEstablished))
    decide(evaluate(guard, ctx.config), None, ctx.by)
    post = Post._create(PostEstablished, id=ids.post_id(unit_code, values["post_code"]), **values,
                        **provenance_fields(ctx.by))
    directory = post_directory(ctx, unit_code)
    directory.list_post(values["post_code"], ctx.by)
    return Recorded([post, directory], last_event(post), {"unit_code": unit_code, "post_code": values["post_code"]})


def change_establishment(command: ChangeEstablishment, ctx: Context) -> Recorded:
    """职数调整 from a date; R-EST guards a reduction below the holders."""
    payload = dict(command.payload)
    override_reason = payload.pop("override_reason", None)
    values = coerce(EstablishmentChanged, payload)
    post = _post(ctx, command.unit_code, command.post_code)
    schedule = tuple(sorted([*post.establishment_schedule, (values["effective_on"], values["establishment"])],
                            key=lambda item: item[0]))
    change = PostChange(post, {}, post.occupancy, schedule)
    guard = GuardContext(ctx.today, "EstablishmentChanged", values,
                         posts={(command.unit_code, command.post_code): change})
    overrides = decide(evaluate(guard, ctx.config), override_reason, ctx.by)
    post.trigger_event(EstablishmentChanged, **values, overrides=overrides,
                       override_reason=override_reason if overrides else None, **provenance_fields(ctx.by))
    return Recorded([post], last_event(post))


def abolish_post(command: AbolishPost, ctx: Context) -> Recorded:
    """撤销职位: refused while someone holds it on that date or later."""
    values = coerce(PostAbolished, command.payload)
    post = _post(ctx, command.unit_code, command.post_code)
    held = PostChange(post, post.occupancy, post.occupancy, tuple(post.establishment_schedule))
    guard = GuardContext(ctx.today, "PostAbolished", values, posts={(command.unit_code, command.post_code): held})
    decide(evaluate(guard, ctx.config), None, ctx.by)
    post.trigger_event(PostAbolished, **values, **provenance_fields(ctx.by))
    return Recorded([post], last_event(post))


def post_directory(ctx: Context, unit_code: str) -> UnitPosts:
    """The unit's post directory (a unit of an older store gets one now, from its log)."""
    return directory_of(ctx.uow.find, ctx.uow.app, unit_code, ctx.by)[0]


def record_assessment_participants(command: RecordAssessmentParticipants, ctx: Context) -> Recorded:
    """参加考核人数 of a unit's 年度考核: R-EXCELLENT-QUOTA counts 优秀 against it from now on."""
    payload = dict(command.payload)
    override_reason = payload.pop("override_reason", None)
    values = coerce(AssessmentParticipantsRecorded, {**payload, "unit_code": command.unit_code})
    book = RoundBook(ctx.uow.find, lambda code: directory_of(ctx.uow.find, ctx.uow.app, code, ctx.by))
    plan = ParticipantsPlan(book, values,
                            lambda c: quota_level(c.excellent, c.participants, ctx.config) != "within")
    guard = GuardContext(ctx.today, "AssessmentParticipantsRecorded", values,
                         units={command.unit_code: ctx.uow.find(Unit, ids.unit_id(command.unit_code))},
                         quota=plan.count, override_reason=override_reason)
    overrides = decide(evaluate(guard, ctx.config), override_reason, ctx.by)
    round_ = plan.commit(values, overrides, override_reason, ctx.by)
    return Recorded([round_], last_event(round_), {"unit_code": command.unit_code})
