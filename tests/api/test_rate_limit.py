"""A per-user rate limit on reads and writes: over the allowance a request gets 429 with Retry-After —
problem+json from the API, a Chinese page from the pages — and only authenticated requests count,
against the user they authenticated as."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.rate_limit import RateLimitedError, RateLimiter
from domain.recorded import Provenance
from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings
from service.users import add_user
from tests import signin

ADMIN = Provenance("test-setup", "admin", "setup")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_user_may_spend_a_minutes_allowance_at_once_and_then_waits_for_the_bucket_to_refill() -> None:
    clock = Clock()
    limiter = RateLimiter(reads_per_minute=60, writes_per_minute=6, clock=clock)
    for _ in range(60):
        limiter.spend("wang", write=False)
    with pytest.raises(RateLimitedError) as refused:
        limiter.spend("wang", write=False)
    assert refused.value.retry_after == 1  # 60 a minute: one more a second
    clock.now += 0.99
    with pytest.raises(RateLimitedError):
        limiter.spend("wang", write=False)  # the day before, so to speak: just short of one token
    clock.now += 0.02
    limiter.spend("wang", write=False)  # just over: one token back


def test_reads_and_writes_and_users_have_allowances_of_their_own() -> None:
    limiter = RateLimiter(reads_per_minute=2, writes_per_minute=1, clock=Clock())
    limiter.spend("wang", write=True)
    with pytest.raises(RateLimitedError) as refused:
        limiter.spend("wang", write=True)
    assert "写入" in str(refused.value) and refused.value.retry_after == 60
    limiter.spend("wang", write=False)
    limiter.spend("li", write=True)


def test_a_limit_of_zero_is_no_limit() -> None:
    limiter = RateLimiter(reads_per_minute=0, writes_per_minute=0, clock=Clock())
    for _ in range(10_000):
        limiter.spend("wang", write=True)


def test_the_limits_are_read_from_the_environment_and_a_bad_value_is_refused(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JISHI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JISHI_RATE_READS", "0")
    monkeypatch.setenv("JISHI_RATE_WRITES", "12")
    settings = Settings.from_env()
    assert (settings.rate_reads, settings.rate_writes) == (0, 12)
    monkeypatch.setenv("JISHI_RATE_WRITES", "-1")
    with pytest.raises(ValueError, match="JISHI_RATE_WRITES"):
        Settings.from_env()


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, dict[str, str]]]:
    settings = replace(Settings(data_dir=Path(tmp_path_factory.mktemp("rate"))), rate_reads=3, rate_writes=2)
    runtime = build_runtime(settings)
    tokens = {name: add_user(runtime.app, name, "hr", False, ADMIN) for name in ("wang", "li", "zhao")}
    yield runtime, tokens
    runtime.close()


def test_the_api_answers_429_with_retry_after_once_a_user_has_spent_their_reads(
        limited: tuple[Runtime, dict[str, str]]) -> None:
    runtime, tokens = limited
    with TestClient(create_app(runtime, follow=False)) as api:
        wang = {"Authorization": f"Bearer {tokens['wang']}"}
        stranger = {"Authorization": "Bearer wang.not-the-secret"}
        for _ in range(5):  # a stranger naming wang spends nothing of wang's allowance
            assert api.get("/api/v1/findings", headers=stranger).status_code == 401
        assert [api.get("/api/v1/findings", headers=wang).status_code for _ in range(3)] == [200, 200, 200]
        refused = api.get("/api/v1/findings", headers=wang)
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert int(refused.headers["retry-after"]) >= 1
        assert "每分钟最多 3 次查询" in refused.json()["detail"]
        li = {"Authorization": f"Bearer {tokens['li']}"}
        assert api.get("/api/v1/findings", headers=li).status_code == 200  # another user: untouched
        assert api.post("/api/v1/units", headers=wang, json={}).status_code == 422  # writes: their own allowance


def test_a_page_over_the_allowance_is_a_chinese_page_with_retry_after(
        limited: tuple[Runtime, dict[str, str]]) -> None:
    runtime, tokens = limited
    with TestClient(create_app(runtime, follow=False)) as browser:
        signin.sign_in(browser, tokens["zhao"])  # the pages it is sent on to spend reads too
        answers = [browser.get("/units").status_code for _ in range(4)]
        assert 429 in answers and set(answers[:answers.index(429)]) <= {200}  # served, then refused
        refused = browser.get("/units")
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("text/html")
        assert "请求过于频繁" in refused.text and int(refused.headers["retry-after"]) >= 1
