"""所载变化 (belief diff, issue 23): for random histories with late (back-dated) entries, corrections
and retractions, the diff between two moments T1 <= T2 is exactly the difference of the two plain
reads (the roster, the growth file) and every difference names a cause recorded in (T1, T2]: for an
entry, the entry or what corrects or retracts it; for a holder, that cadre's own entries."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jishi.bootstrap import Runtime
from projections.belief_diff import GROWTH_SECTIONS, ROSTER_SECTIONS, KeyOf, apply, roster_sections
from service.commands import RecordEntry
from tests import factories as f
from tests.integration.test_projection_properties import world
from tests.pgserver import PostgresServer

DAYS = st.integers(min_value=0, max_value=4 * 365).map(lambda n: date(2019, 1, 1) + timedelta(days=n))
# appointments and dismissals recorded late (effective long before they are recorded), hardships,
# corrections of an effective date, retractions — over three cadres and one post of two places
OPS = st.lists(st.tuples(st.sampled_from(["appoint", "dismiss", "hardship", "correct", "retract"]),
                         st.integers(0, 2), DAYS, st.integers(0, 50)), min_size=3, max_size=12)


def _canonical(sections: dict[str, Any], shape: dict[str, KeyOf | None]) -> str:
    """A read (as sections) as text that ignores list order and missing-vs-null fields of a record."""
    out: dict[str, Any] = {}
    for section, key_of in shape.items():
        value = sections.get(section)
        if key_of is None:
            out[section] = {k: v for k, v in (value or {}).items() if v is not None}
        else:
            items = value.values() if isinstance(value, dict) else (value or [])
            out[section] = sorted(json.dumps(i, sort_keys=True, ensure_ascii=False) for i in items)
    return json.dumps(out, sort_keys=True, ensure_ascii=False)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def assert_diff_is_the_difference(before: dict[str, Any], after: dict[str, Any], diff: dict[str, Any],
                                  shape: dict[str, KeyOf | None], t1: datetime, t2: datetime) -> None:
    changes = diff["changes"]
    # nothing left out: the earlier read with the changes applied is the later read
    assert _canonical(apply(before, changes, shape), shape) == _canonical(after, shape)
    # nothing made up: no change without a difference, and each states what each read holds
    assert (changes == []) == (_canonical(before, shape) == _canonical(after, shape))
    for change in changes:
        assert change["before"] != change["after"], change
        was = [i for i in (before[change["section"]] or []) if isinstance(i, dict)] \
            if shape[change["section"]] else [before[change["section"]] or {}]
        if change["before"] is not None and shape[change["section"]] is not None and "added" not in change["kind"]:
            assert any(all(i.get(k) == v for k, v in change["before"].items()) for i in was), change
        # every difference names at least one cause, each recorded in (T1, T2]
        assert change["causes"], change
        for cause in change["causes"]:
            recorded = datetime.fromisoformat(cause["recorded_at"].removesuffix("Z"))
            assert _naive(t1) < recorded <= _naive(t2), (cause, t1, t2)


def assert_causes_are_the_changes_own(diff: dict[str, Any], trail: dict[str, dict[str, Any]]) -> None:
    """An entry's change is caused by the entry or by what corrects or retracts it (however deep);
    a holder's change by that cadre's own entries."""
    def targets(entry_id: str) -> set[str]:
        found: set[str] = {entry_id}
        while trail[entry_id]["corrects"] or trail[entry_id]["retracts"]:
            entry_id = trail[entry_id]["corrects"] or trail[entry_id]["retracts"]
            found.add(entry_id)
        return found

    for change in diff["changes"]:
        causes = [c["entry_id"] for c in change["causes"]]
        if change["section"] == "timeline":
            assert all(change["entry_id"] in targets(c) for c in causes), change
        if change["section"] == "holders":
            assert {trail[c]["cadre_id"] for c in causes} == {change["cadre_id"]}, change


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.pg)])
def test_a_diff_is_exactly_the_difference_of_the_two_plain_reads_and_names_its_causes(
        backend: str, request: pytest.FixtureRequest) -> None:
    server: PostgresServer | None = request.getfixturevalue("pg_server") if backend == "postgres" else None

    @settings(max_examples=10 if backend == "postgres" else 20, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(ops=OPS, as_of=DAYS, first=st.integers(0, 100), second=st.integers(0, 100))
    def check(ops: list[tuple[str, int, date, int]], as_of: date, first: int, second: int) -> None:
        with world(server, ops) as (runtime, cadres, instants):
            moments = sorted(instants)
            start = moments[0] - timedelta(microseconds=1) if moments else datetime.now(UTC)
            moments = [start, *moments, datetime.now(UTC)]
            t1, t2 = sorted((moments[first % len(moments)], moments[second % len(moments)]))
            reads = runtime.read_models
            trail = {r["entry_id"]: r for cid in cadres for r in reads.audit_trail("cadre", str(cid))}
            diff = reads.roster_diff("U1", as_of, t1, t2)
            assert_diff_is_the_difference(roster_sections(reads.roster("U1", as_of, t1)),
                                          roster_sections(reads.roster("U1", as_of, t2)),
                                          diff, ROSTER_SECTIONS, t1, t2)
            assert_causes_are_the_changes_own(diff, trail)
            for cid in cadres:
                diff = reads.growth_file_diff(cid, as_of, t1, t2)
                assert_diff_is_the_difference(reads.growth_file(cid, as_of, t1),
                                              reads.growth_file(cid, as_of, t2), diff, GROWTH_SECTIONS, t1, t2)
                assert_causes_are_the_changes_own(diff, trail)

    check()


def _printed_then_dismissed_late(runtime: Runtime) -> tuple[Any, datetime, Any]:
    """王芳 appointed 副部长 in 2020 (the roster printed right after); in 2024 a dismissal effective
    2022-01-01 is recorded late, under its 文号."""
    app = runtime.app
    f.organisation(app)
    cadre = f.registered(app, "C1")
    printed = app.handle(RecordEntry(cadre, "Appointed", f.appointment("2020-01-01")), f.HR).recorded_at
    dismissed = app.handle(RecordEntry(cadre, "Dismissed", f.dismissal("2022-01-01", document_no="组干〔2024〕9号")),
                           f.HR)
    runtime.catch_up()
    return cadre, printed, dismissed


def test_a_late_dismissal_shows_the_holder_gone_with_who_when_and_on_what_document(runtime: Runtime) -> None:
    cadre, printed, dismissed = _printed_then_dismissed_late(runtime)
    diff = runtime.read_models.roster_diff("U1", date(2023, 3, 1), printed, datetime.now(UTC))
    gone = [c for c in diff["changes"] if c["kind"] == "holders_gone"]
    assert [(c["post_code"], c["cadre_id"], c["before"]["name"], c["after"]) for c in gone] == \
        [("P1", str(cadre), "王芳", None)]
    assert [(k["entry_id"], k["type"], k["actor"], k["document_no"]) for k in gone[0]["causes"]] == \
        [(str(dismissed.entry_id), "Dismissed", "hr-zhang", "组干〔2024〕9号")]
    vacancy = next(c for c in diff["changes"] if c["kind"] == "posts_changed")
    assert (vacancy["before"], vacancy["after"]) == ({"vacancies": 0}, {"vacancies": 1})


def test_a_diff_between_one_moment_and_itself_or_a_day_before_the_late_entry_is_empty(runtime: Runtime) -> None:
    _, printed, _ = _printed_then_dismissed_late(runtime)
    reads = runtime.read_models
    assert reads.roster_diff("U1", date(2023, 3, 1), printed, printed)["changes"] == []
    assert reads.roster_diff("U1", date(2021, 12, 31), printed, datetime.now(UTC))["changes"] == []  # before 免职
