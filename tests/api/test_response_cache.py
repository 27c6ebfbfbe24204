"""The cache of rendered answers (api/response_cache.py): the roster and the growth file are served from
it, keyed by the read models' version and by everything that decides the answer, with ``ETag``,
``If-None-Match`` → 304 and ``Cache-Control: private``. These tests show it never answers with what another
scope, another role's masking, an older version, another day or another ``as_of``/``known_at`` would see."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, update

from api.app import create_app
from api.response_cache import Cached, ReadVersion, ResponseCache, SharedRead, etag_matches
from domain.recorded import Provenance
from projections.models import NEVER, FindingRow
from service.commands import RecordEntry
from service.users import add_user, reads, record_read
from tests import factories as f

SETUP = Provenance("test-setup", "admin", "setup")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def county(client: TestClient, tokens: dict[str, str]) -> dict[str, Any]:
    """Two townships (UA, UB) under a county (UP), a post P1 and P2 in each, a cadre holding UA/P1 since 2020."""
    hr = bearer(tokens["hr"])
    created(client.post("/api/v1/units", json=f.unit("UP"), headers=hr))
    for unit in ("UA", "UB"):
        created(client.post("/api/v1/units", json=f.unit(unit, parent_code="UP"), headers=hr))
        for post in ("P1", "P2"):
            created(client.post(f"/api/v1/units/{unit}/posts", json=f.post(post), headers=hr))
    registered = created(client.post("/api/v1/cadres", json=f.cadre("A1"), headers=hr))
    cadre = registered["cadre_id"]
    created(client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr,
                        json={"type": "Appointed", **f.appointment("2020-01-01", "UA")}))
    return {"cadre": cadre, "registered": registered}


def holders(roster: dict[str, Any], post: str) -> list[str]:
    found = next(p for p in roster["posts"] if p["post_code"] == post)
    return [h["name"] for h in found["holders"]]


def appoint_second(client: TestClient, hr: dict[str, str], unit: str = "UA") -> str:
    """A second cadre appointed to ``unit``/P2 through the API; its id."""
    cadre: str = created(client.post("/api/v1/cadres", json=f.cadre("A2", name="李强"), headers=hr))["cadre_id"]
    created(client.post(f"/api/v1/cadres/{cadre}/entries", headers=hr,
                        json={"type": "Appointed", **f.appointment("2021-01-01", unit, "P2")}))
    return cadre


def test_a_cached_roster_is_never_served_to_a_user_of_another_township(
        client: TestClient, runtime: Any, county: dict[str, Any]) -> None:
    ua = add_user(runtime.app, "reader-ua", "auditor", False, SETUP, ["UA"])
    ub = add_user(runtime.app, "reader-ub", "auditor", False, SETUP, ["UB"])
    absent = client.get("/api/v1/units/NOPE/roster", headers=bearer(ub))
    first = client.get("/api/v1/units/UA/roster", headers=bearer(ua))
    assert first.status_code == 200 and holders(first.json(), "P1") == ["王芳"]
    other = client.get("/api/v1/units/UA/roster", headers=bearer(ub))
    assert other.status_code == 404 and absent.status_code == 404
    assert other.json()["detail"].replace("UA", "NOPE") == absent.json()["detail"]
    assert "ETag" not in other.headers and "王芳" not in other.text
    assert client.get("/api/v1/units/UA/roster", headers=bearer(ua)).content == first.content


def test_a_cached_growth_file_is_never_served_to_a_user_of_another_township(
        client: TestClient, runtime: Any, county: dict[str, Any]) -> None:
    ua = add_user(runtime.app, "reader-ua", "auditor", False, SETUP, ["UA"])
    ub = add_user(runtime.app, "reader-ub", "auditor", False, SETUP, ["UB"])
    path = f"/api/v1/cadres/{county['cadre']}/growth-file"
    absent = client.get(f"/api/v1/cadres/{uuid4()}/growth-file", headers=bearer(ub))
    assert client.get(path, headers=bearer(ua)).status_code == 200
    other = client.get(path, headers=bearer(ub))
    assert (other.status_code, absent.status_code) == (404, 404)
    assert "王芳" not in other.text and "ETag" not in other.headers


def test_a_write_through_the_api_changes_the_next_roster_and_its_etag_at_once(
        client: TestClient, tokens: dict[str, str], county: dict[str, Any]) -> None:
    hr = bearer(tokens["hr"])
    before = client.get("/api/v1/units/UA/roster", headers=hr)
    assert holders(before.json(), "P2") == []
    appoint_second(client, hr)
    after = client.get("/api/v1/units/UA/roster", headers=hr)
    assert holders(after.json(), "P2") == ["李强"]
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_write_by_another_worker_process_changes_the_next_roster(
        client: TestClient, make_runtime: Callable[..., Any], tokens: dict[str, str], county: dict[str, Any]) -> None:
    hr = bearer(tokens["hr"])
    before = client.get("/api/v1/units/UA/roster", headers=hr)
    other = make_runtime()  # another worker over the same stores: its write catches its own read models up
    with TestClient(create_app(other, follow=False)) as elsewhere:
        appoint_second(elsewhere, hr)
    after = client.get("/api/v1/units/UA/roster", headers=hr)
    assert holders(after.json(), "P2") == ["李强"]
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_catch_up_by_the_follower_changes_the_next_roster(
        client: TestClient, runtime: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    hr = bearer(tokens["hr"])
    before = client.get("/api/v1/units/UA/roster", headers=hr)
    cadre = created(client.post("/api/v1/cadres", json=f.cadre("A2", name="李强"), headers=hr))["cadre_id"]
    runtime.app.handle(RecordEntry(f.UUID(cadre), "Appointed", f.appointment("2021-01-01", "UA", "P2")),
                       Provenance("other-writer", "hr", "r1"))  # stored, not yet applied to the read models
    stale = client.get("/api/v1/units/UA/roster", headers=hr)
    assert holders(stale.json(), "P2") == [] and stale.headers["ETag"] == before.headers["ETag"]
    runtime.runner.catch_up()  # what the background follower does every half second
    after = client.get("/api/v1/units/UA/roster", headers=hr)
    assert holders(after.json(), "P2") == ["李强"]
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_matching_if_none_match_is_answered_304_and_a_changed_roster_200_with_its_body(
        client: TestClient, tokens: dict[str, str], county: dict[str, Any]) -> None:
    hr = bearer(tokens["hr"])
    first = client.get("/api/v1/units/UA/roster", headers=hr)
    etag = first.headers["ETag"]
    same = client.get("/api/v1/units/UA/roster", headers={**hr, "If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["ETag"] == etag and "private" in same.headers["Cache-Control"]
    listed = client.get("/api/v1/units/UA/roster", headers={**hr, "If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    appoint_second(client, hr)
    changed = client.get("/api/v1/units/UA/roster", headers={**hr, "If-None-Match": etag})
    assert changed.status_code == 200 and holders(changed.json(), "P2") == ["李强"]
    assert changed.headers["ETag"] != etag


def test_a_growth_file_answered_304_is_still_recorded_as_a_read(
        client: TestClient, runtime: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    hr = bearer(tokens["auditor"])
    path = f"/api/v1/cadres/{county['cadre']}/growth-file"
    etag = client.get(path, headers=hr).headers["ETag"]
    recorded = len(reads(runtime.app, f.UUID(county["cadre"])))
    again = client.get(path, headers={**hr, "If-None-Match": etag})
    assert again.status_code == 304
    assert len(reads(runtime.app, f.UUID(county["cadre"]))) == recorded + 1


def test_every_cached_answer_says_cache_control_private(
        client: TestClient, tokens: dict[str, str], county: dict[str, Any]) -> None:
    hr = bearer(tokens["hr"])
    for path in ("/api/v1/units/UA/roster", "/api/v1/units/UA/roster?as_of=2019-06-01",
                 f"/api/v1/cadres/{county['cadre']}/growth-file"):
        for _ in range(2):  # the miss that fills the cache, then the hit
            answer = client.get(path, headers=hr)
            assert answer.status_code == 200
            assert "private" in answer.headers["Cache-Control"] and answer.headers["ETag"]
            assert answer.headers["Vary"] == "Authorization"


def test_a_masked_reader_never_gets_the_unmasked_cached_growth_file(
        client: TestClient, tokens: dict[str, str], county: dict[str, Any]) -> None:
    path = f"/api/v1/cadres/{county['cadre']}/growth-file"
    number = f.cadre("A1")["id_number"]
    for order in (("hr", "oversight"), ("oversight", "hr")):
        answers = {role: client.get(path, headers=bearer(tokens[role])) for role in order}
        assert number in answers["hr"].text
        assert number not in answers["oversight"].text and "********" in answers["oversight"].text
        assert answers["hr"].headers["ETag"] != answers["oversight"].headers["ETag"]


def test_the_default_as_of_rolls_over_at_midnight_beijing_time(
        make_runtime: Callable[..., Any], tokens: dict[str, str]) -> None:
    now = [datetime(2026, 3, 1, 15, 59, 59, tzinfo=UTC)]  # 23:59:59 in Beijing
    clocked = make_runtime(clock=lambda: now[0])
    hr = bearer(add_user(clocked.app, "hr-clocked", "hr", True, SETUP))
    with TestClient(create_app(clocked, follow=False)) as client:
        created(client.post("/api/v1/units", json=f.unit("UA"), headers=hr))
        before = client.get("/api/v1/units/UA/roster", headers=hr)
        assert before.json()["as_of"] == "2026-03-01"
        now[0] = datetime(2026, 3, 1, 16, 0, 0, tzinfo=UTC)  # 00:00:00 of 2 March in Beijing: nothing written
        after = client.get("/api/v1/units/UA/roster", headers=hr)
        assert after.json()["as_of"] == "2026-03-02"
        assert after.headers["ETag"] != before.headers["ETag"]


def test_as_of_and_known_at_variants_are_distinct_entries(
        client: TestClient, tokens: dict[str, str], county: dict[str, Any]) -> None:
    hr = bearer(tokens["hr"])
    registered = datetime.fromisoformat(str(county["registered"]["recorded_at"]).replace("Z", "+00:00"))
    earlier = registered.astimezone(UTC).replace(tzinfo=None).isoformat()  # the unit and post, no holder yet
    variants = {"": ["王芳"], "?as_of=2019-06-01": [], f"?known_at={earlier}": [],
                "?as_of=2020-06-01": ["王芳"]}
    for _ in range(2):  # each asked twice, interleaved: every answer from its own entry
        for query, expected in variants.items():
            answer = client.get(f"/api/v1/units/UA/roster{query}", headers=hr)
            assert answer.status_code == 200, answer.text
            assert holders(answer.json(), "P1") == expected, query


def test_a_recorded_read_does_not_change_the_read_models_version(
        client: TestClient, runtime: Any, tokens: dict[str, str], county: dict[str, Any]) -> None:
    version = client.app.state.read_version  # type: ignore[attr-defined]
    runtime.runner.catch_up()  # the post's occupancy, recorded after the appointment
    before = version.current()
    assert client.get(f"/api/v1/cadres/{county['cadre']}/growth-file", headers=bearer(tokens["hr"])).status_code == 200
    runtime.runner.catch_up()  # the read is stored and applied (the audit trail holds it)
    assert runtime.runner.lag() == dict.fromkeys(runtime.runner.lag(), 0)
    assert version.current() == before
    appoint_second(client, bearer(tokens["hr"]))
    assert version.current() != before


def test_a_finding_opened_or_closed_without_a_new_record_changes_the_version(runtime: Any) -> None:
    """The follower re-evaluates the findings when the day turns (and `jishi findings-refresh` by hand):
    rows change while the position stays."""
    version = ReadVersion(runtime.read_models.engine, runtime.app)
    start = version.current()
    opened_at = datetime(2026, 3, 2, 0, 0, 1)
    with runtime.runner.engine.begin() as conn:
        conn.execute(insert(FindingRow).values(
            rule="R-TEST", cadre_id=None, unit_code="UA", key="k", trigger_on=date(2026, 3, 2), due_on=None,
            resolved_on=None, overridden=False, evidence=[], resolution=[], detail="", recorded_from=opened_at,
            recorded_to=NEVER, signature="s" * 64))
    opened = version.current()
    assert opened != start
    with runtime.runner.engine.begin() as conn:
        conn.execute(update(FindingRow).where(FindingRow.rule == "R-TEST").values(
            recorded_to=datetime(2026, 3, 3, 0, 0, 1)))
    assert version.current() not in (start, opened)


def test_the_cache_keeps_within_its_byte_budget_dropping_the_least_recently_used() -> None:
    cache = ResponseCache(max_bytes=8 * 1200)
    answers = {n: Cached.of(bytes([n]) * 1000) for n in range(10)}
    for n in range(8):
        cache.put(n, answers[n])
    assert cache.get(0) == answers[0]  # 0 is now the most recently used
    cache.put(8, answers[8])
    cache.put(9, answers[9])
    assert cache.size <= cache.max_bytes
    assert cache.get(1) is None and cache.get(2) is None
    assert cache.get(0) == answers[0] and cache.get(9) == answers[9]
    cache.put(10, Cached.of(b"x" * 2000))  # larger than an eighth of the budget: not kept
    assert cache.get(10) is None


def test_if_none_match_matches_strong_weak_listed_and_star_tags_only() -> None:
    assert etag_matches('"a1"', '"a1"') and etag_matches('W/"a1"', '"a1"') and etag_matches('"b", "a1"', '"a1"')
    assert etag_matches("*", '"a1"')
    assert not etag_matches('"a2"', '"a1"') and not etag_matches(None, '"a1"') and not etag_matches("", '"a1"')


def set_positions(runtime: Any, position: int) -> None:
    from projections.models import Position

    with runtime.runner.engine.begin() as conn:
        conn.execute(update(Position).values(position=position))


def test_a_position_read_just_before_another_threads_keeps_the_version_unless_it_is_before_the_last_content(
        runtime: Any) -> None:
    """Under load the threads of a worker read the position before they take the version's lock, so one
    often brings a position a little older than another's already read through. Between the last content
    record and there (only reads recorded since) the read models answer the same: the same version, no
    new epoch (which would empty the cache for everyone). Before the last content record they went back
    (a rebuild): a new version."""
    f.organisation(runtime.app)
    runtime.catch_up()
    content = runtime.runner.head()  # the last record that can change an answer
    version = ReadVersion(runtime.read_models.engine, runtime.app)
    before_reads = version.current()
    for _ in range(3):
        record_read(runtime.app, uuid4(), SETUP)
    runtime.catch_up()
    assert runtime.runner.head() == content + 3
    latest = version.current()
    assert latest == before_reads  # reads are no content
    set_positions(runtime, content + 1)  # a thread that read the position before the last two reads
    assert version.current() == latest
    set_positions(runtime, content)
    assert version.current() == latest
    set_positions(runtime, content - 1)  # the read models went back before the last content record
    went_back = version.current()
    assert went_back != latest and went_back[0] == latest[0] + 1
    set_positions(runtime, content + 3)  # the rebuild caught up again: read forward in its own epoch
    assert version.current()[0] == went_back[0]


def test_a_shared_version_read_is_never_taken_from_a_query_that_started_before_the_caller() -> None:
    """On PostgreSQL the threads of a worker share the version query: one that arrives while a query
    is already running (which may have missed a commit made just before) waits for the next one."""
    started, release, values = threading.Event(), threading.Event(), iter(range(1, 100))

    def query() -> int:
        started.set()
        release.wait(5)
        return next(values)

    shared: SharedRead[int] = SharedRead(query)
    results: dict[str, int] = {}
    first = threading.Thread(target=lambda: results.__setitem__("first", shared()))
    first.start()
    assert started.wait(5)  # the first query is running
    started.clear()
    late = threading.Thread(target=lambda: results.__setitem__("late", shared()))
    late.start()
    release.set()
    first.join(5)
    late.join(5)
    assert results == {"first": 1, "late": 2}


def test_callers_waiting_together_share_one_version_query() -> None:
    calls, gate, running = [], threading.Event(), threading.Event()

    def query() -> int:
        calls.append(1)
        running.set()
        gate.wait(5)
        return len(calls)

    shared: SharedRead[int] = SharedRead(query)
    first = threading.Thread(target=shared)
    first.start()
    assert running.wait(5)
    results: list[int] = []
    waiting = [threading.Thread(target=lambda: results.append(shared())) for _ in range(8)]
    for thread in waiting:
        thread.start()
    deadline = time.monotonic() + 5
    while len(shared._cond._waiters) < 8 and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.001)  # all eight wait for the running query
    gate.set()
    for thread in [first, *waiting]:
        thread.join(5)
    assert results == [2] * 8 and len(calls) == 2  # the eight that came during the first share the second


def test_a_failed_version_query_raises_for_its_caller_and_the_next_caller_queries_again() -> None:
    outcomes: list[Exception | int] = [RuntimeError("server gone"), 7]

    def query() -> int:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    shared: SharedRead[int] = SharedRead(query)
    with pytest.raises(RuntimeError, match="server gone"):
        shared()
    assert shared() == 7 and outcomes == []


def test_the_postgresql_read_version_shares_its_query_and_sqlite_queries_for_each_call(runtime: Any) -> None:
    version = ReadVersion(runtime.read_models.engine, runtime.app)
    shared = isinstance(version._position_and_findings, SharedRead)
    assert shared == (runtime.read_models.engine.dialect.name == "postgresql")
    assert version.current() == version.current()


# only PostgreSQL's version query has a connection of its own: these run on that backend alone
POSTGRES_ONLY = pytest.mark.parametrize("settings", [pytest.param("postgres", marks=pytest.mark.pg)], indirect=True)


@POSTGRES_ONLY
def test_the_postgresql_version_query_keeps_one_connection_of_its_own_outside_the_pool(runtime: Any) -> None:
    engine = runtime.read_models.engine
    version = ReadVersion(engine, runtime.app)
    version.current()
    own = version._own._conn  # type: ignore[union-attr]
    checked_out = engine.pool.checkedout()
    for _ in range(10):
        version.current()
    assert version._own._conn is own and not own.closed  # type: ignore[union-attr]
    assert engine.pool.checkedout() == checked_out  # the pool lent nothing for those queries
    version.close()
    assert own.closed
    assert version.current() == version.current()  # a later query opens another connection
    assert not version._own._conn.closed  # type: ignore[union-attr]
    version.close()


@POSTGRES_ONLY
def test_the_postgresql_version_query_survives_its_connection_being_ended_by_the_server_and_sees_a_later_write(
        runtime: Any) -> None:
    engine = runtime.read_models.engine
    version = ReadVersion(engine, runtime.app)
    before = version.current()
    pid = version._own._conn.info.backend_pid  # type: ignore[union-attr]
    with engine.connect() as conn:  # as a restart of the server, or an administrator, would
        assert conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})").scalar() is True
    f.registered(runtime.app, "P9")
    runtime.runner.catch_up()
    after = version.current()  # the dead connection is replaced, the query asked again on a new one
    assert after[1] > before[1]
    assert version._own._conn.info.backend_pid != pid  # type: ignore[union-attr]
    version.close()


@POSTGRES_ONLY
def test_a_server_shut_down_closes_its_version_query_connection(runtime: Any) -> None:
    app = create_app(runtime, follow=False)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        version: ReadVersion = app.state.read_version
        version.current()
        own = version._own._conn  # type: ignore[union-attr]
        assert not own.closed
    assert own.closed
