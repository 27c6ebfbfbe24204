"""The structure pages over HTTP without a browser (both backends): 队伍结构 and 人才库 of a unit subtree on
a day as known at an instant, 资格测算 from the growth file, the ledger's inclusion check and 查阅留痕."""

from __future__ import annotations

import json
import re
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from api.pages import integrity
from jishi.bootstrap import Runtime
from ledger.verify.cli import main as verify_cli
from service.commands import EstablishPost, RecordEntry, RegisterUnit
from service.users import add_user
from tests import factories as f
from tests.e2e.test_web_reads import ADMIN, sign_in


def cells(html: str, dimension: str) -> dict[str, int]:
    """label → count of one structure table (``data-dimension``) on the page."""
    table = re.search(rf'data-dimension="{dimension}">(.*?)</table>', html, re.S)
    assert table is not None, dimension
    body = table.group(1).split("<tbody>")[1].split("</tbody>")[0]
    return {label: int(count) for label, count in
            re.findall(r'<th scope="row">([^<]+)</th><td class="num" data-count>(\d+)</td>', body)}


@pytest.fixture
def subtree(runtime: Runtime) -> dict[str, Any]:
    """U1 with U1A below it, and U2 beside them. 王芳 (女, 1985) holds U1/P1 from 2020 and is in 年轻干部库
    from 2021; 李明 (男, 1988) holds U1A/P1 from 2021-06-01 (recorded after ``before_li``) and is in
    后备干部库 from 2022; 赵强 (男, 1970) holds U2/P1 and is in 年轻干部库 too."""
    app = runtime.app
    f.organisation(app)
    app.handle(RegisterUnit(f.unit("U1A", parent_code="U1")), f.HR)
    app.handle(RegisterUnit(f.unit("U2")), f.HR)
    app.handle(EstablishPost("U1A", f.post("P1")), f.HR)
    app.handle(EstablishPost("U2", f.post("P1")), f.HR)
    wang = f.registered(app, "C1")
    li = f.registered(app, "C2", name="李明", gender="1", birth=date(1988, 2, 3))
    zhao = f.registered(app, "C3", name="赵强", gender="1", birth=date(1970, 5, 6), education="31")
    app.handle(RecordEntry(wang, "Appointed", f.appointment("2020-01-01")), f.HR)
    app.handle(RecordEntry(zhao, "Appointed", f.appointment("2020-01-01", "U2")), f.HR)
    for cadre, pool, day in ((wang, "年轻干部库", "2021-01-01"), (zhao, "年轻干部库", "2021-01-01"),
                             (li, "后备干部库", "2022-01-01")):
        app.handle(RecordEntry(cadre, "PoolEntered", {"effective_on": day, "pool": pool, "grounds": "民主推荐",
                                                      "target_grade": "141"}), f.HR)
    time.sleep(1.1)  # known_at has whole seconds: the instant below falls strictly between the records
    before_li = datetime.now(ZoneInfo("Asia/Shanghai")).replace(microsecond=0, tzinfo=None)
    time.sleep(1.1)
    app.handle(RecordEntry(li, "Appointed", f.appointment("2021-06-01", "U1A")), f.HR)
    runtime.catch_up()
    return {"wang": wang, "li": li, "zhao": zhao, "before_li": before_li.isoformat()}


def test_the_structure_page_counts_the_unit_and_every_unit_below_it_as_the_api_does(
        client: Any, tokens: dict[str, str], subtree: dict[str, Any]) -> None:
    sign_in(client, tokens["oversight"])
    page = client.get("/units/U1/structure?as_of=2022-01-01")
    assert page.status_code == 200
    api = client.get("/api/v1/structure?unit=U1&as_of=2022-01-01",
                     headers={"Authorization": f"Bearer {tokens['oversight']}"}).json()
    assert api["cadres"] == 2 and 'data-testid="cadres">2<' in page.text
    for key in ("age_band", "gender", "education", "political_status", "grade", "rank", "ethnicity"):
        assert cells(page.text, key) == api["counts"][key], key
    assert cells(page.text, "gender") == {"男": 1, "女": 1}
    assert "50.0%" in page.text and "共 2 个单位" in page.text
    assert "赵强" not in page.text and 'id="structure-chart-data"' in page.text


