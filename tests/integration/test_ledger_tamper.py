"""Tampering with the event store (and with the ledger itself) by direct SQL is detected, at the
right position and classified, on SQLite and on PostgreSQL.

The helpers here act as an insider with the database password: they bypass the application
and write the event store's table (``stored_events`` on SQLite, position = rowid;
``jishi_events`` on PostgreSQL, position = notification_id) or the ledger's tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select, update

from jishi.bootstrap import open_ledger
from jishi.settings import Settings
from ledger.ledger import Ledger
from ledger.store import LedgerHead, LedgerLeaf, LedgerNode, LedgerState
from service.application import Jishi
from service.commands import RecordEntry
from tests.factories import HR, appointment, organisation, registered


def edited(state: bytes) -> bytes:
    """A stored record with one byte changed (the state is encrypted at rest: no name to rewrite)."""
    return state[:-1] + bytes([state[-1] ^ 1])


def some_events(app: Jishi, cadres: int = 4) -> list[int]:
    """A unit, a post, ``cadres`` cadres and an appointment; returns every stored position. Each write
    stores its bookkeeping with it (the unit's post directory, each cadre's ID-number claim): with 4
    cadres, 14 events — the first cadre's registration (王芳) at index 4."""
    organisation(app)
    ids = [registered(app, f"C{i}") for i in range(cadres)]
    app.handle(RecordEntry(ids[0], "Appointed", appointment("2020-01-01")), HR)
    return positions(app)


def positions(app: Jishi) -> list[int]:
    return [n.id for n in app.recorder.select_notifications(1, 10_000)]


class RawStore:
    """Direct SQL on the event store's table, bypassing the application (SQLite or PostgreSQL)."""

    def __init__(self, settings: Settings, app: Jishi) -> None:
        self.settings = settings
        self.table = app.recorder.events_table_name
        self.postgres = settings.database_url is not None
        self.position = "notification_id" if self.postgres else "rowid"

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        if self.postgres:
            assert self.settings.database_url is not None
            with psycopg.connect(self.settings.database_url) as conn, conn.cursor() as cur:
                yield cur
        else:
            conn = sqlite3.connect(self.settings.data_dir / "events.sqlite")
            try:
                yield conn.cursor()
                conn.commit()
            finally:
                conn.close()

    def _sql(self, statement: str) -> str:
        statement = statement.format(table=self.table, position=self.position)
        return statement.replace("?", "%s") if self.postgres else statement

    def execute(self, *statements: tuple[str, tuple[Any, ...]]) -> None:
        """Run statements in one transaction."""
        with self._cursor() as cur:
            for statement, params in statements:
                cur.execute(self._sql(statement), params)

    def state(self, position: int) -> bytes:
        with self._cursor() as cur:
            cur.execute(self._sql("SELECT state FROM {table} WHERE {position} = ?"), (position,))
            return bytes(cur.fetchone()[0])

    def update_state(self, position: int, state: bytes) -> None:
        self.execute(("UPDATE {table} SET state = ? WHERE {position} = ?", (state, position)))

    def delete(self, position: int) -> None:
        self.execute(("DELETE FROM {table} WHERE {position} = ?", (position,)))

    def insert(self, position: int, state: bytes = b'{"forged": true}', originator_id: UUID | None = None) -> None:
        oid = originator_id or uuid4()
        self.execute((
            "INSERT INTO {table} ({position}, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)",
            (position, oid if self.postgres else str(oid), 1, "jishi.cadre.CadreRegistered", state)))

    def swap(self, first: int, second: int) -> None:
        """Exchange two rows' places in the global order (their contents trade positions)."""
        move = "UPDATE {table} SET {position} = ? WHERE {position} = ?"
        self.execute((move, (-1, first)), (move, (first, second)), (move, (second, -1)))

    def leave_a_gap(self, app: Jishi, write: Any) -> int:
        """Make ``write(app)`` land one position after a gap, as happens legitimately: on
        PostgreSQL a rolled-back insert consumes a sequence value; on SQLite a record deleted
        (before the ledger saw it) leaves its rowid unused.  Returns the gap's position."""
        gap = (app.recorder.max_notification_id() or 0) + 1
        if self.postgres:
            with self._cursor() as cur:
                cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'notification_id'))", (self.table,))
            write(app)
        else:
            self.insert(gap)
            write(app)
            self.delete(gap)
        return gap


