"""The entry and correction forms' lists over HTTP without a browser (both backends)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from jishi.bootstrap import Runtime
from service.commands import EstablishPost, RecordEntry
from tests import factories as f
from tests.e2e.test_web_users_http import csrf_of, sign_in


def selected(html: str, name: str) -> list[str]:
    """The selected option values of the select ``name``."""
    block = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert block is not None, name
    return re.findall(r'<option value="([^"]*)" selected>', block.group(0))


def test_a_promotions_correction_form_keeps_its_unit_post_and_case_chosen_and_changes_only_what_was_changed(
        client: Any, tokens: dict[str, str], runtime: Runtime) -> None:
    app = runtime.app
    f.organisation(app)
    app.handle(EstablishPost("U1", f.post("P3", title="部长", grade="141")), f.HR)
    wang = f.registered(app, "C1")
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01")), f.HR)
    promotion = f.promoted(app, wang, "U1", "P3", date(2023, 6, 1))
    case_id = str(app.get_cadre(wang).entries[promotion.entry_id].values["selection_case_id"])
    runtime.catch_up()
    sign_in(client, tokens["hr"])
    path = f"/cadres/{wang}/entries/{promotion.entry_id}/correction"
    form = client.get(path).text
    assert selected(form, "unit_code") == ["U1"] and selected(form, "post_code") == ["P3"]
    assert selected(form, "selection_case_id") == [case_id]  # its own case stays on offer
    assert "本人：已决定任用" in form and "单位代码" not in form
    answer = client.post(path, data={
        "csrf_token": csrf_of(client, path), "form_key": "c" * 16, "effective_on": "2023-06-01",
        "document_no": "组干〔2023〕99号", "unit_code": "U1", "post_code": "P3", "manner": "提拔",
        "selection_case_id": case_id, "reason_for_change": "文号录入错误"}, follow_redirects=False)
    assert answer.status_code == 303
    recorded = re.search(r"recorded=([0-9a-f-]{36})", answer.headers["location"])
    assert recorded is not None
    correction = app.get_cadre(wang).entries[f.UUID(recorded.group(1))]
    assert correction.type == "EntryCorrected" and correction.values["changes"] == {"document_no": "组干〔2023〕99号"}