def test_the_structure_before_a_cadre_was_appointed_or_as_known_before_it_was_recorded_leaves_them_out(
        client: Any, tokens: dict[str, str], subtree: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    assert cells(client.get("/units/U1/structure?as_of=2021-05-31").text, "gender") == {"女": 1}
    assert cells(client.get("/units/U1/structure?as_of=2021-06-01").text, "gender") == {"女": 1, "男": 1}
    known_before = client.get(f"/units/U1/structure?as_of=2021-06-01&known_at={subtree['before_li']}")
    assert cells(known_before.text, "gender") == {"女": 1}
    api = client.get(f"/api/v1/structure?unit=U1&as_of=2021-06-01&known_at={subtree['before_li']}%2B08:00",
                     headers={"Authorization": f"Bearer {tokens['hr']}"}).json()
    assert api["cadres"] == 1


def test_a_unit_without_cadres_says_so_and_a_bad_date_is_shown_at_its_field(
        client: Any, tokens: dict[str, str], subtree: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    empty = client.get("/units/U1/structure?as_of=2019-06-01")
    assert empty.status_code == 200 and 'id="structure-empty"' in empty.text and "echarts" not in empty.text
    bad = client.get("/units/U1/structure?as_of=2021-02-30")
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text and "err-as_of" in bad.text
    assert client.get("/units/NOPE/structure").status_code == 404


def test_pools_of_a_subtree_list_the_members_in_it_on_the_day_with_links_to_their_growth_files(
        client: Any, tokens: dict[str, str], subtree: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    on_2022 = client.get("/units/U1/pools?as_of=2022-01-01")
    assert on_2022.status_code == 200
    assert f'href="/cadres/{subtree["wang"]}?as_of=2022-01-01">王芳</a>' in on_2022.text
    assert f'href="/cadres/{subtree["li"]}?as_of=2022-01-01">李明</a>' in on_2022.text
    assert "赵强" not in on_2022.text and "入库 <strong>2</strong> 人次" in on_2022.text
    day_before = client.get("/units/U1/pools?as_of=2021-12-31&pool=后备干部库")
    assert "李明" not in day_before.text and "该日无入库人员" in day_before.text
    assert client.get("/units/U2/pools?as_of=2022-01-01&pool=年轻干部库").text.count("赵强") == 1
    refused = client.get("/units/U1/pools?pool=不存在的库")
    assert refused.status_code == 422 and "不在可选的人才库之内" in refused.text


def test_a_scoped_user_cannot_open_the_structure_or_pools_of_a_unit_outside_their_scope(
        client: Any, runtime: Runtime, subtree: dict[str, Any]) -> None:
    token = add_user(runtime.app, "hr-u2", "hr", False, ADMIN, scopes=("U2",))
    sign_in(client, token)
    assert client.get("/units/U1/structure").status_code == 404
    assert client.get("/units/U1/pools").status_code == 404
    assert "赵强" in client.get("/units/U2/pools?as_of=2022-01-01").text


def test_eligibility_from_the_growth_file_shows_each_condition_in_chinese_for_the_next_rank_and_a_post(
        client: Any, tokens: dict[str, str], subtree: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    wang = subtree["wang"]
    growth = client.get(f"/cadres/{wang}?as_of=2022-01-01").text
    assert f'href="/cadres/{wang}/eligibility?as_of=2022-01-01">资格测算</a>' in growth
    page = client.get(f"/cadres/{wang}/eligibility?as_of=2022-01-01")
    assert page.status_code == 200 and "晋升三级主任科员" in page.text  # the rank above 四级主任科员
    api = client.get(f"/api/v1/cadres/{wang}/eligibility?rank=三级主任科员&on=2022-01-01",
                     headers={"Authorization": f"Bearer {tokens['hr']}"}).json()
    rows = re.findall(r'<span class="code">(R-[A-Z-]+)</span></th>\s*<td class="nowrap"><span class="check-(ok|bad)">',
                      page.text)
    assert len(rows) >= 3 and [(r, s == "ok") for r, s in rows] == [(c["rule"], c["passed"]) for c in api["checks"]]
    assert not re.search(r"\((?:[A-Za-z][^()]*)\)</p>", page.text)  # reasons without their English half
    post = client.get(f"/cadres/{wang}/eligibility?as_of=2022-01-01&target=U1A/P1")
    assert post.status_code == 200 and "任单位U1A 副部长（乡科级副职）" in post.text
    bad = client.get(f"/cadres/{wang}/eligibility?target=科长")
    assert bad.status_code == 422 and "请选择一个职级或职位" in bad.text


def test_the_ledger_page_verifies_one_records_inclusion_and_offers_the_public_key(
        client: Any, tokens: dict[str, str], subtree: dict[str, Any], tmp_path: Path) -> None:
    sign_in(client, tokens["auditor"])
    page = client.get("/ledger?position=3")
    assert page.status_code == 200 and "签名有效" in page.text and "核验通过" in page.text
    head = client.get("/api/v1/ledger/head", headers={"Authorization": f"Bearer {tokens['auditor']}"}).json()
    assert head["root_hash"] in page.text and head["key_id"] in page.text
    assert page.text.count("✓ 通过") == 3
    key = client.get("/ledger/public-key")
    assert key.status_code == 200 and key.text.startswith("-----BEGIN PUBLIC KEY-----")
    assert "attachment" in key.headers["content-disposition"]
    (tmp_path / "key.pem").write_bytes(key.content)  # the offline verifier takes the downloaded key
    (tmp_path / "head.json").write_text(json.dumps(head))
    assert verify_cli(["head", str(tmp_path / "head.json"), str(tmp_path / "key.pem")]) == 0
    missing = client.get("/ledger?position=999999")
    assert missing.status_code == 422 and "账本中没有位置 999999 的记录" in missing.text
    assert client.get("/ledger?position=abc").status_code == 422


def test_the_read_log_is_for_auditors_and_pages_through_who_read_whose_file(
        client: Any, tokens: dict[str, str], runtime: Runtime, subtree: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    for _ in range(3):
        assert client.get(f"/cadres/{subtree['li']}").status_code == 200
    assert client.get("/reads").status_code == 403
    sign_in(client, tokens["auditor"])
    page = client.get("/reads")
    assert page.status_code == 200 and page.text.count(">李明</a>") == 3 and "hr-user" in page.text
    assert "组织人事" in page.text and 'href="/reads"' in page.text  # the nav link for auditors
    only_wang = client.get(f"/reads?cadre={subtree['wang']}")
    assert "无查阅记录" in only_wang.text
    assert client.get("/reads?cadre=not-a-uuid").status_code == 422


def test_the_read_log_pages_forward_with_a_link_to_the_next_page_and_back_to_the_first(
        client: Any, tokens: dict[str, str], subtree: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(integrity, "READ_LOG_PAGE", 2)
    sign_in(client, tokens["hr"])
    for cadre in ("wang", "li", "zhao"):
        client.get(f"/cadres/{subtree[cadre]}")
    sign_in(client, tokens["auditor"])
    first = client.get("/reads").text
    assert ">王芳</a>" in first and ">李明</a>" in first and "赵强" not in first
    following = re.search(r'href="/reads\?after=(\d+)" rel="next">下一页</a>', first)
    assert following is not None
    second = client.get(f"/reads?after={following.group(1)}").text
    assert ">赵强</a>" in second and "王芳" not in second and "回到第一页" in second
    assert 'rel="next"' not in second  # one read on the last page: no next page


def test_a_scoped_auditor_sees_only_the_reads_and_ledger_records_of_their_scope(
        client: Any, runtime: Runtime, tokens: dict[str, str], subtree: dict[str, Any]) -> None:
    sign_in(client, tokens["hr"])
    for cadre in ("wang", "zhao"):
        client.get(f"/cadres/{subtree[cadre]}")
    token = add_user(runtime.app, "auditor-u2", "auditor", False, ADMIN, scopes=("U2",))
    sign_in(client, token)
    page = client.get("/reads").text
    assert ">赵强</a>" in page and "王芳" not in page
    assert client.get(f"/reads?cadre={subtree['wang']}").status_code == 404
    positions = {p for p in range(1, (runtime.app.recorder.max_notification_id() or 0) + 1)}
    hidden = next(p for p in sorted(positions) if not runtime.read_models.event_visible(p, frozenset({"U2"})))
    shown = next(p for p in sorted(positions) if runtime.read_models.event_visible(p, frozenset({"U2"})))
    assert "核验通过" in client.get(f"/ledger?position={shown}").text
    refused = client.get(f"/ledger?position={hidden}")
    assert refused.status_code == 422 and "核验通过" not in refused.text
