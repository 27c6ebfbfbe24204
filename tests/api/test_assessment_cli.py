"""`jishi assessment participants` and `jishi assessment round`: a unit's 年度考核 from the command line."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from api.cli import app as cli
from service.commands import EstablishPost, RecordEntry, RegisterUnit
from tests import factories as f


def test_the_participants_recorded_from_the_command_line_govern_the_round(cli_env: None, app: Any) -> None:
    app.handle(RegisterUnit(f.unit("U1")), f.HR)
    app.handle(EstablishPost("U1", f.post("P1", establishment=2, leadership=False, probation=False)), f.HR)
    cadre_id = f.registered(app, "C1")
    app.handle(RecordEntry(cadre_id, "Appointed", f.appointment("2020-01-01")), f.HR)
    shown = CliRunner().invoke(cli, ["assessment", "round", "U1", "2023"])
    assert shown.exit_code == 0, shown.output
    assert "participants 1 (post holders on 2023-12-31); 优秀 0; allowed 0" in shown.stdout
    recorded = CliRunner().invoke(cli, ["assessment", "participants", "U1", "2023", "12", "--document-no",
                                        "县考委〔2024〕1号", "--effective-on", "2024-01-10"])
    assert recorded.exit_code == 0, recorded.output
    app.handle(RecordEntry(cadre_id, "Assessed", {"effective_on": "2024-01-15", "kind": "年度", "period": "2023",
                                            "grade": "优秀"}), f.HR)
    shown = CliRunner().invoke(cli, ["assessment", "round", "U1", "2023"])
    assert ("participants 12 (recorded under 县考委〔2024〕1号); 优秀 1; allowed 2, with approval (批准文号) 3"
            in shown.stdout)
    refused = CliRunner().invoke(cli, ["assessment", "participants", "U1", "2023", "0", "--document-no", "x",
                                       "--effective-on", "2024-01-10"])
    assert refused.exit_code != 0 and "participants" in refused.output
