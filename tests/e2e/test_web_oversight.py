"""监督发现 in four groups with an override's evidence, and the audit trail filtered by Beijing dates over
the whole history with old → new for a correction: over HTTP (both backends) and in Debian's chromium.

Records are stamped at chosen instants (the event library's clock is set for the test), so a record
at 23:30 UTC is known to fall on the next Beijing day."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import eventsourcing.domain
import pytest

from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.commands import CorrectCaseStep, CorrectEntry, EstablishPost, RecordEntry, RegisterUnit
from service.users import add_user
from tests import factories as f
from tests.e2e.test_web_reads import sign_in

SignIn = Callable[[str], Any]
BUSY_DAY = 120  # records on 1 March 2024 (Beijing): more than one page of the trail (100)
LAST_OF_MARCH_1 = datetime(2024, 3, 1, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Beijing, 1 March
NEXT_BEIJING_DAY = datetime(2024, 3, 1, 23, 30, tzinfo=UTC)  # 07:30 in Beijing, 2 March


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the screenshots go: ``$JISHI_SCREENSHOT_DIR`` (``docs/screenshots`` to refresh the committed ones),
    else the test's own directory (a test run leaves the work tree as it was)."""
    return Path(os.environ.get("JISHI_SCREENSHOT_DIR") or tmp_path)


@contextmanager
def stamped(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> Iterator[None]:
    """Events created inside are stamped ``moment`` (as if recorded then)."""
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: moment)
    try:
        yield
    finally:
        monkeypatch.undo()


