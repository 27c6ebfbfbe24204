"""Which stored records, in a range of positions, are of topics other than some: for the follower (are
only reads waiting?) and the answer cache's version (where is the last record that can change an answer?).

On SQLite and PostgreSQL one query compares the topics in the database (≈ 0.25 µs a record on SQLite); a
recorder of another kind has its records read and their topics compared here (≈ 5 µs a record with its
state, on SQLite; on PostgreSQL that was every record's state over the wire, a page at a time).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresApplicationRecorder

__all__ = ["last_other"]

PAGE = 1000


def last_other(recorder: ApplicationRecorder, after: int, until: int, prefixes: tuple[str, ...]) -> int:
    """The last position in ``after < position <= until`` whose record's topic starts with none of ``prefixes``
    (compared literally: no wildcards); -1 if there is none."""
    if until <= after:
        return -1
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite(recorder, after, until, prefixes)
    postgres = sys.modules.get("eventsourcing.postgres")  # loaded if the recorder is one; not imported for SQLite
    if postgres is not None and isinstance(recorder, postgres.PostgresApplicationRecorder):
        return _postgres(recorder, after, until, prefixes)
    last, start = -1, after + 1
    while start <= until:
        notes = recorder.select_notifications(start, limit=PAGE, stop=until)
        if not notes:
            break
        for note in notes:
            if not note.topic.startswith(prefixes):
                last = note.id
        start = notes[-1].id + 1
    return last


def _sqlite(recorder: SQLiteApplicationRecorder, after: int, until: int, prefixes: tuple[str, ...]) -> int:
    unlike = "".join(f" AND substr(topic, 1, {len(p)}) != ?" for p in prefixes)
    statement = f"SELECT max(rowid) FROM {recorder.events_table_name} WHERE rowid > ? AND rowid <= ?{unlike}"
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, (after, until, *prefixes))
        found = cursor.fetchone()[0]
    return -1 if found is None else int(found)


def _postgres(recorder: PostgresApplicationRecorder, after: int, until: int, prefixes: tuple[str, ...]) -> int:
    """One indexed range of ``notification_id``, the topics compared by the server (``starts_with``: literal,
    unlike ``LIKE``); a pooled connection of the event store (autocommit), the statement prepared once it
    recurs."""
    datastore = recorder.datastore
    with datastore.get_connection() as conn, conn.cursor() as cursor:
        cursor.execute(_postgres_statement(datastore.schema, recorder.events_table_name, len(prefixes)),
                       (after, until, *prefixes), prepare=True)
        row = cursor.fetchone()
    found = None if row is None else row["last"]
    return -1 if found is None else int(found)


@lru_cache(maxsize=8)
def _postgres_statement(schema: str, table: str, prefixes: int) -> Any:
    from psycopg.sql import SQL, Identifier

    return SQL("SELECT max(notification_id) AS last FROM {}.{} WHERE notification_id > %s AND notification_id <= %s"
               ).format(Identifier(schema), Identifier(table)) + SQL(" AND NOT starts_with(topic, %s)") * prefixes
