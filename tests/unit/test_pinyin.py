"""姓名的拼音与首字母: the search keys of a name, the surname read as a surname."""

from __future__ import annotations

import pytest

from projections.pinyin import fold_query, is_latin_query, name_keys


def test_a_name_gives_its_full_pinyin_and_initials() -> None:
    assert name_keys("黄柳") == ("huangliu", "hl")


@pytest.mark.parametrize(("name", "keys"), [
    ("单雄信", ("shanxiongxin", "sxx")),  # 单 as a surname is shàn, not dān
    ("曾国藩", ("zengguofan", "zgf")),  # 曾 zēng, not céng
    ("解放", ("xiefang", "xf")),  # 解 xiè, not jiě
    ("仇明", ("qiuming", "qm")),  # 仇 qiú, not chóu
    ("区伟", ("ouwei", "ow")),  # 区 ōu, not qū
])
def test_a_surname_with_a_surname_reading_is_read_as_a_surname(name: str, keys: tuple[str, str]) -> None:
    assert name_keys(name) == keys


def test_only_the_surname_is_read_as_a_surname_and_the_given_name_as_ordinary_text() -> None:
    assert name_keys("曾曾")[0] == "zengceng"  # the second 曾 is a given name: céng


def test_a_two_character_surname_is_read_as_a_whole() -> None:
    assert name_keys("万俟卨") == ("moqixie", "mqx")
    assert name_keys("尉迟恭") == ("yuchigong", "ycg")


def test_a_minority_name_with_a_middle_dot_keeps_letters_only() -> None:
    assert name_keys("阿依古丽·买买提") == ("ayigulimaimaiti", "ayglmmt")


def test_a_typed_query_is_folded_to_the_stored_form() -> None:
    assert fold_query("Huang Liu") == "huangliu"
    assert fold_query("xi'an") == "xian"


def test_only_letters_can_be_a_pinyin_query() -> None:
    assert is_latin_query("HL") and is_latin_query("huang liu")
    assert not is_latin_query("黄柳") and not is_latin_query("C1") and not is_latin_query("")
