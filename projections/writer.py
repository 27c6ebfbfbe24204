"""Collects one page's writes and flushes them as a few batched statements.

Closing a row that was inserted earlier in the same page only edits the pending row;
closing an older row becomes one ``UPDATE … WHERE signature = ? AND recorded_to = NEVER``
in an executemany. A row's signature is a digest of its full content, owner included, so
it names exactly one open row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update

from projections.models import NEVER


class PageWriter:
    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        self.open: dict[Any, dict[str, int]] = {}  # table -> signature -> index of its open pending row
        self.closes: dict[Any, list[dict[str, Any]]] = {}
        self.appends: dict[Any, list[dict[str, Any]]] = {}

    def insert(self, table: Any, row: dict[str, Any]) -> None:
        rows = self.rows.setdefault(table, [])
        rows.append(row)
        self.open.setdefault(table, {})[row["signature"]] = len(rows) - 1

    def close(self, table: Any, signature: str, ts: datetime) -> None:
        index = self.open.get(table, {}).pop(signature, None)
        if index is not None:
            self.rows[table][index]["recorded_to"] = ts
        else:
            self.closes.setdefault(table, []).append({"sig": signature, "ts": ts})

    def append(self, table: Any, row: dict[str, Any]) -> None:
        """A row that is never closed (the audit log)."""
        self.appends.setdefault(table, []).append(row)

    def flush(self, conn: Connection) -> None:
        for table, closes in self.closes.items():
            statement = update(table).where(table.signature == bindparam("sig"), table.recorded_to == NEVER) \
                .values(recorded_to=bindparam("ts"))
            conn.execute(statement.execution_options(synchronize_session=False), closes)
        for table, rows in (*self.rows.items(), *self.appends.items()):
            if rows:
                conn.execute(insert(table), rows)
        self.rows.clear()
        self.open.clear()
        self.closes.clear()
        self.appends.clear()
