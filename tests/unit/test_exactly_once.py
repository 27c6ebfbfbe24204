"""The crash trials' judge (bench/exactly_once.py): what the store holds for each request, by the
request id every event carries, against what the client was told. Each way a write can be lost,
doubled or stored without acknowledgement must be caught."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID, uuid4

from bench.exactly_once import Stored, StoreScan, judge, same_result
from bench.workload import Outcome, Request
from domain.recorded import entry_id_of
from jishi.settings import Settings

TOPIC = "jishi.cadre.HardshipRecorded"
CADRE = uuid4()
PREFIX = "ct1-1-"


def request(marker: str, topic: str = TOPIC) -> Request:
    return Request(marker, "entry:HardshipRecorded", f"/api/v1/cadres/{CADRE}/entries",
                   {"type": "HardshipRecorded", "effective_on": "2020-01-01", "description": "困难"}, topic, str(CADRE))


def answered(marker: str, position: int, version: int, stream: UUID = CADRE) -> Outcome:
    body = {"entry_id": str(entry_id_of(stream, version)), "stream_id": str(stream), "version": version,
            "position": position}
    return Outcome(request(marker), 201, body, 0.01)


def scan_of(*events: tuple[str, int, int]) -> StoreScan:
    """A scan that found these (marker, position, version) events of TOPIC on CADRE's stream."""
    scan = StoreScan(Settings(data_dir=Path("unused")), "ct1")
    for marker, position, version in events:
        scan.by_marker[marker].append(Stored(position, TOPIC, CADRE, version))
    return scan


def test_an_acknowledged_write_stored_once_where_its_answer_said_passes() -> None:
    verdict = judge([answered("ct1-1-0-1", 10, 2)], scan_of(("ct1-1-0-1", 10, 2)), prefix=PREFIX)
    assert verdict.violations == [] and verdict.stored_once == 1


def test_an_acknowledged_write_missing_from_the_store_is_a_violation() -> None:
    verdict = judge([answered("ct1-1-0-1", 10, 2)], scan_of(), prefix=PREFIX)
    assert verdict.violations == ["ct1-1-0-1 (entry:HardshipRecorded) answered 201 but stored 0 times"]


def test_an_acknowledged_write_stored_twice_is_a_violation() -> None:
    verdict = judge([answered("ct1-1-0-1", 10, 2)], scan_of(("ct1-1-0-1", 10, 2), ("ct1-1-0-1", 14, 3)),
                    prefix=PREFIX)
    assert verdict.violations == ["ct1-1-0-1 (entry:HardshipRecorded) answered 201 but stored 2 times"]


def test_an_answer_naming_another_position_than_the_stored_event_is_a_violation() -> None:
    verdict = judge([answered("ct1-1-0-1", 10, 2)], scan_of(("ct1-1-0-1", 11, 2)), prefix=PREFIX)
    assert len(verdict.violations) == 1 and "stored at 11" in verdict.violations[0]


def test_a_refusal_that_stored_an_event_is_a_violation() -> None:
    refused = Outcome(request("ct1-1-0-2"), 422, {"status": 422}, 0.01)
    verdict = judge([refused], scan_of(("ct1-1-0-2", 12, 3)), prefix=PREFIX)
    assert verdict.violations == ["ct1-1-0-2 (entry:HardshipRecorded) answered 422 but stored 1 event(s)"]


def test_a_refusal_that_stored_nothing_passes() -> None:
    refused = Outcome(request("ct1-1-0-2"), 409, {"status": 409}, 0.01)
    verdict = judge([refused], scan_of(), prefix=PREFIX)
    assert verdict.violations == [] and verdict.refused_clean == 1


def test_an_event_stored_for_a_request_no_client_sent_is_a_violation() -> None:
    verdict = judge([], scan_of(("ct1-1-3-9", 20, 2)), prefix=PREFIX)
    assert verdict.violations == ["ct1-1-3-9: 1 event(s) stored for a request no client sent"]


def test_a_request_in_flight_at_the_kill_may_be_stored_once_or_not_at_all() -> None:
    in_flight = [Outcome(request("ct1-1-0-3"), None, None, 0.01, "ReadError"),
                 Outcome(request("ct1-1-1-3"), None, None, 0.01, "ReadError")]
    verdict = judge(in_flight, scan_of(("ct1-1-0-3", 30, 4)), prefix=PREFIX)
    assert verdict.violations == [] and verdict.in_flight_stored == 1


def test_a_request_in_flight_at_the_kill_stored_twice_is_a_violation() -> None:
    in_flight = Outcome(request("ct1-1-0-3"), None, None, 0.01, "ReadError")
    verdict = judge([in_flight], scan_of(("ct1-1-0-3", 30, 4), ("ct1-1-0-3", 31, 5)), prefix=PREFIX)
    assert verdict.violations == ["ct1-1-0-3 (in flight) stored 2 times"]


def test_a_server_error_is_reported_with_what_it_stored() -> None:
    failed = Outcome(request("ct1-1-0-4"), 500, {"status": 500}, 0.01)
    verdict = judge([failed], scan_of(("ct1-1-0-4", 40, 6)), prefix=PREFIX)
    assert verdict.server_errors == ["ct1-1-0-4 (entry:HardshipRecorded) answered 500, stored 1 event(s)"]


def test_a_retry_answers_with_the_first_result_only_when_entry_stream_version_and_position_agree() -> None:
    first = answered("ct1-1-0-1", 10, 2).body
    assert same_result(first, dict(first or {}))
    assert not same_result(first, {**(first or {}), "position": 11})
    assert not same_result(first, None)
