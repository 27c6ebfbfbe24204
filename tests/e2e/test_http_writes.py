"""Writes over real HTTP: idempotency keys, optimistic concurrency, and no lost writes under load."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests import factories as f


def _setup(client: httpx.Client) -> str:
    assert client.post("/api/v1/units", json=f.unit("U1")).status_code == 201
    assert client.post("/api/v1/units/U1/posts", json=f.post("P1")).status_code == 201
    response = client.post("/api/v1/cadres", json=f.cadre("C1"))
    assert response.status_code == 201
    cadre_id: str = response.json()["cadre_id"]
    return cadre_id


def _feed(client: httpx.Client) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    after = 0
    while True:
        page = client.get("/api/v1/events", params={"after": after, "limit": 1000}).json()
        items += page["items"]
        if page["next_after"] >= page["head"]:
            return items
        after = page["next_after"]


def _log(n: int) -> dict[str, Any]:
    return {"type": "DevelopmentLogged", "effective_on": "2021-08-01", "author": "导师李明", "note": f"第{n}条日志"}


def test_the_same_idempotency_key_and_body_records_once_and_another_body_is_a_conflict(
        live_server: str, tokens: dict[str, str]) -> None:
    with httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {tokens['hr']}"}) as client:
        cadre_id = _setup(client)
        url = f"/api/v1/cadres/{cadre_id}/entries"
        first = client.post(url, json=_log(1), headers={"Idempotency-Key": "k-1"})
        again = client.post(url, json=_log(1), headers={"Idempotency-Key": "k-1"})
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        other = client.post(url, json=_log(2), headers={"Idempotency-Key": "k-1"})
        assert other.status_code == 409
        assert other.headers["content-type"] == "application/problem+json"
        assert other.json()["type"].endswith("idempotency-conflict")
        logged = [e for e in _feed(client) if e["type"] == "DevelopmentLogged"]
        assert [e["entry_id"] for e in logged] == [first.json()["entry_id"]]


def test_a_stale_expected_version_in_the_body_or_if_match_is_refused_with_409(
        live_server: str, tokens: dict[str, str]) -> None:
    with httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {tokens['hr']}"}) as client:
        cadre_id = _setup(client)
        url = f"/api/v1/cadres/{cadre_id}/entries"
        fresh = client.post(url, json={**_log(1), "expected_version": 1})
        assert fresh.status_code == 201 and fresh.json()["version"] == 2
        stale = client.post(url, json={**_log(2), "expected_version": 1})
        assert stale.status_code == 409 and stale.json()["title"].startswith("并发冲突")
        assert client.post(url, json=_log(3), headers={"If-Match": '"1"'}).status_code == 409
        assert client.post(url, json=_log(3), headers={"If-Match": '"2"'}).status_code == 201
        assert client.post(url, json=_log(4), headers={"If-Match": "soon"}).status_code == 422


def test_a_hundred_concurrent_writes_to_one_cadre_lose_nothing(live_server: str, tokens: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {tokens['hr']}"}
    with httpx.Client(base_url=live_server, headers=headers, timeout=60) as client:
        cadre_id = _setup(client)
    url = f"{live_server}/api/v1/cadres/{cadre_id}/entries"
    conflicts: list[int] = []

    def write(n: int) -> dict[str, Any]:
        with httpx.Client(headers={**headers, "Idempotency-Key": f"load-{n}"}, timeout=60) as c:
            deadline = time.monotonic() + 90
            while True:  # a client retries a 409 with the same key until its write is in
                response = c.post(url, json=_log(n))
                if response.status_code == 201:
                    body: dict[str, Any] = response.json()
                    return body
                assert response.status_code == 409, response.text
                conflicts.append(n)
                assert time.monotonic() < deadline
                time.sleep(0.01)

    with ThreadPoolExecutor(max_workers=16) as pool:
        accepted = list(pool.map(write, range(100)))
    with httpx.Client(base_url=live_server, headers=headers, timeout=60) as client:
        logged = [e for e in _feed(client) if e["type"] == "DevelopmentLogged"]
    assert sorted(e["entry_id"] for e in logged) == sorted(a["entry_id"] for a in accepted)
    assert len(logged) == 100
    assert sorted(a["version"] for a in accepted) == list(range(2, 102))
    assert sorted(e["data"]["note"] for e in logged) == sorted(f"第{n}条日志" for n in range(100))
