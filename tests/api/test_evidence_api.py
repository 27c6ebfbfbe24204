"""`GET /api/v1/cadres/{id}/evidence` (API.md v1.1): a zip for auditors that verifies offline; the read is
recorded; other roles 403; out of the auditor's scope 404 exactly as a cadre that does not exist."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from ledger.verify import check_bundle
from service.commands import RegisterUnit
from service.users import add_user, reads
from tests.factories import HR, unit
from tests.integration.test_evidence_bundle import history, unzipped


def _as(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_auditor_gets_a_zip_that_verifies_and_the_read_is_recorded(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    story = history(runtime.app)
    response = client.get(f"/api/v1/cadres/{story.cadre_id}/evidence",
                          params={"as_of": "2026-01-01", "known_at": story.before_correction.isoformat()},
                          headers=_as(tokens["auditor"]))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert f'filename="evidence-{story.cadre_id}-2026-01-01.zip"' in response.headers["content-disposition"]
    files = unzipped(response.content)
    report = check_bundle(files, runtime.ledger.public_key)
    assert report.ok, report.failures
    # records encrypted at rest (the default) cannot be folded without the key: the verifier says so and
    # checks the growth file's entries against the proven records' positions (tests/integration/test_evidence_bundle.py)
    assert report.growth_file_checked == ("fold" if runtime.settings.cipher == "none" else "positions")
    assert [r["reader"] for r in reads(runtime.app, story.cadre_id)] == ["auditor-user"]


def test_other_roles_are_refused_and_bad_times_are_problems_naming_the_field(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    story = history(runtime.app)
    url = f"/api/v1/cadres/{story.cadre_id}/evidence"
    for role in ("hr", "oversight", "admin"):
        assert client.get(url, headers=_as(tokens[role])).status_code == 403
    assert client.get(url).status_code == 401
    future = client.get(url, params={"known_at": "2099-01-01T00:00:00Z"}, headers=_as(tokens["auditor"]))
    assert future.status_code == 422 and future.headers["content-type"] == "application/problem+json"
    assert "known_at" in future.text and "不能晚于当前时刻" in future.text
    bad_day = client.get(url, params={"as_of": "2026-13-01"}, headers=_as(tokens["auditor"]))
    assert bad_day.status_code == 422 and "as_of" in bad_day.text


def test_an_auditor_of_another_jurisdiction_gets_404_as_for_a_missing_cadre(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    story = history(runtime.app)  # C1 holds a post in U1
    runtime.app.handle(RegisterUnit(unit("U2")), HR)
    elsewhere = add_user(runtime.app, "auditor-u2", "auditor", False, Provenance("test-setup", "admin", "setup"),
                         scopes=["U2"])
    hidden = client.get(f"/api/v1/cadres/{story.cadre_id}/evidence", headers=_as(elsewhere))
    missing = client.get(f"/api/v1/cadres/{UUID(int=7)}/evidence", headers=_as(elsewhere))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.headers["content-type"] == missing.headers["content-type"] == "application/problem+json"
    assert hidden.json()["title"] == missing.json()["title"]
    assert hidden.json()["detail"].replace(str(story.cadre_id), "ID") == missing.json()["detail"].replace(
        str(UUID(int=7)), "ID")
    assert reads(runtime.app, story.cadre_id) == []  # nothing was read