def rewrite_ledger(ledger: Ledger, app: Jishi, *, keep_heads: bool = False) -> None:
    """An insider rebuilds the ledger's tables from the (tampered) store, with the library's
    own code but without the signing key: the nodes now agree with the store."""
    with ledger.engine.begin() as conn:
        conn.execute(delete(LedgerNode))
        conn.execute(delete(LedgerLeaf))
        if not keep_heads:
            conn.execute(delete(LedgerHead))
        conn.execute(update(LedgerState).values(size=0, last_position=0))
    forger = Ledger(ledger.engine, Ed25519PrivateKey.generate(), head_every=10**9)
    forger.sync(app.recorder)


LedgerFactory = Callable[..., Ledger]


@pytest.fixture
def make_ledger(settings: Settings) -> Iterator[LedgerFactory]:
    opened: list[Ledger] = []

    def make(**options: Any) -> Ledger:
        ledger = open_ledger(settings, **options)
        opened.append(ledger)
        return ledger

    yield make
    for ledger in opened:
        ledger.close()


@pytest.fixture
def ledger(make_ledger: LedgerFactory) -> Ledger:
    return make_ledger()


# ——— the five tampering cases of the issue ———


def test_an_updated_event_state_is_reported_as_changed_at_its_position(
        settings: Settings, app: Jishi, ledger: Ledger) -> None:
    stored = some_events(app)
    assert ledger.sync(app.recorder) == len(stored)
    assert ledger.verify(app.recorder).ok
    raw, target = RawStore(settings, app), stored[4]
    original = raw.state(target)
    assert "王芳".encode() not in original  # encrypted at rest
    raw.update_state(target, edited(original))  # one byte of a stored record changed

    report = ledger.verify(app.recorder)

    assert not report.ok
    assert report.first is not None
    assert (report.first.kind, report.first.position, report.first.leaf_index) == ("changed", target, 4)
    assert report.checked == 4  # stopped at the first divergence


def test_a_deleted_event_is_reported_as_missing_at_its_position(
        settings: Settings, app: Jishi, ledger: Ledger) -> None:
    stored = some_events(app)
    ledger.sync(app.recorder)
    RawStore(settings, app).delete(stored[4])

    report = ledger.verify(app.recorder)

    assert report.first is not None
    assert (report.first.kind, report.first.position) == ("missing", stored[4])


def test_an_event_inserted_into_a_gap_is_reported_as_extra_at_its_position(
        settings: Settings, app: Jishi, ledger: Ledger) -> None:
    raw = RawStore(settings, app)
    organisation(app)
    gap = raw.leave_a_gap(app, lambda a: registered(a, "C1"))
    registered(app, "C2")
    ledger.sync(app.recorder)
    assert gap not in positions(app)
    assert ledger.verify(app.recorder).ok  # a gap the ledger saw from the start is no divergence
    raw.insert(gap)  # a forged registration slipped into the gap

    report = ledger.verify(app.recorder)

    assert report.first is not None
    assert (report.first.kind, report.first.position) == ("extra", gap)


def test_two_swapped_events_are_reported_as_reordered_at_the_first_of_them(
        settings: Settings, app: Jishi, make_ledger: LedgerFactory) -> None:
    ledger = make_ledger(verify_page_size=3)  # the search for the moved record crosses pages
    stored = some_events(app)
    ledger.sync(app.recorder)
    RawStore(settings, app).swap(stored[2], stored[5])

    report = ledger.verify(app.recorder)

    assert report.first is not None
    assert (report.first.kind, report.first.position, report.first.other_position) == (
        "reordered", stored[2], stored[5])


