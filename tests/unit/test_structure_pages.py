"""The structure pages' own logic: the Chinese half of a rule's message, the order of the structure's
figures, and the next rank as the default target of 资格测算."""

from __future__ import annotations

from api.pages.eligibility import _target, chinese
from api.pages.structure import dimensions


def test_the_english_half_of_a_message_is_dropped_even_with_chinese_words_and_brackets_inside_it() -> None:
    message = ("三级主任科员自2017-12-01起须满2年，优秀2年（2017、2019）各缩短6个月，2018-12-01起可晋升 "
               "(2 years at 三级主任科员 from 2017-12-01, shortened 6 months for each 优秀 year (2017, 2019): "
               "eligible from 2018-12-01)")
    assert chinese(message) == "三级主任科员自2017-12-01起须满2年，优秀2年（2017、2019）各缩短6个月，2018-12-01起可晋升"
    assert chinese("在职 (in service)") == "在职"


def test_a_message_without_an_english_half_is_kept_whole() -> None:
    assert chinese("处分影响期已于2018-11-09结束") == "处分影响期已于2018-11-09结束"
    assert chinese("某某 (甲)") == "某某 (甲)"
    assert chinese("(only english)") == "(only english)"
    assert chinese("未闭合 (x") == "未闭合 (x"


def test_structure_rows_follow_the_natural_order_with_shares_of_cadres_or_of_posts_held() -> None:
    found = {"cadres": 3, "posts_held": 4, "counts": {
        "age_band": {"56岁及以上": 1, "30岁及以下": 2}, "gender": {"女": 1, "男": 2}, "ethnicity": {},
        "education": {"大学本科毕业": 2, "研究生毕业": 1}, "political_status": {},
        "grade": {"科员级": 1, "乡科级副职": 3}, "rank": {"未定": 1, "一级科员": 1, "二级调研员": 1}}}
    dims = {d["key"]: d for d in dimensions(found)}
    assert [r["label"] for r in dims["age_band"]["rows"]] == ["30岁及以下", "56岁及以上"]
    assert [r["label"] for r in dims["gender"]["rows"]] == ["男", "女"]  # GB/T 2261.1 order
    assert [r["label"] for r in dims["rank"]["rows"]] == ["二级调研员", "一级科员", "未定"]
    assert [r["label"] for r in dims["grade"]["rows"]] == ["乡科级副职", "科员级"]
    assert [r["share"] for r in dims["grade"]["rows"]] == ["75.0%", "25.0%"]  # of the 4 posts held
    assert [r["share"] for r in dims["gender"]["rows"]] == ["66.7%", "33.3%"]  # of the 3 cadres
    assert dims["ethnicity"]["rows"] == []


def test_the_default_target_is_the_rank_just_above_and_there_is_none_above_the_highest() -> None:
    assert _target("", "四级主任科员") == ("三级主任科员", None, None)
    assert _target("", "一级巡视员") == (None, None, None)
    assert _target("", None) == (None, None, None)
    assert _target("U1/P1", "四级主任科员") == (None, ("U1", "P1"), None)
    assert _target("U1/P1/X", "四级主任科员") == (None, None, "请选择一个职级或职位")