@pytest.fixture
def office(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """U1/P1 (establishment 1) held by 王芳 since 2020, 张伟 appointed to it past R-EST with an approval;
    李明 appointed to U2/P1 three days ago (his 任前谈话 not yet due). hr-zhang recorded 120 talks and an
    assessment on 1 March 2024 (Beijing) and corrected the assessment at 07:30 on 2 March (Beijing)."""
    app = runtime.app
    f.organisation(app)
    app.handle(RegisterUnit(f.unit("U2", name="县发展改革局")), f.HR)
    app.handle(EstablishPost("U2", f.post("P1")), f.HR)
    wang = f.registered(app, "C1")
    li = f.registered(app, "C2", name="李明", gender="1", birth=date(1988, 2, 3))
    zhang = f.registered(app, "C3", name="张伟", gender="1", birth=date(1984, 5, 6))
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01")), f.HR)
    override = app.handle(RecordEntry(zhang, "Appointed", f.appointment(
        "2021-03-01", override_reason="临时超配，经县委常委会研究同意", document_no="青组干〔2021〕7号")),
        f.HR_OVERRIDE)
    recent = (app.today() - timedelta(days=3)).isoformat()
    app.handle(RecordEntry(li, "Appointed", f.appointment(recent, "U2")), f.HR)
    with stamped(monkeypatch, datetime(2024, 3, 1, 2, 0, tzinfo=UTC)):
        for n in range(BUSY_DAY):
            app.handle(RecordEntry(wang, "ConversationHeld", {
                "effective_on": "2024-02-29", "kind": "谈心谈话", "interviewer": "组织部长", "summary": f"谈心{n}"}),
                f.HR)
    with stamped(monkeypatch, LAST_OF_MARCH_1):
        assessed = app.handle(RecordEntry(wang, "Assessed", {"effective_on": "2024-01-15", "kind": "年度",
                                                             "period": "2023", "grade": "称职"}), f.HR)
    with stamped(monkeypatch, NEXT_BEIJING_DAY):
        correction = app.handle(CorrectEntry(wang, assessed.entry_id, {"changes": {"grade": "基本称职"},
                                                                       "reason": "考核结果录入有误"}), f.HR)
    runtime.catch_up()
    return {"wang": wang, "li": li, "zhang": zhang, "override": override.entry_id, "assessed": assessed.entry_id,
            "correction": correction.entry_id}


def test_the_beijing_date_filter_puts_a_record_at_23_30_utc_on_the_next_day_over_the_whole_history(
        client: Any, tokens: dict[str, str], office: dict[str, Any]) -> None:
    sign_in(client, tokens["auditor"])
    march_2 = client.get("/audit", params={"actor": "hr-zhang", "from": "2024-03-02", "to": "2024-03-02"}).text
    assert "共 1 条记录" in march_2 and f'id="entry-{office["correction"]}"' in march_2
    assert "2024-03-02<br><span class=\"muted\">07:30:00" in march_2  # shown in Beijing time too
    march_1 = client.get("/audit", params={"actor": "hr-zhang", "from": "2024-03-01", "to": "2024-03-01"}).text
    assert f"共 {BUSY_DAY + 1} 条记录，第 1 / 2 页" in march_1 and f'id="entry-{office["correction"]}"' not in march_1
    page_2 = client.get("/audit", params={"actor": "hr-zhang", "from": "2024-03-01", "to": "2024-03-01",
                                          "page": "2"}).text
    assert f'id="entry-{office["assessed"]}"' in page_2 and "2024-03-01<br><span class=\"muted\">23:59:59" in page_2
    assert page_2.count('<tr id="entry-') == BUSY_DAY + 1 - 100
    backwards = client.get("/audit", params={"actor": "hr-zhang", "from": "2024-03-02", "to": "2024-03-01"})
    assert backwards.status_code == 422 and "截止日期不得早于起始日期" in backwards.text


def test_a_correction_shows_old_and_new_values_and_a_read_names_whose_file_was_read(
        client: Any, runtime: Runtime, tokens: dict[str, str], office: dict[str, Any]) -> None:
    sign_in(client, tokens["auditor"])
    page = client.get("/audit", params={"cadre": "C1", "from": "2024-03-02"}).text
    row = page[page.index(f'id="entry-{office["correction"]}"'):]
    assert "等次：<del>称职</del> → <ins>基本称职</ins>" in row[:row.index("</tr>")]
    assert client.get(f"/cadres/{office['li']}").status_code == 200  # the auditor reads 李明's file
    runtime.catch_up()
    reads = client.get("/audit", params={"actor": "auditor-user"}).text
    read_row = reads[reads.index("查阅成长档案"):]
    assert re.match(rf'查阅成长档案\s*</th>\s*<td>查阅 <a href="/cadres/{office["li"]}">李明</a> 的成长档案',
                    read_row), read_row[:300]
    assert not re.search(r"<th scope=\"row\">[A-Z][A-Za-z]+ ", reads + page)  # no raw event names


def test_oversight_reads_findings_in_four_groups_and_opens_an_overrides_reason(
        signed_in: SignIn, runtime: Runtime, office: dict[str, Any], shots: Path) -> None:
    page = signed_in("oversight")
    page.goto("/findings")
    groups = runtime.read_models.finding_groups(runtime.app.today())
    assert groups["overdue"] >= 2 and groups["not_due"] >= 1 and groups["overridden"] == 1
    for group, label in (("overdue", "逾期"), ("not_due", "未到期"), ("resolved", "已整改"),
                         ("overridden", "经批准例外放行")):
        assert page.locator(f'[data-group="{group}"]').inner_text().split() == [label, str(groups[group]), "项"]
    assert page.get_by_test_id("list-status").inner_text().startswith(f"逾期共 {groups['overdue']} 项")
    page.screenshot(path=str(shots / "findings-groups.png"))
    page.locator('[data-group="not_due"]').click()
    rows = page.locator("table.findings tbody tr")
    assert rows.count() == groups["not_due"] and any("李明" in text for text in rows.all_inner_texts())
    assert all("未到期" in text for text in rows.all_inner_texts())
    page.locator('[data-group="overridden"]').click()
    assert page.locator("table.findings tbody tr").count() == 1
    assert "经批准例外放行：不得超职数配备（R-EST）" in page.locator("table.findings tbody tr").inner_text()
    page.get_by_role("link", name="查看例外放行的理由和依据").click()
    evidence = page.get_by_test_id("override")
    assert page.get_by_test_id("override-reason").inner_text() == "临时超配，经县委常委会研究同意"
    text = evidence.inner_text()
    assert "张伟" in text and "hr-chief" in text and "青组干〔2021〕7号" in text and "R-EST" in text
    assert "单位U1 · 副部长" in text and "P1" not in text  # the post by its title, not its code
    page.screenshot(path=str(shots / "override-evidence.png"), full_page=True)


def test_an_auditor_filters_an_actors_records_by_beijing_dates_and_sees_old_and_new_for_a_correction(
        signed_in: SignIn, office: dict[str, Any], shots: Path) -> None:
    page = signed_in("auditor")
    page.goto("/audit")
    page.get_by_label("记录人").fill("hr-zhang")
    page.get_by_label("记录日期自").fill("2024-03-01")
    page.get_by_label("记录日期至").fill("2024-03-02")
    page.get_by_role("button", name="筛选").click()
    assert page.get_by_role("status").inner_text().startswith(f"共 {BUSY_DAY + 2} 条记录，第 1 / 2 页")
    page.screenshot(path=str(shots / "audit-filter.png"))
    page.get_by_role("link", name="下一页").click()
    correction = page.locator(f'[id="entry-{office["correction"]}"]')
    assert "等次：称职 → 基本称职" in correction.inner_text() and "考核结果录入有误" in correction.inner_text()
    assert "2024-03-02" in correction.inner_text()
    correction.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "audit-correction.png"))


