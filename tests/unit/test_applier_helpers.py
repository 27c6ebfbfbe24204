"""The small per-event helpers of the applier and the audit rows (projections/applier.py,
projections/audit.py) give what the plain computations they stand for give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from domain.cadre import Cadre
from domain.post import Post
from domain.unit import Unit
from projections.applier import AGGREGATES, aggregate_of, naive_utc
from projections.audit import _stream_of

ZONES = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30)),
                         ZoneInfo("Asia/Shanghai"), ZoneInfo("UTC"), ZoneInfo("America/New_York")])


@given(instant=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES))
def test_an_instant_is_stored_as_the_naive_utc_time_it_converts_to(instant: datetime) -> None:
    assert naive_utc(instant) == instant.astimezone(UTC).replace(tzinfo=None)
    assert naive_utc(instant).tzinfo is None


TOPICS = ["jishi.cadre.Appointed", "jishi.unit.UnitRegistered", "jishi.post.PostEstablished", "jishi.case.CaseOpened",
          "jishi.audit.GrowthFileRead", "jishi.system.RoundOpened", "jishi.cadre.", "jishi.cadrex.Appointed",
          "jishi.Cadre.Created", "jishi"]


@given(topic=st.one_of(st.sampled_from(TOPICS), st.text(max_size=30)))
def test_an_events_aggregate_is_the_one_its_topic_begins_with(topic: str) -> None:
    expected = next((cls for prefix, cls in AGGREGATES.items() if topic.startswith(prefix)), None)
    assert aggregate_of(topic) is expected


def test_cadre_unit_and_post_topics_name_their_aggregates_and_others_none() -> None:
    topics = ("jishi.cadre.Appointed", "jishi.unit.UnitRegistered", "jishi.post.OccupancyChanged",
              "jishi.case.CaseOpened")
    assert [aggregate_of(t) for t in topics] == [Cadre, Unit, Post, None]


@given(topic=st.text(alphabet="ab.", max_size=12))
def test_an_audit_rows_stream_is_the_second_part_of_its_topic(topic: str) -> None:
    assert _stream_of(topic) == (topic.split(".")[1] if topic.count(".") >= 2 else "other")
    assert _stream_of("jishi.cadre.Appointed") == "cadre" and _stream_of("jishi") == "other"