def test_a_rewritten_ledger_is_caught_by_a_head_the_auditor_saved_earlier(
        settings: Settings, app: Jishi, ledger: Ledger) -> None:
    stored = some_events(app)
    ledger.sync(app.recorder)
    saved = ledger.head(sign=True)
    assert saved is not None and saved["size"] == len(stored)
    raw = RawStore(settings, app)
    raw.update_state(stored[4], edited(raw.state(stored[4])))
    rewrite_ledger(ledger, app)  # ledger tables recomputed to match, the signed heads deleted

    # Store and ledger agree again, and no head signed by the key survives in the database:
    # this is what an auditor's saved head is for.
    assert ledger.verify(app.recorder).ok
    report = ledger.verify(app.recorder, saved)

    assert not report.ok
    assert report.first is not None
    assert (report.first.kind, report.first.head_size) == ("saved-head", len(stored))
    assert "rewritten" in report.first.message


# ——— the ledger's own defences ———


def test_a_rewritten_ledger_is_caught_by_its_stored_heads_between_the_last_good_one_and_the_next(
        settings: Settings, app: Jishi, make_ledger: LedgerFactory) -> None:
    ledger = make_ledger(head_every=3, verify_page_size=2)  # heads fall inside verify's pages
    stored = some_events(app)  # 14 events: heads signed at sizes 3, 6, 9 and 12
    ledger.sync(app.recorder)
    assert [h["size"] for h in ledger.heads()] == [3, 6, 9, 12]
    raw = RawStore(settings, app)
    raw.update_state(stored[4], edited(raw.state(stored[4])))
    rewrite_ledger(ledger, app, keep_heads=True)

    report = ledger.verify(app.recorder)

    assert report.first is not None
    assert (report.first.kind, report.first.head_size, report.first.position) == ("head", 6, stored[3])
    assert report.heads_checked == 2


def test_a_damaged_ledger_node_is_reported_even_when_the_store_is_intact(
        app: Jishi, ledger: Ledger) -> None:
    some_events(app)
    ledger.sync(app.recorder)
    with ledger.engine.begin() as conn:
        conn.execute(update(LedgerNode).where(LedgerNode.level == 1, LedgerNode.idx == 1)
                     .values(hash=b"\x00" * 32))

    report = ledger.verify(app.recorder)

    assert report.first is not None
    assert (report.first.kind, report.first.leaf_index) == ("node", 2)


def test_a_swapped_pair_of_ledger_leaves_is_reported_at_the_first_of_them(
        app: Jishi, ledger: Ledger) -> None:
    stored = some_events(app)
    ledger.sync(app.recorder)
    with ledger.engine.begin() as conn:
        leaf = {i: conn.execute(select(LedgerNode.hash).where(LedgerNode.level == 0, LedgerNode.idx == i)).scalar_one()
                for i in (1, 6)}
        for index, digest in ((1, leaf[6]), (6, leaf[1])):
            conn.execute(update(LedgerNode).where(LedgerNode.level == 0, LedgerNode.idx == index).values(hash=digest))

    report = ledger.verify(app.recorder)

    assert report.first is not None
    assert (report.first.kind, report.first.position) == ("changed", stored[1])


def test_records_after_the_ledger_end_are_pending_not_a_divergence(app: Jishi, ledger: Ledger) -> None:
    some_events(app)
    ledger.sync(app.recorder)
    registered(app, "C9")
    registered(app, "C10")  # each registration with its ID-number claim

    report = ledger.verify(app.recorder)

    assert report.ok
    assert report.pending == 4
    assert any("jishi ledger sync" in line for line in report.lines())


# ——— the bulk page check (ledger/bulk_check.py) never changes a verdict ———


def _as_stored_elsewhere(settings: Settings, app: Jishi, stored: list[int], ledger: Ledger) -> None:
    """The same originator id written in another spelling UUID() reads the same: not a change."""
    if settings.database_url is None:  # PostgreSQL's uuid column has one spelling
        RawStore(settings, app).execute(
            ("UPDATE {table} SET originator_id = upper(originator_id) WHERE {position} = ?", (stored[2],)),
            ("UPDATE {table} SET originator_id = '{{' || originator_id || '}}' WHERE {position} = ?", (stored[5],)))


