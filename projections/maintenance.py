"""Keeping the read-model database fit: the tables and indexes a version adds, the positions of the
projections it adds, and the planner's statistics after a bulk catch-up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, Index, insert, inspect, select
from sqlalchemy.schema import CreateIndex

from projections.db import Base
from projections.models import (
    POSTGRES_ONLY_INDEXES,
    AuditRow,
    CalendarRow,
    EntryRow,
    FindingRow,
    JudgedPublicityRow,
    Position,
    PostRow,
    SearchRow,
    SpanRow,
    UnitRow,
)

RETIRED_INDEXES = ("ix_rm_finding_current",)  # replaced by ix_rm_finding_open_due (2026-12)
SQLITE_ANALYSIS_LIMIT = 2_000  # index rows sampled per index by ANALYZE: bounded time at any size
ANALYZE_AFTER = 10_000  # events applied in one catch-up after which the planner statistics are refreshed
PROJECTIONS: tuple[str, ...] = ("units", "posts", "entries", "spans", "findings", "audit", "calendar", "search")
TABLES: dict[str, tuple[Any, ...]] = {  # the read-model tables of each projection
    "units": (UnitRow,), "posts": (PostRow,), "entries": (EntryRow,), "spans": (SpanRow,),
    "findings": (FindingRow, JudgedPublicityRow), "audit": (AuditRow,), "calendar": (CalendarRow,),
    "search": (SearchRow,),  # added 2026-12: read models built before fill it on their next catch-up (from 0)
}
BORN_EMPTY = frozenset({"calendar"})  # projections of event types new with the projection (jishi.calendar.*)


def prepare(engine: Engine) -> list[str]:
    """Create what is missing (tables, indexes, positions); the names of the indexes created."""
    Base.metadata.create_all(engine)
    upgrade_columns(engine)
    added = upgrade_indexes(engine)
    with engine.begin() as conn:
        known = {r.name: r.position for r in conn.execute(select(Position))}
        # A projection added by an upgrade whose events did not exist before it starts where the
        # others are, rather than re-reading the whole log once (at L, an hour) for nothing.
        since = min(known.values(), default=0)
        missing = [{"name": n, "position": since if n in BORN_EMPTY else 0} for n in PROJECTIONS if n not in known]
        if missing:
            conn.execute(insert(Position), missing)
    return added


ADDED_COLUMNS = (("rm_span", "id_key", "VARCHAR(64)"),)  # encryption at rest (2026-12)


def missing_columns(engine: Engine) -> list[tuple[str, str, str]]:
    """The columns a version added that a table made by an earlier version lacks."""
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    return [(table, column, kind) for table, column, kind in ADDED_COLUMNS
            if table in tables and column not in {c["name"] for c in inspector.get_columns(table)}]


def upgrade_columns(engine: Engine) -> None:
    """Add them (NULL until the rows are rebuilt: the runner rebuilds read models it finds so)."""
    for table, column, kind in missing_columns(engine):
        with engine.begin() as conn:
            exists = "" if engine.dialect.name == "sqlite" else "IF NOT EXISTS "
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {exists}{column} {kind}")


def compact(engine: Engine) -> None:
    """SQLite: rewrite the file without its free pages and empty the WAL, so that the bytes of rows a
    rebuild replaced (read models an earlier version wrote in clear) are nowhere in the files."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")  # the connection is in autocommit (projections/db.py): no transaction open
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


def upgrade_indexes(engine: Engine) -> list[str]:
    """Create the indexes added since the tables were made and drop those they replace;
    the names of the indexes created."""
    inspector = inspect(engine)
    tables = Base.metadata.sorted_tables
    existing = {i["name"] for table in tables for i in inspector.get_indexes(table.name)}
    skip = POSTGRES_ONLY_INDEXES if engine.dialect.name != "postgresql" else frozenset()
    added = [index for table in tables for index in table.indexes if index.name not in existing | skip]
    with engine.begin() as conn:  # IF [NOT] EXISTS: the server's workers open the store at once
        for index in added:
            conn.execute(CreateIndex(index, if_not_exists=True))
        for name in RETIRED_INDEXES:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    return [str(index.name) for index in added]


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics after a bulk catch-up (a rebuild). PostgreSQL would
    plan the read queries for the empty tables until autovacuum gets to it; SQLite has no
    statistics at all until asked, and without them it reads a roster's secondments to a unit
    through the index of every current span of that kind instead of the one by host."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            conn.exec_driver_sql("ANALYZE")
            return
        for table in Base.metadata.sorted_tables:
            conn.exec_driver_sql(f"ANALYZE {table.name}")


def drop_secondary_indexes(conn: Connection, names: Iterable[str], keep: Iterable[Any] = ()) -> list[Index]:
    """SQLite: a bulk rebuild inserts without the read models' secondary indexes and builds them at
    its end, sorting once instead of a random B-tree insert per row and index. The indexes of the
    tables in ``keep`` (read while the rebuild runs) stay."""
    kept = set(keep)
    dropped: list[Index] = []
    for name in names:
        for model in TABLES[name]:
            if model in kept:
                continue
            for index in sorted(model.__table__.indexes, key=lambda i: str(i.name)):
                index.drop(conn)
                dropped.append(index)
    return dropped
