"""The import page (through the pages' one chinese_only) shows the Chinese half of each "中文 (English)"
message (the API keeps both)."""

from __future__ import annotations

import pytest

from api.pages.render import chinese_only as chinese


@pytest.mark.parametrize(("message", "shown"), [
    ("月份不存在：1985年13月 (no such month)", "月份不存在：1985年13月"),
    ("单位不存在 (no such unit): U1", "单位不存在: U1"),
    ("须填“是”或“否”，不能为 x (must be yes or no)", "须填“是”或“否”，不能为 x"),
    ("属变相提拔 (a move one level up — a promotion in disguise)", "属变相提拔"),
    ("分类划档须为 1–4（第 5 档不存在）", "分类划档须为 1–4（第 5 档不存在）"),
    ("第(1)项", "第(1)项"),
])
def test_the_english_half_of_a_message_is_left_off_and_chinese_parentheses_stay(message: str, shown: str) -> None:
    assert chinese(message) == shown
