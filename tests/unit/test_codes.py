"""Code tables (DOMAIN.md §3): GB/T 2261.1, 3304, 4762, 4658-2006, 12407 and the rank ladder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.codes import (
    CODE_TABLES,
    EDUCATION,
    ETHNICITY,
    GENDER,
    GRADES,
    POLITICAL_STATUS,
    POLITICAL_STATUS_FULL_NAMES,
    RANKS,
    CodeTable,
    education_category,
    grade_level,
    is_principal,
    label,
    rank_above,
    rank_below,
    rank_index,
    validate_code,
)

# --- the tables as a whole ---------------------------------------------------------------


def test_code_tables_are_keyed_by_field_name_and_name_their_standard() -> None:
    assert {name: table.standard for name, table in CODE_TABLES.items()} == {
        "gender": "GB/T 2261.1",
        "ethnicity": "GB/T 3304",
        "political_status": "GB/T 4762",
        "education": "GB/T 4658-2006",
        "grade": "GB/T 12407",
        "rank": "公务员职务与职级并行规定 (2019)",
    }
    for name, table in CODE_TABLES.items():
        assert isinstance(table, CodeTable)
        assert table.name == name
        assert table.title


def test_the_tables_cannot_be_modified() -> None:
    with pytest.raises(TypeError):
        ETHNICITY["99"] = "火星族"  # type: ignore[index]
    with pytest.raises(AttributeError):
        CODE_TABLES["gender"].standard = "x"  # type: ignore[misc]


def test_codes_are_matched_exactly_without_padding_or_trimming() -> None:
    assert validate_code("ethnicity", "01") is None
    assert validate_code("ethnicity", "1") is not None
    assert validate_code("ethnicity", " 01") is not None
    assert validate_code("ethnicity", 1) is not None
    assert validate_code("gender", None) is not None


def test_an_invalid_code_is_reported_in_chinese_and_english() -> None:
    assert validate_code("ethnicity", "99") == "民族代码无效 (invalid ethnicity code): '99'"
    assert validate_code("gender", "3") == "性别代码无效 (invalid gender code): '3'"
    assert validate_code("political_status", "14") == (
        "政治面貌代码无效 (invalid political status code): '14'"
    )
    assert validate_code("education", "50") == "学历代码无效 (invalid education code): '50'"


def test_label_returns_the_chinese_label_and_refuses_unknown_codes() -> None:
    assert label("ethnicity", "01") == "汉族"
    assert label("grade", "132") == "县处级副职"
    with pytest.raises(ValueError, match="invalid ethnicity code"):
        label("ethnicity", "99")


def test_an_unknown_table_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="unknown code table"):
        validate_code("blood_type", "A")
    with pytest.raises(KeyError):
        label("blood_type", "A")


@given(st.sampled_from(sorted(CODE_TABLES)), st.text(max_size=4))
def test_validate_code_and_label_agree_on_every_input(table_name: str, code: str) -> None:
    problem = validate_code(table_name, code)
    if code in CODE_TABLES[table_name].entries:
        assert problem is None
        assert label(table_name, code) == CODE_TABLES[table_name].entries[code]
    else:
        assert problem is not None
        with pytest.raises(ValueError):
            label(table_name, code)


# --- gender GB/T 2261.1 ---------------------------------------------------------------


def test_gender_has_the_four_codes_of_the_standard() -> None:
    assert dict(GENDER) == {"0": "未知", "1": "男", "2": "女", "9": "未说明"}


# --- ethnicity GB/T 3304 --------------------------------------------------------------


def test_ethnicity_has_the_56_nationalities_then_97_and_98_and_nothing_else() -> None:
    assert list(ETHNICITY) == [f"{n:02d}" for n in range(1, 57)] + ["97", "98"]
    assert ETHNICITY["97"] == "其他"
    assert ETHNICITY["98"] == "外国血统中国籍人士"
    nationalities = [ETHNICITY[f"{n:02d}"] for n in range(1, 57)]
    assert all(name.endswith("族") for name in nationalities)
    assert len(set(nationalities)) == 56


def test_ethnicity_follows_the_official_order() -> None:
    assert list(ETHNICITY.values())[:56] == [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
        "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
        "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
        "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
        "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
        "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族",
        "基诺族",
    ]  # fmt: skip


@pytest.mark.parametrize("code", ["00", "57", "96", "99", "59"])
def test_ethnicity_codes_outside_the_standard_are_refused(code: str) -> None:
    assert validate_code("ethnicity", code) is not None


# --- political status GB/T 4762 -------------------------------------------------------


def test_political_status_has_the_thirteen_codes_of_the_standard() -> None:
    assert dict(POLITICAL_STATUS) == {
        "01": "中共党员",
        "02": "中共预备党员",
        "03": "共青团员",
        "04": "民革会员",
        "05": "民盟盟员",
        "06": "民建会员",
        "07": "民进会员",
        "08": "农工党党员",
        "09": "致公党党员",
        "10": "九三学社社员",
        "11": "台盟盟员",
        "12": "无党派民主人士",
        "13": "群众",
    }
    assert list(POLITICAL_STATUS_FULL_NAMES) == list(POLITICAL_STATUS)
    assert POLITICAL_STATUS_FULL_NAMES["01"] == "中国共产党党员"


# --- education GB/T 4658-2006 ---------------------------------------------------------


@pytest.mark.parametrize("code", ["11", "14", "21", "31", "41", "61", "71", "90"])
def test_the_education_codes_named_in_the_domain_are_accepted(code: str) -> None:
    assert validate_code("education", code) is None


def test_education_reproduces_the_whole_standard() -> None:
    assert list(EDUCATION) == [
        "10", "11", "12", "13", "14", "15", "16", "17", "18", "19",
        "20", "21", "22", "23", "28",
        "30", "31", "32", "33",
        "40", "41", "42", "43", "44", "45", "46", "47", "48", "49",
        "60", "61", "62", "63",
        "70", "71", "73",
        "80", "81", "83",
        "90",
    ]  # fmt: skip
    assert EDUCATION["11"] == "博士研究生毕业"
    assert EDUCATION["14"] == "硕士研究生毕业"
    assert EDUCATION["19"] == "研究生班肄业"
    assert EDUCATION["28"] == "大学普通班毕业"
    assert EDUCATION["31"] == "大学专科毕业"
    assert EDUCATION["41"] == "中等专科毕业"
    assert EDUCATION["47"] == "技工学校毕业"
    assert EDUCATION["61"] == "普通高中毕业"
    assert EDUCATION["73"] == "初中肄业"
    assert EDUCATION["90"] == "其他"


def test_every_education_code_belongs_to_a_category_of_the_table() -> None:
    categories = {code for code in EDUCATION if code.endswith("0")}
    assert categories == {"10", "20", "30", "40", "60", "70", "80", "90"}
    for code in EDUCATION:
        assert education_category(code) in categories
    assert education_category("14") == "10"
    assert education_category("90") == "90"
    with pytest.raises(ValueError):
        education_category("50")


# --- post grades GB/T 12407 -----------------------------------------------------------


def test_grades_are_the_ten_post_levels_of_the_domain() -> None:
    assert list(GRADES) == ["111", "112", "121", "122", "131", "132", "141", "142", "150", "160"]
    assert GRADES["131"] == "县处级正职"
    assert GRADES["160"] == "办事员级"


def test_grade_levels_follow_the_code_order_from_most_to_least_senior() -> None:
    levels = [grade_level(code) for code in GRADES]
    assert levels == sorted(levels, reverse=True)
    assert len(set(levels)) == len(levels)


def test_deputy_to_principal_of_the_same_tier_is_one_grade_level() -> None:
    assert grade_level("131") - grade_level("132") == 1
    assert grade_level("141") - grade_level("142") == 1
    assert grade_level("111") - grade_level("112") == 1


def test_lower_principal_to_higher_deputy_is_one_grade_level() -> None:
    assert grade_level("132") - grade_level("141") == 1
    assert grade_level("122") - grade_level("131") == 1
    assert grade_level("112") - grade_level("121") == 1


def test_a_township_deputy_to_county_deputy_crosses_two_levels() -> None:
    assert grade_level("132") - grade_level("142") == 2


def test_only_the_four_principal_grades_are_principal() -> None:
    assert [code for code in GRADES if is_principal(code)] == ["111", "121", "131", "141"]


def test_grade_helpers_refuse_unknown_codes() -> None:
    with pytest.raises(ValueError, match="invalid grade code"):
        grade_level("133")
    with pytest.raises(ValueError):
        is_principal("999")


# --- rank ladder ----------------------------------------------------------------------


def test_the_rank_ladder_is_exactly_as_listed_in_the_domain() -> None:
    assert RANKS == (
        "一级巡视员",
        "二级巡视员",
        "一级调研员",
        "二级调研员",
        "三级调研员",
        "四级调研员",
        "一级主任科员",
        "二级主任科员",
        "三级主任科员",
        "四级主任科员",
        "一级科员",
        "二级科员",
    )


def test_rank_index_counts_from_the_highest_rank() -> None:
    assert rank_index("一级巡视员") == 0
    assert rank_index("四级主任科员") == 9
    assert rank_index("二级科员") == 11


def test_rank_below_and_above_walk_the_ladder_and_stop_at_its_ends() -> None:
    assert rank_below("一级科员") == "二级科员"
    assert rank_below("四级主任科员") == "一级科员"
    assert rank_below("二级科员") is None
    assert rank_above("一级科员") == "四级主任科员"
    assert rank_above("一级巡视员") is None
    for rank in RANKS:
        below = rank_below(rank)
        if below is not None:
            assert rank_above(below) == rank


def test_an_unknown_rank_is_refused() -> None:
    with pytest.raises(ValueError, match="invalid rank code"):
        rank_index("三级科员")
    with pytest.raises(ValueError):
        rank_below("科员")
    assert validate_code("rank", "一级科员") is None
    assert validate_code("rank", "三级科员") is not None
