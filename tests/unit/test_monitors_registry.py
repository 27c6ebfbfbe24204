"""The registry: one function per monitor of §6.2, R-OVERRIDE, and properties of cadre_findings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.monitors.facts import EntryFact, status_on
from domain.monitors.registry import MONITOR_FUNCTIONS, cadre_findings
from domain.rules.catalog import MONITORS, RULES
from tests.unit.test_monitors_support import CADRE, CONFIG, DAY, POSTS, appointed, of_rule, only, registered, run

ON = date(2020, 3, 10)
REG = registered(date(2015, 1, 1))
CALENDAR_RULES = {"R-TRAIN-HOURS", "R-PERSONAL-MATTERS"}


def test_every_monitor_of_the_catalog_has_exactly_one_function() -> None:
    assert set(MONITOR_FUNCTIONS) == {r.id for r in MONITORS}
    assert all(callable(f) for f in MONITOR_FUNCTIONS.values())


def test_an_entry_stored_with_an_override_is_an_overridden_finding_from_its_date() -> None:
    forced = appointed(ON, post="HEAD", manner="提拔", overrides=("R-EST", "R-SANCTION-PERIOD"))
    fact = only(run([REG, forced]), "R-OVERRIDE")
    assert (fact.key, fact.evidence, fact.unit_code, fact.due_on) == (str(forced.entry_id), (forced.entry_id,), "U1",
                                                                     None)
    assert "R-EST" in fact.detail and "R-SANCTION-PERIOD" in fact.detail
    assert [status_on(fact, d) for d in (ON - DAY, ON, ON + DAY)] == [None, "overridden", "overridden"]


def test_retracting_the_overriding_entry_withdraws_the_override_finding() -> None:
    forced = appointed(ON, post="HEAD", overrides=("R-EST",))
    assert len(of_rule(run([REG, forced]), "R-OVERRIDE")) == 1
    assert of_rule(run([REG]), "R-OVERRIDE") == []


def test_entries_without_override_are_not_override_findings() -> None:
    assert of_rule(run([REG, appointed(ON)]), "R-OVERRIDE") == []


# — properties over arbitrary records —

DATES = st.dates(date(2008, 1, 1), date(2032, 12, 31))
UNIT_POSTS = st.sampled_from(sorted(POSTS))


def _entry(type_: str, on: date, overrides: tuple[str, ...], **values: object) -> EntryFact:
    return EntryFact(uuid4(), type_, on, values, overrides)


@st.composite
def records(draw: st.DrawFn) -> list[EntryFact]:
    reg_on = draw(DATES)
    out = [_entry("CadreRegistered", reg_on, (), entry_channel=draw(st.sampled_from(["考试录用", "调任"])),
                  rank=draw(st.sampled_from(["一级科员", "一级主任科员", "四级调研员", "一级巡视员"])))]
    overrides = st.sampled_from([(), (), ("R-EST",)])
    for _ in range(draw(st.integers(0, 18))):
        on = draw(DATES)
        kind = draw(st.sampled_from([
            "Appointed", "Dismissed", "Departed", "ConversationHeld", "TrainingCompleted", "Assessed",
            "SecondmentStarted", "SecondmentEnded", "PoolEntered", "PoolReviewed", "PoolExited", "Commended",
            "ConcernRaised", "HardshipRecorded", "Sanctioned", "ProbationConcluded", "PersonalMattersReported",
            "RankPromoted"]))
        unit_code, post_code = draw(UNIT_POSTS)
        earlier = [e.entry_id for e in out]
        values: dict[str, object] = {}
        if kind == "Appointed":
            values = {"unit_code": unit_code, "post_code": post_code,
                      "manner": draw(st.sampled_from(["提拔", "破格提拔", "平职交流", "轮岗"]))}
        elif kind == "Dismissed":
            values = {"unit_code": unit_code, "post_code": post_code,
                      "reason": draw(st.sampled_from(["调动", "提拔", "退休"]))}
        elif kind == "Departed":
            values = {"reason": draw(st.sampled_from(["辞退", "辞职", "死亡"]))}
        elif kind == "ConversationHeld":
            values = {"kind": draw(st.sampled_from(["五必谈", "任前谈话", "离任谈话", "提任回访", "诫勉谈话"])),
                      "trigger": draw(st.sampled_from([None, "提拔交流调整", "苗头问题", "离任", "重大困难"])),
                      "trigger_entry_id": draw(st.sampled_from([None, *earlier]))}
        elif kind == "TrainingCompleted":
            values = {"kind": draw(st.sampled_from(["初任培训", "任职培训", "在职培训"])),
                      "hours": Decimal(draw(st.integers(1, 300))), "passed": draw(st.booleans()),
                      "makeup": draw(st.booleans())}
        elif kind == "Assessed":
            values = {"kind": "年度", "period": str(draw(st.integers(2008, 2032))),
                      "grade": draw(st.sampled_from(["优秀", "称职", "不称职"]))}
        elif kind == "SecondmentStarted":
            values = {"kind": "下挂", "host": "某镇", "role": "副镇长",
                      "planned_end_on": on + timedelta(days=draw(st.integers(0, 900)))}
        elif kind == "SecondmentEnded":
            values = {"secondment_entry_id": draw(st.sampled_from(earlier))}
        elif kind.startswith("Pool"):
            values = {"pool": draw(st.sampled_from(["后备干部库", "年轻干部库", "女干部库"])),
                      "outcome": draw(st.sampled_from(["保留", "调整出库"])), "reason": "提拔使用"}
        elif kind == "Sanctioned":
            values = {"track": "政务", "kind": draw(st.sampled_from(["警告", "记过"])), "decision_no": "d"}
        elif kind == "Commended":
            values = {"kind": draw(st.sampled_from(["记三等功", "嘉奖"]))}
        elif kind == "ProbationConcluded":
            values = {"post_code": post_code, "unit_code": draw(st.sampled_from([None, unit_code])), "outcome": "胜任"}
        elif kind == "PersonalMattersReported":
            values = {"year": draw(st.integers(2008, 2032))}
        elif kind == "RankPromoted":
            values = {"from_rank": "一级科员", "to_rank": draw(st.sampled_from(["一级主任科员", "四级调研员"]))}
        out.append(_entry(kind, on, draw(overrides), **values))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), DATES)
def test_cadre_findings_are_deterministic_and_only_name_catalog_monitors(entries: list[EntryFact],
                                                                         horizon: date) -> None:
    first = cadre_findings(CADRE, entries, POSTS, CONFIG, horizon)
    again = cadre_findings(CADRE, list(entries), dict(POSTS), CONFIG, horizon)
    assert first == again
    ids = {e.entry_id for e in entries}
    for fact in first:
        assert fact.rule in RULES and RULES[fact.rule].kind == "monitor"
        assert fact.cadre_id == CADRE and fact.key
        assert set(fact.evidence) <= ids and set(fact.resolution) <= ids
        assert fact.due_on is None or fact.due_on >= fact.trigger_on
        assert (fact.resolved_on is None) == (fact.resolution == ()) or fact.rule == "R-ROTATE"
    assert len({(f.rule, f.key) for f in first}) == len(first)


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), DATES, DATES)
def test_only_calendar_monitors_depend_on_the_horizon(entries: list[EntryFact], one: date, other: date) -> None:
    def event_driven(horizon: date) -> list[object]:
        return [f for f in cadre_findings(CADRE, entries, POSTS, CONFIG, horizon) if f.rule not in CALENDAR_RULES]

    assert event_driven(one) == event_driven(other)


def test_a_cadre_without_entries_has_no_findings() -> None:
    assert cadre_findings(UUID(int=3), [], POSTS, CONFIG, date(2024, 12, 31)) == []
