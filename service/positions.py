"""Global position (notification id) of a stored event, for replaying a first result."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder


def position_of(recorder: ApplicationRecorder, stream_id: UUID, version: int) -> int:
    """The notification id of (stream_id, version) in the application sequence."""
    datastore = getattr(recorder, "datastore", None)
    table = getattr(recorder, "events_table_name", "stored_events")
    module = type(recorder).__module__
    if module == "eventsourcing.sqlite" and datastore is not None:
        with datastore.transaction(commit=False) as c:
            c.execute(f"SELECT rowid FROM {table} WHERE originator_id=? AND originator_version=?",
                      (stream_id.hex, version))
            row = c.fetchone()
            return int(row[0])
    if module == "eventsourcing.postgres" and datastore is not None:
        from psycopg.sql import SQL, Identifier

        with datastore.transaction(commit=False) as c:
            c.execute(SQL("SELECT notification_id FROM {}.{} WHERE originator_id=%s "
                          "AND originator_version=%s").format(
                              Identifier(datastore.schema or "public"), Identifier(table)),
                      (stream_id, version))
            row = c.fetchone()
            assert row is not None
            return int(row["notification_id"])
    for n in recorder.select_notifications(start=None, limit=2**62):  # in-memory recorder
        if n.originator_id == stream_id and n.originator_version == version:
            return n.id
    msg = f"event {stream_id}/{version} not found"
    raise LookupError(msg)
