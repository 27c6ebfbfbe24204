"""``Jishi.today``: the date in the configured time zone, of the config in force (service/application.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.rules.config import RuleConfig
from tests.conftest import AppFactory


def test_today_is_the_date_in_the_configured_zone_and_follows_a_replaced_config(make_app: AppFactory) -> None:
    instant = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 1 April 01:30 in Shanghai, 31 March in Honolulu
    app = make_app(lambda: instant)
    assert app.today() == date(2026, 4, 1)
    assert app.today() == date(2026, 4, 1)  # the zone remembered
    app.config = RuleConfig.from_toml('[general]\ntimezone = "Pacific/Honolulu"\n')
    assert app.today() == date(2026, 3, 31)


def test_the_default_clock_tells_the_time_in_utc(make_app: AppFactory) -> None:
    now = make_app().clock()
    offset = now.utcoffset()
    assert offset is not None and offset.total_seconds() == 0
    assert abs((datetime.now(UTC) - now).total_seconds()) < 60
