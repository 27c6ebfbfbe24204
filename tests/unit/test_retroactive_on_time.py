"""R-RETROACTIVE keeps the cadre before an event only for an entry that may be late: one recorded within
``monitors.retroactive_days`` of its date, as dated in the configured time zone, is passed by without a time
zone lookup — and the day the UTC date and the local date differ on is judged by the local date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from domain.cadre import Cadre
from domain.rules.config import RuleConfig
from projections.retroactive import RetroactiveFindings

CONFIG = RuleConfig.defaults()
DAYS = CONFIG.int("monitors.retroactive_days")
ENTRY_ON = date(2024, 3, 1)


def kept(recorded_at: datetime) -> bool:
    retro = RetroactiveFindings(SimpleNamespace(config=CONFIG), findings=None)  # type: ignore[arg-type]
    event: Any = SimpleNamespace(effective_on=ENTRY_ON, timestamp=recorded_at)
    before = Cadre.__new__(Cadre)
    before.entries, before.correction_changes = {}, {}
    return retro.snapshot(event, before) is not None


def test_an_entry_recorded_its_last_day_on_time_is_not_kept_and_the_day_after_is() -> None:
    last = datetime.combine(ENTRY_ON + timedelta(days=DAYS), datetime.min.time(), UTC) + timedelta(hours=12)
    assert not kept(last)  # 20:00 in Shanghai, the same day
    assert kept(last + timedelta(days=1))


def test_an_entry_recorded_late_by_the_local_date_but_not_by_the_utc_date_is_kept() -> None:
    # 16:30 UTC on the last day on time is 00:30 the day after in Shanghai (UTC+8): late there
    evening = datetime.combine(ENTRY_ON + timedelta(days=DAYS), datetime.min.time(), UTC) + timedelta(hours=16.5)
    assert kept(evening)
    assert not kept(evening - timedelta(hours=1))  # 23:30 in Shanghai: still on time


def test_an_entry_recorded_days_after_its_date_is_not_kept() -> None:
    assert not kept(datetime.combine(ENTRY_ON + timedelta(days=3), datetime.min.time(), UTC))
