"""Sign-in for people (issue 21): sessions' idle and absolute limits, delay and lockout at their
boundaries, one-time codes, token expiry, and how fast another worker sees a disabled user — on
SQLite and PostgreSQL. The clock of the session table is replaced; argon2 and TOTP are the real ones."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest

from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.sessions import Limits, SessionStore
from service.signin import SignInRefusedError, enrol_totp, new_totp_secret, set_password, sign_in, unlock
from service.users import TokenExpiredError, _find, add_user, authenticate, disable_user, issue_token, token_expiry
from tests.conftest import RuntimeFactory

ADMIN = Provenance("test-setup", "admin", "setup")
PASSWORD = "a-long-enough-password"
MINUTE = 60.0
ALL_ROLES = frozenset({"admin", "hr", "auditor", "oversight"})


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def store_of(runtime: Runtime, clock: Clock, **limits: Any) -> SessionStore:
    values = {"idle_seconds": 30 * MINUTE, "absolute_seconds": 8 * 3600.0, "delay_after": 3, "lockout_after": 5,
              "address_lockout_after": 20, "lockout_seconds": 15 * MINUTE, **limits}
    return SessionStore(runtime.read_models.engine, runtime.runner.engine, Limits(**values), clock)


def person(runtime: Runtime, name: str = "li", role: str = "hr", *, totp: bool = True) -> str:
    """A user with a password and (``totp``) an enrolled second factor; returns the TOTP secret."""
    add_user(runtime.app, name, role, False, ADMIN)
    set_password(runtime.app, name, PASSWORD, ADMIN, must_change=False)
    if not totp:
        return ""
    secret = new_totp_secret()
    enrol_totp(runtime.app, name, secret, pyotp.TOTP(secret).now(), Provenance(name, role, "enrol"))
    return secret


def attempt(runtime: Runtime, store: SessionStore, name: str, password: str, code: str = "",
            address: str = "10.0.0.1") -> Any:
    return sign_in(runtime.app, store, ALL_ROLES, name, password, code, address, "req")


def code_at(secret: str, clock: Clock) -> str:
    return pyotp.TOTP(secret).at(clock.now)


def topics(runtime: Runtime) -> list[str]:
    return [n.topic for n in runtime.app.recorder.select_notifications(1, 10_000)]


# ——— sessions: idle timeout and absolute lifetime ———

def test_a_session_unused_for_a_minute_less_than_the_idle_timeout_lives_and_a_minute_more_ends(
        runtime: Runtime) -> None:
    clock = Clock()
    store = store_of(runtime, clock)
    early, _ = store.create("li")
    late, _ = store.create("li")
    clock.advance(29 * MINUTE)
    assert store.get(early) is not None  # and this use starts its idle time again
    clock.advance(2 * MINUTE)  # 31 minutes since `late` was last used
    assert store.get(late) is None
    assert store.get(early) is not None  # 2 minutes since its last use
    clock.advance(30 * MINUTE)
    assert store.get(early) is None  # exactly the idle timeout: ended


def test_a_session_in_use_all_day_ends_at_its_absolute_lifetime_to_the_minute(runtime: Runtime) -> None:
    clock = Clock()
    store = store_of(runtime, clock)
    session_id, _ = store.create("li")
    for _ in range(23):  # used every 20 minutes: never idle
        clock.advance(20 * MINUTE)
        assert store.get(session_id) is not None
    clock.advance(19 * MINUTE)  # 7 h 59 min after sign-in
    assert store.get(session_id) is not None
    clock.advance(2 * MINUTE)  # 8 h 1 min
    assert store.get(session_id) is None
    assert store.count("li") == 0  # an ended session is deleted, not just refused


def test_ending_a_users_sessions_leaves_other_users_sessions_alone(runtime: Runtime) -> None:
    store = store_of(runtime, Clock())
    mine = [store.create("li")[0] for _ in range(3)]
    theirs, _ = store.create("wang")
    assert store.end_user("li") == 3
    assert [store.get(s) for s in mine] == [None, None, None] and store.get(theirs) is not None


# ——— password, second factor, recovery codes ———

def test_a_right_password_and_code_sign_in_and_the_same_code_is_refused_a_second_time(runtime: Runtime) -> None:
    clock = Clock()
    store = store_of(runtime, clock)
    secret = person(runtime)
    code = code_at(secret, clock)
    result = attempt(runtime, store, "li", PASSWORD, code)
    assert (result.principal.name, result.stage) == ("li", "")
    with pytest.raises(SignInRefusedError) as refused:
        attempt(runtime, store, "li", PASSWORD, code)  # replayed within its 30 seconds
    assert refused.value.status == 401 and "动态口令" in refused.value.message
    clock.advance(30)
    assert attempt(runtime, store, "li", PASSWORD, code_at(secret, clock)).principal.name == "li"


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer_but_are_recorded_apart(
        runtime: Runtime) -> None:
    store = store_of(runtime, Clock())
    person(runtime, totp=False)
    answers = []
    for name, password in (("li", "wrong-password!"), ("nobody", PASSWORD)):
        with pytest.raises(SignInRefusedError) as refused:
            attempt(runtime, store, name, password)
        answers.append((refused.value.status, refused.value.message))
    assert answers[0] == answers[1]
    causes = [runtime.app.mapper.to_domain_event(n).cause for n in runtime.app.recorder.select_notifications(
        1, 1000, topics=("jishi.audit.SignInRefused",))]
    assert causes == ["password", "unknown_user"]


def test_a_recovery_code_signs_in_once_and_never_again(runtime: Runtime) -> None:
    store = store_of(runtime, Clock())
    add_user(runtime.app, "li", "hr", False, ADMIN)
    set_password(runtime.app, "li", PASSWORD, ADMIN, must_change=False)
    secret = new_totp_secret()
    codes = enrol_totp(runtime.app, "li", secret, pyotp.TOTP(secret).now(), ADMIN)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert attempt(runtime, store, "li", PASSWORD, codes[3]).principal.name == "li"
    with pytest.raises(SignInRefusedError):
        attempt(runtime, store, "li", PASSWORD, codes[3])
    assert "jishi.audit.RecoveryCodeUsed" in topics(runtime)
    stored = _find(runtime.app, "li")
    assert stored is not None and len(stored.recovery_hashes) == 9 and codes[3] not in str(stored.recovery_hashes)


def test_enrolment_refuses_a_code_the_secret_did_not_make(runtime: Runtime) -> None:
    add_user(runtime.app, "li", "hr", False, ADMIN)
    secret = new_totp_secret()
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 1) % 1_000_000:06d}"
    with pytest.raises(Exception, match="动态口令错误"):
        enrol_totp(runtime.app, "li", secret, wrong, ADMIN)


def test_a_role_that_needs_a_second_factor_must_enrol_and_an_initial_password_must_be_changed(
        runtime: Runtime) -> None:
    store = store_of(runtime, Clock())
    add_user(runtime.app, "admin1", "admin", False, ADMIN)
    set_password(runtime.app, "admin1", PASSWORD, ADMIN, must_change=True)
    # admin needs TOTP even when the setting names no role
    assert sign_in(runtime.app, store, frozenset(), "admin1", PASSWORD, "", "a", "r").stage == "enrol"
    add_user(runtime.app, "hr1", "hr", False, ADMIN)
    set_password(runtime.app, "hr1", PASSWORD, ADMIN, must_change=True)
    assert sign_in(runtime.app, store, frozenset({"admin"}), "hr1", PASSWORD, "", "a", "r").stage == "password"
    assert sign_in(runtime.app, store, ALL_ROLES, "hr1", PASSWORD, "", "a", "r").stage == "enrol"


def test_passwords_are_stored_only_as_argon2id_hashes(runtime: Runtime) -> None:
    person(runtime, totp=False)
    user = _find(runtime.app, "li")
    assert user is not None and user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_a_password_shorter_than_ten_characters_is_refused_at_its_field(runtime: Runtime) -> None:
    add_user(runtime.app, "li", "hr", False, ADMIN)
    with pytest.raises(Exception, match="password") as refused:
        set_password(runtime.app, "li", "123456789", ADMIN, must_change=False)
    assert "10–128" in str(refused.value.errors[0].msg)  # type: ignore[attr-defined]
    set_password(runtime.app, "li", "1234567890", ADMIN, must_change=False)


# ——— progressive delay and lockout: N−1, N, N+1 failures ———

def fail_times(runtime: Runtime, store: SessionStore, clock: Clock, n: int, name: str = "li",
               address: str = "10.0.0.1") -> None:
    for _ in range(n):
        with pytest.raises(SignInRefusedError) as refused:
            attempt(runtime, store, name, "wrong-password!", address=address)
        assert refused.value.status == 401
        clock.advance(61)  # past any delay, well inside the lockout window


def test_four_failures_do_not_lock_the_user_and_the_right_password_still_signs_in(runtime: Runtime) -> None:
    clock = Clock()
    store = store_of(runtime, clock)
    secret = person(runtime)
    fail_times(runtime, store, clock, 4)  # N − 1 (N = 5)
    assert attempt(runtime, store, "li", PASSWORD, code_at(secret, clock)).principal.name == "li"


def test_the_fifth_failure_locks_the_user_so_even_the_right_password_is_refused_until_it_lifts(
        runtime: Runtime) -> None:
    clock = Clock()
    store = store_of(runtime, clock)
    secret = person(runtime)
    fail_times(runtime, store, clock, 5)  # N
    with pytest.raises(SignInRefusedError) as locked:  # N + 1: the right password, refused
        attempt(runtime, store, "li", PASSWORD, code_at(secret, clock))
    assert locked.value.status == 423 and "锁定" in locked.value.message
    refused = [runtime.app.mapper.to_domain_event(n) for n in runtime.app.recorder.select_notifications(
        1, 1000, topics=("jishi.audit.SignInRefused",))]
    assert [e.locked_until is not None for e in refused] == [False] * 4 + [True, False]
    assert refused[-1].cause == "locked"
    clock.advance(15 * MINUTE)  # the lockout ran out (counted from the 5th failure, 61 s ago)
    assert attempt(runtime, store, "li", PASSWORD, code_at(secret, clock)).principal.name == "li"


def test_an_admin_lifts_a_lockout_at_once_and_it_is_recorded(runtime: Runtime) -> None:
    clock = Clock()
    store = store_of(runtime, clock)
    secret = person(runtime)
    fail_times(runtime, store, clock, 5)
    assert unlock(runtime.app, store, "li", ADMIN) is True
    assert attempt(runtime, store, "li", PASSWORD, code_at(secret, clock)).principal.name == "li"
    assert "jishi.audit.SignInUnlocked" in topics(runtime)


def test_from_the_third_failure_the_next_attempt_must_wait_one_then_two_seconds(runtime: Runtime) -> None:
    clock = Clock()
    store = store_of(runtime, clock)
    secret = person(runtime)
    for _ in range(2):
        with pytest.raises(SignInRefusedError):
            attempt(runtime, store, "li", "wrong-password!")
    assert store.gate("li", "10.0.0.1").open  # two failures: no wait
    with pytest.raises(SignInRefusedError):
        attempt(runtime, store, "li", "wrong-password!")  # the third: wait 2^0 = 1 s
    with pytest.raises(SignInRefusedError) as waiting:
        attempt(runtime, store, "li", PASSWORD, code_at(secret, clock))
    assert waiting.value.status == 429 and waiting.value.retry_at == pytest.approx(clock.now + 1)
    clock.advance(1)
    with pytest.raises(SignInRefusedError):
        attempt(runtime, store, "li", "wrong-password!")  # the fourth: wait 2 s
    clock.advance(1.5)
    with pytest.raises(SignInRefusedError) as still:
        attempt(runtime, store, "li", PASSWORD, code_at(secret, clock))
    assert still.value.status == 429
    clock.advance(0.5)
    assert attempt(runtime, store, "li", PASSWORD, code_at(secret, clock)).principal.name == "li"


def test_an_address_is_locked_after_its_threshold_of_failures_across_names(runtime: Runtime) -> None:
    clock = Clock()
    store = store_of(runtime, clock, address_lockout_after=3, lockout_after=10)
    secret = person(runtime)
    fail_times(runtime, store, clock, 2, name="nobody-a", address="10.9.9.9")  # N − 1 from this address
    assert attempt(runtime, store, "li", PASSWORD, code_at(secret, clock), address="10.9.9.9").principal.name == "li"
    clock.advance(30)
    fail_times(runtime, store, clock, 1, name="nobody-b", address="10.9.9.9")  # N
    with pytest.raises(SignInRefusedError) as locked:  # N + 1, even for a good user
        attempt(runtime, store, "li", PASSWORD, code_at(secret, clock), address="10.9.9.9")
    assert locked.value.status == 423
    assert attempt(runtime, store, "li", PASSWORD, code_at(secret, clock), address="10.0.0.2").principal.name == "li"


# ——— API tokens: expiry, and another worker sees a change within a second ———

def test_a_token_works_the_day_before_its_expiry_and_not_on_the_day_or_after(runtime: Runtime) -> None:
    token = add_user(runtime.app, "bot", "auditor", False, ADMIN, token_days=30)
    user = _find(runtime.app, "bot")
    assert user is not None
    expires = token_expiry(user)
    assert expires is not None and timedelta(days=29, hours=23) < expires - datetime.now(UTC) <= timedelta(days=30)
    assert authenticate(runtime.app, token, now=expires - timedelta(days=1)) is not None
    for moment in (expires, expires + timedelta(days=1)):
        with pytest.raises(TokenExpiredError) as expired:
            authenticate(runtime.app, token, now=moment)
        assert expired.value.expired_at == expires


def test_a_token_from_before_expiries_runs_out_ninety_days_after_it_was_issued(runtime: Runtime) -> None:
    add_user(runtime.app, "bot", "auditor", False, ADMIN)
    user = _find(runtime.app, "bot")
    assert user is not None and user.token_issued_at is not None
    user.token_expires_at = None  # as a user recorded before TokenExpirySet existed
    assert token_expiry(user) == user.token_issued_at + timedelta(days=90)


def test_a_token_disabled_or_reissued_in_another_worker_stops_working_here_within_a_second(
        runtime: Runtime, make_runtime: RuntimeFactory) -> None:
    other = make_runtime()  # a second worker process over the same store
    token = add_user(runtime.app, "bot", "auditor", False, ADMIN)
    assert authenticate(runtime.app, token) is not None  # cached here now
    new = issue_token(other.app, "bot", ADMIN)
    deadline = time.monotonic() + 1.0
    while authenticate(runtime.app, token) is not None:
        assert time.monotonic() < deadline, "the old token still works here after a second"
        time.sleep(0.05)
    assert authenticate(runtime.app, new) is not None
    disable_user(other.app, "bot", ADMIN)
    deadline = time.monotonic() + 1.0
    while authenticate(runtime.app, new) is not None:
        assert time.monotonic() < deadline, "a disabled user's token still works here after a second"
        time.sleep(0.05)
