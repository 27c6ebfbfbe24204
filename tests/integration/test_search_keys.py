"""干部查询: 全拼, 首字母 and 公民身份号码 (the ``search`` projection), 现任单位及职务 by name, and the roster
as 干部名册 — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from jishi.bootstrap import Runtime
from service.commands import CorrectEntry, EstablishPost, RecordEntry, RegisterUnit
from tests import factories as f
from tests.conftest import RuntimeFactory

DAY = date(2024, 6, 1)


def two_huang_liu(runtime: Runtime) -> dict[str, f.UUID]:
    """Two 黄柳, one 城关镇副镇长 and one 组织部副部长, and 单雄信 with no post."""
    app = runtime.app
    app.handle(RegisterUnit(f.unit("ZZB", name="组织部", kind="党委部门")), f.HR)
    app.handle(RegisterUnit(f.unit("CGZ", name="城关镇", kind="乡镇")), f.HR)
    app.handle(EstablishPost("ZZB", f.post("P1", title="副部长")), f.HR)
    app.handle(EstablishPost("CGZ", f.post("P1", title="副镇长")), f.HR)
    ids = {"town": f.registered(app, "C1", name="黄柳"), "dept": f.registered(app, "C2", name="黄柳"),
           "shan": f.registered(app, "C3", name="单雄信")}
    app.handle(RecordEntry(ids["town"], "Appointed", f.appointment("2020-01-01", "CGZ")), f.HR)
    app.handle(RecordEntry(ids["dept"], "Appointed", f.appointment("2021-03-01", "ZZB")), f.HR)
    runtime.catch_up()
    return ids


def found(runtime: Runtime, q: str, **kw: object) -> list[dict[str, object]]:
    return list(runtime.read_models.search(q=q, as_of=DAY, **kw)["items"])


def test_full_pinyin_and_initials_find_both_people_of_the_same_name_told_apart_by_current_post(
        runtime: Runtime) -> None:
    ids = two_huang_liu(runtime)
    for q in ("huangliu", "HuangLiu", "huang liu", "hl", "huangl"):
        people = found(runtime, q)
        assert {p["cadre_id"] for p in people} == {str(ids["town"]), str(ids["dept"])}, q
    posts = {p["cadre_id"]: [(c["unit_name"], c["post_title"], c["since"]) for c in p["current_posts"]]
             for p in found(runtime, "hl")}
    assert posts == {str(ids["town"]): [("城关镇", "副镇长", "2020-01-01")],
                     str(ids["dept"]): [("组织部", "副部长", "2021-03-01")]}


def test_a_surname_is_searched_by_its_surname_reading(runtime: Runtime) -> None:
    ids = two_huang_liu(runtime)
    assert [p["cadre_id"] for p in found(runtime, "shanxiongxin")] == [str(ids["shan"])]
    assert [p["cadre_id"] for p in found(runtime, "sxx")] == [str(ids["shan"])]
    assert found(runtime, "danxiongxin") == []
    assert found(runtime, "shan")[0]["current_posts"] == []  # no post: nothing to show


def test_a_full_id_number_finds_exactly_its_cadre_and_a_part_of_one_finds_nobody(runtime: Runtime) -> None:
    ids = two_huang_liu(runtime)
    number = f.id_number_of("C2", date(1985, 6, 15))
    [person] = found(runtime, number)
    assert person["cadre_id"] == str(ids["dept"]) and person["id_number"] == number
    assert found(runtime, number[:17]) == []
    assert found(runtime, number[:6]) == []


def test_a_corrected_name_is_searched_by_its_new_pinyin_only(runtime: Runtime) -> None:
    ids = two_huang_liu(runtime)
    registration = next(iter(runtime.app.get_cadre(ids["town"]).entries))
    runtime.app.handle(CorrectEntry(ids["town"], registration, {"changes": {"name": "曾柳"}, "reason": "姓名录入有误"}),
                       f.HR)
    runtime.catch_up()
    assert [p["cadre_id"] for p in found(runtime, "hl")] == [str(ids["dept"])]
    assert [p["name"] for p in found(runtime, "zengliu")] == ["曾柳"]


def test_with_a_scope_only_the_current_posts_in_it_are_shown(runtime: Runtime) -> None:
    ids = two_huang_liu(runtime)
    runtime.app.handle(EstablishPost("ZZB", f.post("P2", title="部务委员", grade="141")), f.HR)
    runtime.app.handle(RecordEntry(ids["town"], "Appointed", f.appointment("2022-01-01", "ZZB", "P2",
                                                                            manner="兼任")), f.HR)
    runtime.catch_up()
    whole = {c["unit_name"] for p in found(runtime, "hl") for c in p["current_posts"]}
    assert whole == {"城关镇", "组织部"}
    [town] = found(runtime, "hl", scope=frozenset({"CGZ"}))
    assert [c["unit_name"] for c in town["current_posts"]] == ["城关镇"]


def test_read_models_built_before_the_search_projection_fill_it_when_opened(make_runtime: RuntimeFactory) -> None:
    runtime = make_runtime()
    ids = two_huang_liu(runtime)
    with runtime.runner.engine.begin() as conn:  # as an earlier version left them: no rm_search, no position
        conn.exec_driver_sql("DROP TABLE rm_search")
        conn.exec_driver_sql("DELETE FROM projection_position WHERE name = 'search'")
    upgraded = make_runtime()
    assert upgraded.runner.positions()["search"] == 0
    upgraded.catch_up()
    assert upgraded.runner.positions()["search"] == upgraded.runner.head()
    assert {p["cadre_id"] for p in found(upgraded, "hl")} == {str(ids["town"]), str(ids["dept"])}


def test_the_roster_carries_the_columns_of_a_cadre_register(runtime: Runtime) -> None:
    ids = two_huang_liu(runtime)
    runtime.app.handle(RegisterUnit(f.unit("CGZ-DZB", name="城关镇党政办", kind="事业单位", parent_code="CGZ")), f.HR)
    runtime.catch_up()
    roster = runtime.read_models.roster("ZZB", DAY, None)
    [holder] = roster["posts"][0]["holders"]
    assert holder["cadre_id"] == str(ids["dept"])
    assert {k: holder[k] for k in ("gender_label", "birth_date", "ethnicity_label", "education_label",
                                   "political_status_label", "since", "rank")} == {
        "gender_label": "女", "birth_date": "1985-06-15", "ethnicity_label": "汉族",
        "education_label": "大学本科毕业", "political_status_label": "中共党员", "since": "2021-03-01",
        "rank": "四级主任科员"}
    child = runtime.read_models.roster("CGZ-DZB", DAY, None)["unit"]
    assert (child["parent_code"], child["parent_name"]) == ("CGZ", "城关镇")