def _retyped_row(settings: Settings, app: Jishi, stored: list[int], ledger: Ledger) -> None:
    """Values of another type than the library writes (SQLite keeps whatever it is given)."""
    if settings.database_url is None:
        RawStore(settings, app).execute(
            ("UPDATE {table} SET originator_version = 'v1' WHERE {position} = ?", (stored[4],)))
    else:
        RawStore(settings, app).delete(stored[4])


def _topic_rewritten(settings: Settings, app: Jishi, stored: list[int], ledger: Ledger) -> None:
    """Another event type under the same state (on PostgreSQL the fast read takes the topic as its UTF-8
    bytes, not as text): a non-ASCII topic, so a byte-for-byte slip would show."""
    RawStore(settings, app).execute(("UPDATE {table} SET topic = ? WHERE {position} = ?",
                                     ("jishi.cadre.干部Registered", stored[4])))


def _originator_replaced(settings: Settings, app: Jishi, stored: list[int], ledger: Ledger) -> None:
    """The record moved to another cadre (on PostgreSQL the fast read takes the id as its 16 bytes)."""
    other = uuid4()
    RawStore(settings, app).execute(("UPDATE {table} SET originator_id = ? WHERE {position} = ?",
                                     (other if settings.database_url else str(other), stored[3])))


TAMPERINGS: dict[str, Callable[[Settings, Jishi, list[int], Ledger], None]] = {
    "nothing": lambda settings, app, stored, ledger: None,
    "a state edited": lambda settings, app, stored, ledger: RawStore(settings, app).update_state(
        stored[5], RawStore(settings, app).state(stored[5]) + b" "),
    "a record deleted": lambda settings, app, stored, ledger: RawStore(settings, app).delete(stored[6]),
    "two records swapped": lambda settings, app, stored, ledger: RawStore(settings, app).swap(stored[3], stored[7]),
    "a ledger node damaged": lambda settings, app, stored, ledger: _damage_node(ledger, level=1, index=2),
    "records after the end": lambda settings, app, stored, ledger: registered(app, "C9"),
    "an id respelled": _as_stored_elsewhere,
    "a value retyped": _retyped_row,
    "a topic rewritten": _topic_rewritten,
    "an originator replaced": _originator_replaced,
}


def _damage_node(ledger: Ledger, *, level: int, index: int) -> None:
    with ledger.engine.begin() as conn:
        conn.execute(update(LedgerNode).where(LedgerNode.level == level, LedgerNode.idx == index)
                     .values(hash=b"\x01" * 32))


@pytest.mark.parametrize("page", [1, 2, 3, 5, 8192])
@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_verifying_pages_in_bulk_reports_exactly_what_the_record_by_record_walk_reports(
        settings: Settings, app: Jishi, make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch,
        tampering: str, page: int) -> None:
    import ledger.walk as ledger_module

    ledger = make_ledger(verify_page_size=page, head_every=4)  # heads inside and across pages
    stored = some_events(app, cadres=6)
    ledger.sync(app.recorder)
    TAMPERINGS[tampering](settings, app, stored, ledger)

    in_bulk = ledger.verify(app.recorder).as_dict()
    with monkeypatch.context() as patch:
        patch.setattr(ledger_module, "row_reader", lambda recorder: None)  # the exact walk only
        record_by_record = ledger.verify(app.recorder).as_dict()

    assert in_bulk == record_by_record
    assert in_bulk["ok"] is (tampering in {"nothing", "records after the end", "an id respelled"})


def test_an_intact_ledger_is_verified_page_by_page_in_bulk(
        app: Jishi, make_ledger: LedgerFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    import ledger.walk as ledger_module

    ledger = make_ledger(verify_page_size=4)
    stored = some_events(app, cadres=6)
    ledger.sync(app.recorder)
    exact_walks: list[int] = []
    original = ledger_module._RecordStream.__init__

    def noting(self: Any, recorder: Any, page_size: int, start: int = 1) -> None:
        exact_walks.append(start)
        original(self, recorder, page_size, start)

    monkeypatch.setattr(ledger_module._RecordStream, "__init__", noting)

    report = ledger.verify(app.recorder)

    assert report.ok and report.checked == len(stored)
    # One stream at the start (never read) and one that counts what follows the ledger's end.
    assert exact_walks == [1, stored[-1] + 1]
