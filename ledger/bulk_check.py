"""The verify walk's fast path: a whole page of records, leaves and nodes checked at once.

:class:`ledger.ledger._Walk` checks each page of the ledger here first. When the
page is intact — the store holds exactly the ledger's positions, every recomputed leaf hash and
every interior node equals the stored one — the page is done at list speed. The first sign of
anything else (a gap, a changed byte, a value the fast reader does not expect) hands the page
back to the record-by-record walk, which names the divergence exactly as it always has. So this
module only ever says "intact", never "diverged": it cannot change a verdict, only its cost.

The store's rows are read with plain SQL on the library's own connection (no ``Notification``
and ``UUID`` objects per record), for the two recorders Jishi runs on — on PostgreSQL as one
stream through a server-side cursor in binary; any other recorder goes through ``select_notifications``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import Any

from ledger.verify.encoding import LEAF_FIXED, LEAF_INPUT_PREFIX

__all__ = ["PostgresStream", "Row", "RowReader", "append_level_wise", "close_reader", "leaf_hashes", "row_reader"]

Row = tuple[Any, Any, Any, Any, Any]  # position, originator id, version, topic, state — as stored
RowReader = Callable[[int, int], Sequence[Row]]

_LEAF_HEAD = b"\x00" + LEAF_INPUT_PREFIX
_sha256 = hashlib.sha256
_pack = LEAF_FIXED.pack


def row_reader(recorder: Any) -> RowReader:
    """``read(start, limit)``: up to ``limit`` stored rows from position ``start``, in order."""
    from eventsourcing.sqlite import SQLiteApplicationRecorder

    if isinstance(recorder, SQLiteApplicationRecorder):
        statement = (f"SELECT rowid, originator_id, originator_version, topic, state "
                     f"FROM {recorder.events_table_name} WHERE rowid >= ? ORDER BY rowid LIMIT ?")

        def read_sqlite(start: int, limit: int) -> Sequence[Row]:
            with recorder.datastore.transaction(commit=False) as cursor:
                raw = getattr(cursor, "sqlite_cursor", None)  # the library's wrapper over sqlite3's cursor
                if raw is None:
                    cursor.execute(statement, (start, limit))
                    return [tuple(row) for row in cursor.fetchall()]
                raw.row_factory = None  # plain tuples, not sqlite3.Row
                raw.execute(statement, (start, limit))
                rows: list[Row] = raw.fetchall()
                return rows

        return read_sqlite
    from eventsourcing.postgres import PostgresApplicationRecorder

    if isinstance(recorder, PostgresApplicationRecorder):
        return PostgresStream(recorder)

    def read_notifications(start: int, limit: int) -> Sequence[Row]:
        return [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
                for n in recorder.select_notifications(start, limit)]

    return read_notifications


class PostgresStream:
    """``read(start, limit)`` over PostgreSQL as one stream: a server-side cursor over every record
    from ``start`` on, fetched ``limit`` rows at a time, instead of a LIMIT query (and its index
    descent, planning and a pooled connection) per page. A read that does not continue where the last
    one stopped opens a new cursor there. Holds a connection (in a read-only transaction) until
    :meth:`close`."""

    def __init__(self, recorder: Any) -> None:
        from psycopg.sql import SQL, Identifier

        self.recorder = recorder
        # In binary: bytea and integers as they are stored (no hex text to write and parse), the
        # originator id as its 16 bytes and the topic as its UTF-8 bytes — what the leaf hashes.
        self.query = SQL("SELECT notification_id, uuid_send(originator_id), originator_version, "
                         "convert_to(topic, 'UTF8'), state FROM {}.{} "
                         "WHERE notification_id >= %s ORDER BY notification_id").format(
            Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
        self._held: ExitStack | None = None
        self._cursor: Any = None
        self._next: int | None = None  # the position the open cursor continues from

    def __call__(self, start: int, limit: int) -> Sequence[Row]:
        from psycopg.rows import tuple_row

        if self._cursor is None or start != self._next:
            self.close()
            held = self._held = ExitStack()
            conn = held.enter_context(self.recorder.datastore.get_connection())
            held.enter_context(conn.transaction(force_rollback=True))
            self._cursor = held.enter_context(conn.cursor(name="jishi_verify", row_factory=tuple_row, binary=True))
            self._cursor.itersize = limit
            self._cursor.execute(self.query, (start,))
        rows: list[Row] = self._cursor.fetchmany(limit)
        self._next = rows[-1][0] + 1 if rows else start
        return rows

    def close(self) -> None:
        held, self._held, self._cursor, self._next = self._held, None, None, None
        if held is not None:
            held.close()


def close_reader(reader: RowReader | None) -> None:
    """Release what a reader holds (the PostgreSQL stream's connection); the others hold nothing."""
    close = getattr(reader, "close", None)
    if close is not None:
        close()


def leaf_hashes(rows: Sequence[Row]) -> list[bytes] | None:
    """Each row's leaf hash (as :func:`ledger.verify.record_leaf_hash`), or None if any row is not in
    the canonical shape the library writes — the exact walk then judges it."""
    topics: dict[str, bytes] = {}
    out: list[bytes] = []
    append = out.append
    try:
        for position, originator_id, version, topic, state in rows:
            if type(position) is not int or type(version) is not int or type(state) is not bytes:
                return None
            if type(topic) is bytes:  # already its UTF-8 bytes (PostgresStream)
                encoded: bytes = topic
            elif type(topic) is str:
                known = topics.get(topic)
                if known is None:
                    known = topics[topic] = topic.encode("utf-8")
                encoded = known
            else:
                return None
            if type(originator_id) is bytes:  # its 16 bytes (PostgresStream)
                if len(originator_id) != 16:
                    return None
                id_bytes = originator_id
            elif type(originator_id) is str:
                hex_digits = originator_id.replace("-", "")
                if len(hex_digits) != 32:
                    return None
                id_bytes = bytes.fromhex(hex_digits)  # 32 characters giving 16 bytes: all hex digits
                if len(id_bytes) != 16:
                    return None
            else:
                id_bytes = originator_id.bytes  # a UUID from the driver
            append(_sha256(_LEAF_HEAD + _pack(position, id_bytes, version, len(encoded)) + encoded + state).digest())
    except Exception:  # anything odd (a tampered type, an out-of-range number) goes to the exact walk
        return None
    return out


def append_level_wise(latest: dict[int, tuple[int, bytes]], size: int, hashes: list[bytes],
                      interior: dict[tuple[int, int], bytes]) -> bool:
    """Append ``hashes`` (leaves ``size``…) to a tree whose newest node per level is ``latest``
    (updated in place), a level at a time; put every new interior node into ``interior``.

    Returns False if a left sibling the append needs is not the newest node of its level (the
    frontier does not belong to ``size``)."""
    level, first, current = 0, size, hashes
    node = b"\x01"
    while current:
        if level:
            for offset, digest in enumerate(current):
                interior[(level, first + offset)] = digest
        if first & 1:
            left = latest.get(level)
            if left is None or left[0] != first - 1:
                return False
            pairs, base = [left[1], *current], first - 1
        else:
            pairs, base = current, first
        latest[level] = (first + len(current) - 1, current[-1])
        current = [_sha256(node + a + b).digest() for a, b in zip(pairs[0::2], pairs[1::2], strict=False)]
        first, level = base >> 1, level + 1
    return True
