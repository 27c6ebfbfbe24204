"""Guards of the core record (DOMAIN.md §6.1): R-ID, R-SEQ, R-FUTURE, R-EST.

Each is a pure function of a ``GuardContext`` and the ``RuleConfig`` returning the
violations it finds (empty when the entry passes). They never raise and never know HTTP.
"""

from __future__ import annotations

from datetime import date

from domain.codes import validate_code
from domain.errors import Violation
from domain.identity import validate_id_number
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext, PostChange
from domain.rules.registry import guard


@guard("R-ID", "身份证号与代码有效", "valid ID number and codes",
    source="GB 11643",
    judges="every entry and case step: the 公民身份号码 (GB 11643, consistent with the birth date, held by no other "
           "cadre) and the codes of §3",
    overridable=False)
def r_id(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    """ID number valid (GB 11643) and consistent with birth_date; codes from §3 tables."""
    found: list[Violation] = []
    for name, table in ctx.code_fields.items():
        value = ctx.values.get(name)
        if value is None:
            continue
        problem = validate_code(table, str(value))
        if problem:
            found.append(Violation("R-ID", problem, problem, name))
    if "id_number" in ctx.values:
        birth = ctx.values.get("birth_date")
        for problem in validate_id_number(str(ctx.values["id_number"]),
                                          birth if isinstance(birth, date) else None):
            found.append(Violation("R-ID", problem, problem, "id_number"))
    return found


@guard("R-SEQ", "与纪实记录前后一致", "consistent with the record",
    source="—",
    judges="every entry and case step: consistent with the record; the order of the procedure, an appointment's "
           "case, the posts an appointment ends",
    retractions=True,
    overridable=False)
def r_seq(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    """R-SEQ of the record (``record_sequence``) and of the selection procedure (``case_sequence``)."""
    from domain.rules.procedure import case_sequence  # declared after the record's own guards

    return record_sequence(ctx, config) + case_sequence(ctx, config)


def record_sequence(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    """The entry is consistent with the stream: post exists, dismissal matches a held post,
    nothing after departure, a secondment end matches a start."""
    found: list[Violation] = []
    if ctx.void:
        found.append(Violation("R-SEQ", "该干部建档记录已撤销", "the cadre's registration was retracted"))
    if ctx.new_entry and ctx.departed:
        found.append(Violation("R-SEQ", "干部已离职，只能更正或撤销记录",
                               "the cadre has departed: only corrections and retractions"))
    if ctx.before is not None and ctx.after is not None:
        old = {p.key for p in ctx.before.problems}
        for p in ctx.after.problems:
            if p.key not in old:
                found.append(Violation("R-SEQ", p.message_zh, p.message_en, p.field))
    day = ctx.values.get("effective_on")
    if ctx.entry_type == "PostAbolished":
        return found + _still_held(ctx, day)
    for (unit_code, post_code), change in ctx.posts.items():
        post = change.post
        if post is None:
            found.append(Violation("R-SEQ", f"职位不存在：{unit_code}/{post_code}",
                                   f"no such post: {unit_code}/{post_code}", "post_code"))
            continue
        for cadre_id, tenures in change.occupancy_after.items():
            if tenures == change.occupancy_before.get(cadre_id, ()):
                continue
            for start, _end in tenures:
                if not post.exists_on(start):
                    found.append(Violation(
                        "R-SEQ", f"职位{unit_code}/{post_code}在{start}未设立或已撤销",
                        f"post {unit_code}/{post_code} does not exist on {start}", "post_code"))
    for code, unit in ctx.units.items():
        if unit is None:
            found.append(Violation("R-SEQ", f"单位不存在：{code}", f"no such unit: {code}",
                                   "unit_code"))
        elif isinstance(day, date) and not unit.exists_on(day):
            found.append(Violation("R-SEQ", f"单位{code}在{day}已撤销",
                                   f"unit {code} is dissolved on {day}", "unit_code"))
    return found


def _still_held(ctx: GuardContext, day: object) -> list[Violation]:
    """A post is abolished only when no one holds it on that day or later."""
    for change in ctx.posts.values():
        occupancy = change.occupancy_after
        if isinstance(day, date) and any(end is None or day < end for tenures in occupancy.values()
                                         for _start, end in tenures):
            return [Violation("R-SEQ", "职位仍有在任人员，须先免职",
                              "the post is still held: dismiss its holders first", "effective_on")]
    return []


@guard("R-FUTURE", "生效日期不得晚于今天", "effective date not in the future",
    source="—",
    judges="every entry and case step (planned end dates excepted)",
    overridable=False)
def r_future(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    """Effective dates are not after today (planned end dates excepted)."""
    found: list[Violation] = []
    for name, value in ctx.values.items():
        if name in ctx.planned_fields or not isinstance(value, date):
            continue
        if value > ctx.today:
            found.append(Violation(
                "R-FUTURE", f"{name}（{value}）晚于今天（{ctx.today}）",
                f"{name} {value} is after today {ctx.today}", name))
    return found


def _over_days(change: PostChange, occupancy: object) -> set[date]:
    assert isinstance(occupancy, dict)
    starts = {s for tenures in occupancy.values() for s, _ in tenures}
    starts |= {since for since, _ in change.schedule_after}
    over: set[date] = set()
    for day in starts:
        held = sum(1 for tenures in occupancy.values() for s, e in tenures
                   if s <= day and (e is None or day < e))
        limit = 0
        for since, number in change.schedule_after:
            if since <= day:
                limit = number
        if held > limit:
            over.add(day)
    return over


@guard("R-EST", "不得超职数配备", "never over the establishment (职数)",
    source="超职数配备 is a named violation",
    judges="appointments, establishment changes, and what a correction or retraction does to a post's holders",
    retractions=True)
def r_est(ctx: GuardContext, config: RuleConfig) -> list[Violation]:
    """A post never holds more cadres than its establishment (职数) on any day."""
    found: list[Violation] = []
    for (unit_code, post_code), change in ctx.posts.items():
        if change.post is None:
            continue
        after = _over_days(change, dict(change.occupancy_after))
        if not after:
            continue
        # Only what this command makes worse: days newly over, or fuller than before.
        before = _over_days(change, dict(change.occupancy_before))
        worse = sorted(after - before) or [
            d for d in sorted(after)
            if _count(change.occupancy_after, d) > _count(change.occupancy_before, d)
        ]
        if worse:
            day = worse[0]
            found.append(Violation(
                "R-EST", f"{unit_code}/{post_code}在{day}超职数配备",
                f"{unit_code}/{post_code} would exceed its establishment on {day}", "post_code"))
    return found


def _count(occupancy: object, day: date) -> int:
    assert isinstance(occupancy, dict)
    return sum(1 for tenures in occupancy.values() for s, e in tenures
               if s <= day and (e is None or day < e))
