"""任…免… (``Appointed.ends_posts``): the input checks, the reason by manner, and the folds of the
record — the domain's and the monitors' timeline — ending the same posts on the same day."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.appointment import post_key, settle, settle_changes
from domain.errors import ValidationError
from domain.history import derive
from domain.rules.config import ConfigError, RuleConfig
from tests import factories as f

CONFIG = RuleConfig.defaults()
MOVE = date(2023, 6, 1)


def move(**extra: Any) -> dict[str, Any]:
    return {"effective_on": MOVE, "unit_code": "U2", "post_code": "NEW", "manner": "平职交流", **extra}


def errors(values: dict[str, Any], **kw: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as e:
        settle(values, CONFIG, **kw)
    return [(x.loc, x.msg) for x in e.value.errors]


def test_a_post_is_named_as_unit_slash_post() -> None:
    assert post_key("U1/P1") == ("U1", "P1") and post_key(" U1 / P1 ") == ("U1", "P1")
    assert [post_key(t) for t in ("U1", "U1/", "/P1", "U1/P1/X", 7)] == [None] * 5


def test_the_reason_for_the_posts_ended_follows_the_manner_from_the_configuration() -> None:
    reasons = dict(CONFIG.get("appointment.ends_reason"))
    for manner, reason in reasons.items():
        assert settle(move(manner=manner, ends_posts=("U1/P1",)), CONFIG)["ends_reason"] == reason
    assert reasons["提拔"] == "提拔" and reasons["平职交流"] == "调动"
    assert settle(move(ends_posts=("U1/P1",), ends_reason="组织处理"), CONFIG)["ends_reason"] == "组织处理"
    assert "ends_reason" not in settle(move(), CONFIG)


def test_a_reason_the_configuration_gives_must_be_a_dismissal_reason() -> None:
    odd = RuleConfig.from_toml('[appointment.ends_reason]\n"轮岗" = "轮换"\n')
    with pytest.raises(ConfigError):
        settle(move(manner="轮岗", ends_posts=("U1/P1",)), odd)


def test_malformed_repeated_or_the_appointed_post_itself_are_refused_at_ends_posts() -> None:
    assert errors(move(ends_posts=("U1P1",)))[0][0] == "ends_posts"
    assert "重复" in errors(move(ends_posts=("U1/P1", "U1/P1")))[0][1]
    assert "同一职位" in errors(move(ends_posts=("U2/NEW",)))[0][1]


def test_a_concurrent_post_ends_nothing() -> None:
    found = errors(move(manner="兼任", ends_posts=("U1/P1",)))
    assert found[0][0] == "ends_posts" and "兼任" in found[0][1]
    corrected = errors(move(manner="兼任", ends_posts=("U1/P1",)), given={"manner"}, loc="changes.")
    assert corrected[0][0] == "changes.manner"


def test_a_reason_without_posts_to_end_is_refused_when_given_and_cleared_when_left_over() -> None:
    assert errors(move(ends_reason="调动"))[0][0] == "ends_reason"
    current = move(ends_posts=("U1/P1",), ends_reason="调动")
    assert settle_changes(current, {"ends_posts": ()}, CONFIG) == {"ends_posts": (), "ends_reason": None}
    assert settle_changes(move(), {"ends_posts": ("U1/P1",)}, CONFIG) == {"ends_posts": ("U1/P1",),
                                                                          "ends_reason": "调动"}
    with pytest.raises(ValidationError) as e:
        settle_changes(current, {"ends_posts": ("U2/NEW",)}, CONFIG)
    assert e.value.errors[0].loc == "changes.ends_posts"


def test_the_record_ends_the_named_posts_on_the_appointments_day() -> None:
    entries = [f.registration(), f.record("Appointed", date(2019, 1, 1), unit_code="U1", post_code="P1",
                                          manner="平职交流")]
    entries.append(f.record("Appointed", MOVE, **{k: v for k, v in move(ends_posts=("U1/P1",)).items()
                                                 if k != "effective_on"}))
    history = derive(entries)
    assert [(t.post_code, t.end, t.ended_by) for t in history.tenures] == [
        ("P1", MOVE, entries[2].entry_id), ("NEW", None, None)]
    assert history.problems == []


def test_ending_a_post_not_held_that_day_is_a_contradiction_of_the_record() -> None:
    entries = [f.registration(), f.record("Appointed", MOVE, unit_code="U2", post_code="NEW", manner="平职交流",
                                          ends_posts=("U1/P1",))]
    problems = derive(entries).problems
    assert [(p.field, p.message_en) for p in problems] == [("ends_posts", "ends the post U1/P1, not held on that date")]


