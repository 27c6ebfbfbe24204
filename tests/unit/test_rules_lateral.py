"""R-LATERAL at its boundaries: a 平职交流 / 轮岗 / 调任 / 转任 may not rise above the level held that day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.cadre import EntryRecord
from domain.codes import GRADES, grade_level
from domain.rules.config import RuleConfig
from domain.rules.lateral import lateral, r_lateral
from tests import factories as f

CONFIG = RuleConfig.defaults()
DAY = timedelta(days=1)
START = date(2019, 3, 1)
MOVE = date(2023, 6, 1)
LATERAL = tuple(CONFIG.get("appointment.lateral_manners"))


def one_up(grade: str) -> str:
    return next(g for g in GRADES if grade_level(g) == grade_level(grade) + 1)


def one_down(grade: str) -> str:
    return next(g for g in GRADES if grade_level(g) == grade_level(grade) - 1)


def holding(grade: str, *, leadership: bool = True, start: date = START, end: date | None = None,
            rank: str = "一级科员") -> tuple[list[EntryRecord], dict[tuple[str, str], str], frozenset[tuple[str, str]]]:
    """A cadre of ``rank`` who holds post U1/OLD of ``grade`` from ``start`` (until ``end``)."""
    entries = [f.registration(date(2008, 7, 1), rank=rank),
               f.record("Appointed", start, unit_code="U1", post_code="OLD", manner="平职交流")]
    if end is not None:
        entries.append(f.record("Dismissed", end, unit_code="U1", post_code="OLD", reason="调动"))
    return entries, {("U1", "OLD"): grade}, frozenset({("U1", "OLD")}) if leadership else frozenset()


def move(world: tuple[list[EntryRecord], dict[tuple[str, str], str], frozenset[tuple[str, str]]], target: str,
         *, day: date = MOVE, manner: str = "平职交流", config: RuleConfig = CONFIG) -> list[str]:
    """R-LATERAL's messages for an appointment on ``day`` to U2/NEW of grade ``target``."""
    entries, grades, leading = world
    values: dict[str, Any] = {"effective_on": day, "unit_code": "U2", "post_code": "NEW", "manner": manner}
    ctx = f.judged(entries, "Appointed", values, target_post=f.post_of(target, "U2", "NEW"), post_grades=grades,
                   leading_posts=leading)
    return [v.message_zh for v in r_lateral(ctx, config)]


@pytest.mark.parametrize("manner", LATERAL)
def test_a_lateral_move_to_a_post_of_the_same_level_passes(manner: str) -> None:
    assert move(holding("142"), "142", manner=manner) == []


@pytest.mark.parametrize("manner", LATERAL)
def test_a_lateral_move_one_level_above_the_leadership_post_held_is_refused(manner: str) -> None:
    found = move(holding("142"), one_up("142"), manner=manner)
    assert len(found) == 1 and "变相提拔" in found[0] and manner in found[0]


def test_a_lateral_move_to_a_lower_level_passes() -> None:
    assert move(holding("141"), one_down("141")) == []


@pytest.mark.parametrize("manner", ["提拔", "破格提拔", "复职", "兼任"])
def test_manners_that_are_not_lateral_are_not_judged_by_this_rule(manner: str) -> None:
    assert move(holding("142"), "131", manner=manner) == []


def test_the_lateral_manners_come_from_the_configuration() -> None:
    narrower = RuleConfig.from_toml('[appointment]\nlateral_manners = ["平职交流"]\n')
    assert move(holding("142"), "141", manner="调任", config=narrower) == []
    assert move(holding("142"), "141", manner="平职交流", config=narrower)


def test_the_highest_leadership_post_held_that_day_governs() -> None:
    entries, grades, leading = holding("142")
    entries.append(f.record("Appointed", START, unit_code="U1", post_code="HIGH", manner="兼任"))
    world = (entries, {**grades, ("U1", "HIGH"): "141"}, leading | {("U1", "HIGH")})
    assert move(world, "141") == []
    assert move(world, "132")


def test_a_leadership_post_left_that_very_day_counts_and_one_left_the_day_before_does_not() -> None:
    """免职 and 任职 of one date are one move: the move is judged against the post it leaves."""
    assert move(holding("141", end=MOVE), "141") == []  # left on the day of the move
    left_before = move(holding("141", end=MOVE - DAY), "141")  # the rank (一级科员: 科员级) governs then
    assert len(left_before) == 1 and "职级一级科员" in left_before[0]


def test_a_post_taken_after_the_move_does_not_count() -> None:
    assert move(holding("141", start=MOVE + DAY), "141")


def test_without_a_leadership_post_the_level_of_the_rank_governs() -> None:
    """职务与职级并行规定 第二十一条: a rank moves to the leadership post of its corresponding level."""
    mapping = dict(CONFIG.get("promotion.rank_grade"))
    rank = "一级主任科员"
    level = mapping[rank]
    nobody: tuple[list[EntryRecord], dict[tuple[str, str], str], frozenset[tuple[str, str]]] = (
        [f.registration(rank=rank)], {}, frozenset())
    assert move(nobody, level) == []
    refused = move(nobody, one_up(level))
    assert len(refused) == 1 and f"职级{rank}相当的{GRADES[level]}" in refused[0]


def test_a_non_leadership_post_held_does_not_raise_the_level() -> None:
    """A 一级科员 in a 副主任科员-grade (142) non-leadership post is still at 科员级 for a lateral move."""
    assert move(holding("142", leadership=False, rank="一级科员"), "142")
    assert move(holding("142", leadership=False, rank="四级主任科员"), "142") == []


def test_a_leaders_rank_does_not_raise_the_level_held() -> None:
    """A 副镇长 (142) with the rank 一级主任科员 becomes 镇长 (141) by promotion, not by exchange."""
    assert move(holding("142", rank="一级主任科员"), "141")


def test_the_finding_explains_a_pass_in_both_languages() -> None:
    entries, grades, leading = holding("142")
    ctx = f.judged(entries, "Appointed", {"effective_on": MOVE, "unit_code": "U2", "post_code": "NEW",
                                          "manner": "轮岗"},
                   target_post=f.post_of("142", "U2", "NEW"), post_grades=grades, leading_posts=leading)
    found = lateral(ctx, CONFIG)
    assert found.violations == [] and "不高于" in found.note_zh and "not above" in found.note_en
