"""What HR's entry forms offer to choose (``api.pages.choices``), over the read models on both backends."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from api.pages import choices
from domain.identity import make_id_number
from domain.users import Principal
from jishi.bootstrap import Runtime
from service.commands import EstablishPost, OpenCase, RecordCaseStep, RecordEntry, RegisterUnit, RetractCaseStep
from tests import factories as f

WHOLE = Principal("hr-whole", "hr", True)
DAY = date(2024, 3, 1)
AFTER_SHORTLIST = ("Inspected", "档案审核", "个人事项核查", "纪检意见", "信访查核", "IntegrityOpinionSigned", "Decided")


def _county(runtime: Runtime) -> None:
    """Z 县委 (党委部门) above: Y 县政府办 (政府部门) and A 组织部 (党委部门); X 镇 (乡镇) alone."""
    app = runtime.app
    app.handle(RegisterUnit(f.unit("Z", name="县委", kind="党委部门")), f.HR)
    app.handle(RegisterUnit(f.unit("Y", name="县政府办", kind="政府部门", parent_code="Z")), f.HR)
    app.handle(RegisterUnit(f.unit("A", name="组织部", kind="党委部门", parent_code="Z")), f.HR)
    app.handle(RegisterUnit(f.unit("X", name="某镇", kind="乡镇")), f.HR)
    app.handle(EstablishPost("A", f.post("P1", title="副部长", establishment=2)), f.HR)
    app.handle(EstablishPost("A", f.post("P2", title="部长")), f.HR)
    app.handle(EstablishPost("X", f.post("P1", title="副镇长")), f.HR)


def test_units_are_listed_parent_before_children_party_before_government_and_only_within_the_scope(
        runtime: Runtime) -> None:
    _county(runtime)
    runtime.catch_up()
    listed = choices.units(runtime, WHOLE, DAY)
    assert [(u.code, u.depth) for u in listed] == [("Z", 0), ("A", 1), ("Y", 1), ("X", 0)]
    assert choices.unit_options(listed)[1] == ("A", "\u3000组织部")
    scoped = Principal("hr-a", "hr", False, scopes=frozenset({"A"}))
    assert [u.code for u in choices.units(runtime, scoped, DAY)] == ["A"]


def test_each_post_says_who_holds_it_and_how_many_seats_are_vacant_on_the_day(runtime: Runtime) -> None:
    _county(runtime)
    wang = f.registered(runtime.app, "C1")
    runtime.app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01", "A", "P1")), f.HR)
    runtime.catch_up()
    groups = choices.post_groups(runtime, choices.units(runtime, WHOLE, DAY), DAY)
    assert [g.key for g in groups] == ["A", "X"]  # units without posts have no group
    assert groups[0].options == [("P1", "副部长（现任：王芳，缺额1）", False), ("P2", "部长（缺额1）", False)]
    before = choices.post_groups(runtime, choices.units(runtime, WHOLE, date(2019, 12, 31)), date(2019, 12, 31))
    assert before[0].options[0] == ("P1", "副部长（缺额2）", False)


def test_a_case_is_offered_to_the_cadre_it_concluded_for_and_not_once_they_stand_appointed_from_it(
        runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    wang = f.registered(app, "C1")
    case_id = f.completed_case(app, wang, date(2023, 3, 1))
    runtime.catch_up()
    cadre = app.get_cadre(wang)
    offered = choices.open_cases(runtime, WHOLE, cadre, DAY, {"U1": "单位U1"})
    assert [(c.case_id, c.standing) for c in offered] == [(case_id, "已决定任用")]
    assert offered[0].label.startswith("单位U1副部长 · 民主推荐 · ") and "动议 · 本人：已决定任用" in offered[0].label
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2023-03-01", manner="提拔",
                                                            selection_case_id=str(case_id))), f.HR)
    assert choices.open_cases(runtime, WHOLE, app.get_cadre(wang), DAY, {}) == []


def test_a_case_concluded_for_others_or_refused_for_this_cadre_is_offered_only_once_that_conclusion_is_retracted(
        runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    wang, li = f.registered(app, "C1"), f.registered(app, "C2")
    for_li = f.completed_case(app, li, date(2023, 3, 1))  # concluded 任用 for 李 only: not open for 王
    refused = UUID(app.handle(OpenCase(f.case_payload("2023-04-03")), f.HR).extra["case_id"])
    f.case_through_decision(app, refused, wang, date(2023, 5, 4), skip=AFTER_SHORTLIST)
    app.handle(RecordCaseStep(refused, "CaseConcluded", {"effective_on": "2023-05-04", "cadre_id": str(wang),
                                                         "outcome": "不予任用"}), f.HR)
    shortlisted = UUID(app.handle(OpenCase(f.case_payload("2023-06-01")), f.HR).extra["case_id"])
    f.case_through_decision(app, shortlisted, wang, date(2023, 6, 30), skip=AFTER_SHORTLIST)
    untouched = UUID(app.handle(OpenCase(f.case_payload("2023-07-03")), f.HR).extra["case_id"])
    runtime.catch_up()
    offered = choices.open_cases(runtime, WHOLE, app.get_cadre(wang), DAY, {})
    assert [(c.case_id, c.standing) for c in offered] == [(shortlisted, "考察对象"), (untouched, "未列为考察对象")]
    concluded = app.get_case(for_li).latest("CaseConcluded")
    assert concluded is not None
    app.handle(RetractCaseStep(for_li, concluded.entry_id, {"reason": "误录"}), f.HR)  # open again
    runtime.catch_up()
    reopened = choices.open_cases(runtime, WHOLE, app.get_cadre(wang), DAY, {})
    assert [c.case_id for c in reopened] == [shortlisted, untouched, for_li]
    elsewhere = Principal("hr-x", "hr", False, scopes=frozenset({"X"}))
    app.handle(RegisterUnit(f.unit("X")), f.HR)
    runtime.catch_up()
    assert choices.open_cases(runtime, elsewhere, app.get_cadre(wang), DAY, {}) == []


def test_a_case_named_in_the_link_is_found_in_scope_and_a_malformed_or_unknown_id_is_none(
        runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    wang = f.registered(app, "C1")
    case_id = UUID(app.handle(OpenCase(f.case_payload("2023-06-01", exceptional=True)), f.HR).extra["case_id"])
    runtime.catch_up()
    cadre = app.get_cadre(wang)
    found = choices.case_for(runtime, WHOLE, cadre, str(case_id), DAY, {})
    assert found is not None and found.exceptional and (found.unit_code, found.post_code) == ("U1", "P1")
    assert choices.case_for(runtime, WHOLE, cadre, "not-a-uuid", DAY, {}) is None
    assert choices.case_for(runtime, WHOLE, cadre, str(UUID(int=7)), DAY, {}) is None
    chosen = choices.entry_choices(runtime, WHOLE, cadre, "Appointed",
                                   {"unit_code", "post_code", "selection_case_id"}, DAY, str(case_id))
    assert chosen.defaults == {"selection_case_id": str(case_id), "unit_code": "U1", "post_code": "P1",
                               "manner": "破格提拔"}
    assert chosen.case_posts == {str(case_id): "U1/P1"}


def test_the_former_rank_is_the_rank_the_record_gives_on_the_day(runtime: Runtime) -> None:
    app = runtime.app
    wang = f.registered(app, "C1", rank="一级科员")
    app.handle(RecordEntry(wang, "RankPromoted", {"effective_on": "2022-01-01", "from_rank": "一级科员",
                                                  "to_rank": "四级主任科员"}), f.HR)
    cadre = app.get_cadre(wang)
    assert choices.current_rank(cadre, date(2021, 12, 31)) == "一级科员"
    assert choices.current_rank(cadre, date(2022, 1, 1)) == "四级主任科员"
    assert choices.entry_choices(runtime, WHOLE, cadre, "RankPromoted", {"from_rank", "to_rank"},
                                 date(2022, 1, 1)).defaults == {"from_rank": "四级主任科员"}


def test_an_id_number_gives_its_birth_date_and_gender_and_a_malformed_one_gives_nothing() -> None:
    number = make_id_number("110105", date(1990, 2, 28), "043")  # sequence 043: odd, 男
    assert choices.from_id_number(f" {number} ") == {"birth_date": "1990-02-28", "gender": "1"}
    assert choices.from_id_number(make_id_number("110105", date(1991, 1, 2), "042"))["gender"] == "2"
    assert choices.from_id_number("11010519900230043X") == {}  # 30 February
    assert choices.from_id_number("1101051990") == {}


def test_a_mentor_is_chosen_by_name_and_post_among_those_in_post_and_ending_offers_the_mentors_of_the_day(
        runtime: Runtime) -> None:
    app = runtime.app
    _county(runtime)
    wang = f.registered(app, "C1")
    zhao = f.registered(app, "C2", name="赵刚")
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01", "A", "P1")), f.HR)
    app.handle(RecordEntry(zhao, "Appointed", f.appointment("2020-01-01", "A", "P2")), f.HR)
    app.handle(RecordEntry(wang, "MentorAssigned", {"effective_on": "2021-01-01", "mentor_cadre_id": str(zhao),
                                                    "role": "业务导师"}), f.HR)
    runtime.catch_up()
    cadre = app.get_cadre(wang)
    assigned = choices.entry_choices(runtime, WHOLE, cadre, "MentorAssigned", {"mentor_cadre_id"}, DAY)
    assert assigned.references["mentor_cadre_id"] == [(str(zhao), "赵刚（组织部部长）")]  # not the cadre herself
    released = choices.entry_choices(runtime, WHOLE, cadre, "MentorReleased", {"mentor_cadre_id"}, DAY)
    assert released.references["mentor_cadre_id"] == [(str(zhao), "赵刚（组织部部长）")]
    before = choices.entry_choices(runtime, WHOLE, cadre, "MentorReleased", {"mentor_cadre_id"}, date(2020, 6, 1))
    assert before.references["mentor_cadre_id"] == []


def test_a_mentor_or_case_the_form_holds_but_no_longer_offers_is_kept_by_its_name(runtime: Runtime) -> None:
    app = runtime.app
    _county(runtime)
    wang, zhao = f.registered(app, "C1"), f.registered(app, "C2", name="赵刚")
    app.handle(RecordEntry(zhao, "Appointed", f.appointment("2020-01-01", "A", "P2")), f.HR)
    app.handle(RecordEntry(zhao, "Dismissed", f.dismissal("2022-01-01", "A", "P2")), f.HR)
    refused = UUID(app.handle(OpenCase(f.case_payload("2023-06-01", "A", "P2")), f.HR).extra["case_id"])
    f.case_through_decision(app, refused, wang, date(2023, 6, 30), skip=AFTER_SHORTLIST)
    app.handle(RecordCaseStep(refused, "CaseConcluded", {"effective_on": "2023-07-03", "cadre_id": str(wang),
                                                         "outcome": "缓议"}), f.HR)
    runtime.catch_up()
    cadre = app.get_cadre(wang)
    held = {"mentor_cadre_id": str(zhao), "selection_case_id": str(refused)}
    mentor = choices.entry_choices(runtime, WHOLE, cadre, "MentorAssigned", {"mentor_cadre_id"}, DAY)
    assert mentor.references["mentor_cadre_id"] == []  # 赵刚 holds no post on the day
    kept = choices.entry_choices(runtime, WHOLE, cadre, "MentorAssigned", {"mentor_cadre_id"}, DAY, current=held)
    assert kept.references["mentor_cadre_id"] == [(str(zhao), "赵刚")]
    names = {"unit_code", "post_code", "selection_case_id"}
    assert choices.entry_choices(runtime, WHOLE, cadre, "Appointed", names, DAY).references["selection_case_id"] == []
    offered = choices.entry_choices(runtime, WHOLE, cadre, "Appointed", names, DAY, current=held)
    [(value, label)] = offered.references["selection_case_id"]
    assert value == str(refused)
    assert label == "组织部部长 · 民主推荐 · 2023-06-01动议 · 本人：该选任未以任用本人结束"
