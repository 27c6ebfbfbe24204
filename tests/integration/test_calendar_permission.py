"""Who may record the working-day calendar: an admin by role, an hr user with the recorded permission
``can_publish_calendar`` (given when the user is added, or granted and revoked later)."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import StoredEvent

from domain.errors import PermissionDeniedError, ValidationError
from domain.recorded import Provenance
from domain.users import user_id
from service.commands import PublishCalendar
from service.users import add_user, authenticate, change_permission, list_users
from tests import factories as f
from tests import synthetic_calendar as syn
from tests.conftest import AppFactory

ADMIN = Provenance("cli:root", "admin", "setup")


@pytest.fixture
def app(make_app: AppFactory) -> f.Jishi:
    return make_app(clock=syn.clock())


def test_an_hr_user_added_with_the_permission_may_publish_and_one_without_may_not(app: f.Jishi) -> None:
    allowed = authenticate(app, add_user(app, "li", "hr", False, ADMIN, can_publish_calendar=True))
    plain = authenticate(app, add_user(app, "zhang", "hr", True, ADMIN))
    assert allowed is not None and plain is not None
    assert allowed.can_publish_calendar and allowed.may_publish_calendar and not plain.may_publish_calendar
    with pytest.raises(PermissionDeniedError):
        app.handle(PublishCalendar(syn.payload()), plain.provenance("r1"))
    result = app.handle(PublishCalendar(syn.payload()), allowed.provenance("r2"))
    [record] = app.recorder.select_events(result.stream_id, limit=1)
    assert app.mapper.to_domain_event(record).actor == "li"  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ["auditor", "oversight", "admin"])
def test_only_an_hr_user_takes_the_permission(app: f.Jishi, role: str) -> None:
    with pytest.raises(ValidationError) as refused:
        add_user(app, "x", role, False, ADMIN, can_publish_calendar=True)
    assert [e.loc for e in refused.value.errors] == ["can_publish_calendar"]


def test_the_permission_is_granted_and_revoked_as_recorded_events(app: f.Jishi) -> None:
    token = add_user(app, "li", "hr", False, ADMIN)
    assert change_permission(app, "li", "can_publish_calendar", True, ADMIN) is True
    principal = authenticate(app, token)
    assert principal is not None and principal.can_publish_calendar
    app.handle(PublishCalendar(syn.payload()), principal.provenance("r"))
    change_permission(app, "li", "can_publish_calendar", False, ADMIN)
    principal = authenticate(app, token)
    assert principal is not None and not principal.can_publish_calendar
    topics = [r.topic for r in app.recorder.select_events(user_id("li"))]
    assert topics == ["jishi.audit.UserAdded", "jishi.audit.TokenExpirySet",  # the new token's expiry
                      "jishi.audit.PermissionGranted", "jishi.audit.PermissionRevoked"]
    assert {u["name"]: u["can_publish_calendar"] for u in list_users(app)} == {"li": False}


def test_granting_the_permission_to_an_auditor_or_an_unknown_permission_is_refused(app: f.Jishi) -> None:
    add_user(app, "aud", "auditor", False, ADMIN)
    with pytest.raises(ValidationError):
        change_permission(app, "aud", "can_publish_calendar", True, ADMIN)
    with pytest.raises(ValidationError):
        change_permission(app, "aud", "can_fly", True, ADMIN)


def test_a_user_stored_before_the_permission_existed_loads_without_it(app: f.Jishi) -> None:
    v2_state = {  # UserAdded as version 2 stored it: scopes, no can_publish_calendar
        "timestamp": f.datetime_now(), "effective_on": None, "actor": "cli:root", "actor_role": "admin",
        "request_id": "old", "document_no": None, "reason": None, "overrides": (), "override_reason": None,
        "name": "old-hr", "role": "hr", "can_override": True, "token_hash": "0" * 64, "scopes": (),
        "originator_topic": "jishi.User", "class_version": 2,
    }
    app.recorder.insert_events([StoredEvent(originator_id=user_id("old-hr"), originator_version=1,
                                            topic="jishi.audit.UserAdded",
                                            state=f.stored_state(app, v2_state))])
    [listed] = list_users(app)
    assert (listed["name"], listed["can_override"], listed["can_publish_calendar"]) == ("old-hr", True, False)
