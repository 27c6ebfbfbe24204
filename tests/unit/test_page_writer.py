"""The page writer's inserts on SQLite go to the driver's executemany (projections/writer.py): they
must store exactly the bytes SQLAlchemy's ``insert`` stores — sealed columns sealed, the keyed ID
number hashed, dates and datetimes and JSON rendered alike — and closing a pending row still edits it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import StatementError

from projections.db import Base, make_engine
from projections.models import NEVER, AuditRow, EntryRow, FindingRow, SearchRow, SpanRow
from projections.sealed import Sealer
from projections.writer import PageWriter

WHEN = datetime(2024, 3, 5, 9, 30, 15, 123456)
LATER = datetime(2024, 3, 6, 10, 0)


def _engine(path: Path, sealer: Sealer | None) -> Engine:
    engine = make_engine(f"sqlite:///{path}", writer=True, sealer=sealer)
    Base.metadata.create_all(engine)
    return engine


def _rows() -> dict[Any, list[dict[str, Any]]]:
    cadre = "5f0b6c52-8e8b-4a39-9a53-2a8f4f0c1e11"
    common = {"recorded_from": WHEN, "recorded_to": NEVER}
    return {
        EntryRow: [{"cadre_id": cadre, "entry_id": f"e-{i}", "type": "ConversationHeld", "version": i,
                    "effective_on": date(2024, 1, i + 1),
                    "values": {"summary": "谈话提醒", "id_number": "11010519850615004X", "hours": Decimal("1.5"),
                               "on": date(2024, 1, 2)},
                    "overrides": ["R-TALK-PROMO"], "recorded_at": WHEN, "position": 10 + i,
                    "signature": f"s-entry-{i}", **common} for i in range(3)],
        SpanRow: [{"cadre_id": cadre, "kind": "profile", "unit_code": None, "post_code": None, "label": "王芳",
                   "data": {"name": "王芳", "id_number": "11010519850615004X"}, "entry_id": "e-0",
                   "valid_from": date(1, 1, 1), "valid_to": date(9999, 12, 31), "cadre_no": "A001",
                   "birth_date": date(1985, 6, 15), "gender": "女", "ethnicity": "汉族", "education": "大学",
                   "political_status": "中共党员", "id_key": "11010519850615004x", "signature": "s-span", **common}],
        SearchRow: [{"cadre_id": cadre, "name": "王芳", "pinyin": "wangfang", "initials": "wf",
                     "id_key": "11010519850615004X", "position": 12, "signature": "s-search", **common}],
        FindingRow: [{"rule": "R-TRAIN-HOURS", "cadre_id": cadre, "unit_code": "U01", "key": "2024",
                      "trigger_on": date(2024, 1, 1), "due_on": date(2024, 12, 31), "resolved_on": None,
                      "overridden": False, "evidence": [], "resolution": ["e-1"], "detail": "培训学时",
                      "signature": f"s-finding-{i}", **common} for i in range(2)],
    }


def _dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {table: list(conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")))
                for table in ("rm_entry", "rm_span", "rm_search", "rm_finding", "rm_audit")}


@pytest.mark.parametrize("sealed", [True, False])
def test_rows_written_through_the_driver_are_byte_for_byte_what_sqlalchemy_writes(tmp_path: Path,
                                                                                   sealed: bool) -> None:
    sealer = Sealer(os.urandom(32)) if sealed else None
    ours, theirs = _engine(tmp_path / "ours.sqlite", sealer), _engine(tmp_path / "theirs.sqlite", sealer)
    audit = {"position": 7, "entry_id": "e-0", "stream_id": "s", "stream": "cadre", "type": "EntryCorrected",
             "effective_on": date(2024, 1, 1), "recorded_at": WHEN, "actor": "hr", "actor_role": "hr",
             "document_no": None, "reason": "更正笔误", "corrects": "e-1", "retracts": None, "overrides": [],
             "override_reason": "情况特殊", "cadre_id": "c", "unit_code": None, "post_code": None, "case_id": None}
    writer = PageWriter()
    for table, rows in _rows().items():
        for row in rows:
            writer.insert(table, dict(row))
    writer.append(AuditRow, dict(audit))
    with ours.begin() as conn:
        writer.flush(conn)
    with theirs.begin() as conn:
        for table, rows in _rows().items():
            conn.execute(insert(table), rows)
        conn.execute(insert(AuditRow), [audit])
    stored = _dump(ours)
    assert stored == _dump(theirs)
    assert all(stored.values())
    raw = repr(stored["rm_entry"]) + repr(stored["rm_span"]) + repr(stored["rm_audit"])
    assert ("谈话提醒" in raw) is not sealed and ("更正笔误" in raw) is not sealed


def test_a_row_closed_in_the_page_that_inserted_it_is_stored_closed_and_a_later_close_updates_it(
        tmp_path: Path) -> None:
    engine = _engine(tmp_path / "read.sqlite", None)
    writer = PageWriter()
    first, second = _rows()[FindingRow]
    writer.insert(FindingRow, dict(first))
    writer.insert(FindingRow, dict(second))
    writer.close(FindingRow, first["signature"], LATER)
    with engine.begin() as conn:
        writer.flush(conn)
        writer.close(FindingRow, second["signature"], LATER)
        writer.flush(conn)
    with engine.connect() as conn:
        ends = {sig: end for sig, end in conn.execute(select(FindingRow.signature, FindingRow.recorded_to))}
    assert ends == {first["signature"]: LATER, second["signature"]: LATER}


def test_rows_of_a_table_missing_a_key_are_refused_as_sqlalchemy_refuses_them(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "read.sqlite", None)
    writer = PageWriter()
    first, second = _rows()[FindingRow]
    writer.insert(FindingRow, dict(first))
    writer.insert(FindingRow, {k: v for k, v in second.items() if k != "detail"})  # one key fewer
    with pytest.raises(StatementError, match="detail"), engine.begin() as conn:
        writer.flush(conn)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM rm_finding")).scalar() == 0  # nothing half written


# dates and datetimes of any year, repeated or not; a datetime in a date column, a date in a datetime
# column and an instant with an offset (SQLAlchemy stores its local fields) go the general way
DAYS = st.one_of(st.none(), st.sampled_from([date(2024, 1, 1), date(2024, 1, 2), date(1, 1, 1)]), st.dates(),
                 st.datetimes())
# (two of them the same instant at different offsets: equal datetimes, whose stored local times differ)
INSTANTS = st.one_of(st.sampled_from([WHEN, LATER, NEVER, WHEN.replace(tzinfo=UTC),
                                      (WHEN + timedelta(hours=8)).replace(tzinfo=timezone(timedelta(hours=8)))]),
                     st.datetimes(), st.dates(), st.datetimes(timezones=st.just(timezone(timedelta(hours=8)))))
REASONS = st.one_of(st.none(), st.sampled_from(["更正笔误", "情况特殊"]), st.text(max_size=8))


@st.composite
def _audit_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Audit rows whose dates, instants and sealed reasons repeat across rows or not."""
    count = draw(st.integers(1, 12))
    return [{"position": i, "entry_id": f"e-{i}", "stream_id": "s", "stream": "cadre", "type": "EntryCorrected",
             "effective_on": draw(DAYS), "recorded_at": draw(INSTANTS), "actor": "hr", "actor_role": "hr",
             "document_no": draw(st.one_of(st.none(), st.text(max_size=4))), "reason": draw(REASONS),
             "corrects": None, "retracts": None, "overrides": draw(st.lists(st.sampled_from(["R-A", "R-B"]))),
             "override_reason": draw(REASONS), "cadre_id": "c", "unit_code": None, "post_code": None,
             "case_id": None} for i in range(count)]


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[bool, tuple[Engine, Engine]]]:
    """(ours, theirs) without and with a sealer, made once for the module's examples."""
    folder, sealer = tmp_path_factory.mktemp("writer"), Sealer(b"k" * 32)
    made = {sealed: (_engine(folder / f"ours-{sealed}.sqlite", sealer if sealed else None),
                     _engine(folder / f"theirs-{sealed}.sqlite", sealer if sealed else None))
            for sealed in (False, True)}
    yield made
    for pair in made.values():
        for engine in pair:
            engine.dispose()


@settings(max_examples=40, deadline=None)
@given(rows=_audit_rows(), sealed=st.booleans())
def test_rows_whose_dates_and_instants_repeat_or_not_are_stored_as_sqlalchemy_stores_them(
        engines: dict[bool, tuple[Engine, Engine]], rows: list[dict[str, Any]], sealed: bool) -> None:
    ours, theirs = engines[sealed]
    writer = PageWriter()
    for row in rows:
        writer.append(AuditRow, dict(row))
    with ours.begin() as conn:
        conn.execute(text("DELETE FROM rm_audit"))
        writer.flush(conn)
    with theirs.begin() as conn:
        conn.execute(text("DELETE FROM rm_audit"))
        conn.execute(insert(AuditRow), rows)
    stored = _dump(ours)["rm_audit"]
    assert stored == _dump(theirs)["rm_audit"]
    assert len(stored) == len(rows)