def test_the_override_page_answers_404_for_a_record_that_overrode_nothing_or_a_malformed_id(
        client: Any, tokens: dict[str, str], office: dict[str, Any]) -> None:
    sign_in(client, tokens["oversight"])
    shown = client.get(f"/overrides/{office['override']}")
    assert shown.status_code == 200 and "临时超配，经县委常委会研究同意" in shown.text
    plain = client.get(f"/overrides/{office['assessed']}")
    assert plain.status_code == 404 and "该记录未经例外放行" in plain.text
    assert client.get("/overrides/not-an-id").status_code == 404


def test_an_override_outside_the_users_jurisdiction_does_not_exist_for_them(
        client: Any, runtime: Runtime, office: dict[str, Any]) -> None:
    token = add_user(runtime.app, "oversight-u2", "oversight", False, Provenance("test-setup", "admin", "setup"),
                     ("U2",))
    sign_in(client, token)
    assert client.get(f"/overrides/{office['override']}").status_code == 404  # 张伟's post is in U1
    assert 'data-group="overridden"><span>经批准例外放行</span> <strong>0</strong>' in client.get("/findings").text


def test_a_case_steps_correction_shows_old_and_new_and_the_steps_read_in_chinese(
        client: Any, runtime: Runtime, tokens: dict[str, str], office: dict[str, Any]) -> None:
    app = runtime.app
    case_id = f.completed_case(app, office["li"], date(2023, 3, 1), "U2", "P1")
    inspected = next(s for s in app.get_case(case_id).steps if s.type == "Inspected")
    before = inspected.values["findings"]
    correction = app.handle(CorrectCaseStep(case_id, inspected.entry_id, {
        "changes": {"findings": "政治坚定，担当作为"}, "reason": "考察材料录入有误"}), f.HR)
    runtime.catch_up()
    sign_in(client, tokens["auditor"])
    page = client.get("/audit", params={"case": str(case_id)}).text
    row = page[page.index(f'id="entry-{correction.entry_id}"'):]
    assert f"考察情况：<del>{before}</del> → <ins>政治坚定，担当作为</ins>" in row[:row.index("</tr>")]
    for label in ("任前公示", "考察", "讨论决定", "任用/不予任用/缓议"):
        assert f'<th scope="row">{label}' in page
    assert "PublicityHeld" not in page and "CaseConcluded" not in page
