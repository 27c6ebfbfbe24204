"""例外放行 as a permission granted and revoked after a user was added (``service.users.change_permission``)."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from domain.recorded import Provenance
from domain.users import user_id
from service.application import Jishi
from service.users import add_user, authenticate, change_permission

ADMIN = Provenance("root", "admin", "setup")


def test_an_hr_user_granted_the_override_may_override_and_after_the_revocation_may_not(app: Jishi) -> None:
    token = add_user(app, "li", "hr", False, ADMIN)
    assert authenticate(app, token).can_override is False  # type: ignore[union-attr]
    assert change_permission(app, "li", "can_override", True, ADMIN) is True
    assert authenticate(app, token).can_override is True  # type: ignore[union-attr]
    change_permission(app, "li", "can_override", False, ADMIN)
    assert authenticate(app, token).can_override is False  # type: ignore[union-attr]
    types = [type(e).__name__ for e in app.events.get(user_id("li"))]
    assert types == ["UserAdded", "TokenExpirySet", "PermissionGranted", "PermissionRevoked"]  # the token's expiry too


def test_the_override_is_refused_for_a_role_other_than_hr_at_the_permission_field(app: Jishi) -> None:
    add_user(app, "sun", "auditor", False, ADMIN)
    with pytest.raises(ValidationError) as refused:
        change_permission(app, "sun", "can_override", True, ADMIN)
    assert [e.loc for e in refused.value.errors] == ["permission"]

