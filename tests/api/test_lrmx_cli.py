"""`jishi import lrmx FILE [--dry-run]` and `jishi export growth-file ID --pdf [--out FILE]`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from domain import ids
from domain.errors import NotFoundError
from service.commands import RecordEntry
from tests import factories as f

FORM = """<?xml version="1.0" encoding="UTF-8"?>
<Person><XingMing>李强</XingMing><XingBie>男</XingBie><ChuShengNianYue>198003</ChuShengNianYue>
<MinZu>汉族</MinZu><JiGuan>山东济南</JiGuan><ChuShengDi>山东济南</ChuShengDi><RuDangShiJian>200106</RuDangShiJian>
<CanJiaGongZuoShiJian>200207</CanJiaGongZuoShiJian><QuanRiZhiJiaoYu_XueLi>大学本科毕业</QuanRiZhiJiaoYu_XueLi>
<ShenFenZheng>370102198003150011</ShenFenZheng></Person>"""
GIVEN = ["--cadre-no", "L1", "--entry-channel", "考试录用", "--rank", "四级主任科员"]


def test_import_lrmx_dry_runs_then_stores_and_reports_what_it_did_not_map(
        cli_env: None, runtime: Any, tmp_path: Path) -> None:
    file = tmp_path / "李强.lrmx"
    file.write_text(FORM, "utf-8")
    dry = CliRunner().invoke(cli, ["import", "lrmx", str(file), "--dry-run", *GIVEN])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["dry_run"] is True
    with pytest.raises(NotFoundError):  # a dry run stores nothing
        runtime.app.get_cadre(ids.cadre_id("L1"))
    done = CliRunner().invoke(cli, ["import", "lrmx", str(file), *GIVEN])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert (report["stored"], report["refused"]) == (1, 0)
    assert [u["label"] for u in report["unmapped"]] == ["出生地"]
    assert runtime.app.get_cadre(ids.cadre_id("L1")).profile["name"] == "李强"


def test_import_lrmx_without_what_the_form_lacks_exits_2_naming_the_fields(
        cli_env: None, runtime: Any, tmp_path: Path) -> None:
    file = tmp_path / "李强.lrmx"
    file.write_text(FORM, "utf-8")
    refused = CliRunner().invoke(cli, ["import", "lrmx", str(file)])
    assert refused.exit_code == 2
    assert {p["column"] for p in json.loads(refused.stdout)["problems"]} == {"cadre_no", "entry_channel", "rank"}


def test_export_growth_file_writes_the_printed_file_as_a_pdf(cli_env: None, runtime: Any, tmp_path: Path) -> None:
    f.organisation(runtime.app)
    cadre_id = f.registered(runtime.app)
    runtime.app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")), f.HR)
    out = tmp_path / "printed.pdf"
    done = CliRunner().invoke(cli, ["export", "growth-file", str(cadre_id), "--pdf", "--out", str(out)])
    assert done.exit_code == 0, done.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and re.search(rb"/Type\s*/Page[^s]", data)
    missing = CliRunner().invoke(cli, ["export", "growth-file", str(f.UUID(int=7)), "--pdf", "--out", str(out)])
    assert missing.exit_code == 4 and "no such cadre" in missing.output
