"""One verification pass: the event store's records, a page at a time, against the ledger's leaves,
with the whole tree rebuilt beside the stored one (``Ledger.verify``)."""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.persistence import Notification

from ledger.bulk_check import RowReader, append_level_wise, close_reader, leaf_hashes, row_reader
from ledger.merkle import EMPTY_ROOT, Node, append_leaves, root
from ledger.report import Divergence, Progress, Recorder, divergence, record_leaf
from ledger.store import interior_nodes_completing, leaves_between
from ledger.verify import LEAF_INPUT_PREFIX

if TYPE_CHECKING:
    from ledger.ledger import Ledger


class FrontierStore:
    """The newest node of each level: all that appending, and the root at the current size, read."""

    def __init__(self, latest: dict[int, tuple[int, bytes]] | None = None) -> None:
        self.latest: dict[int, tuple[int, bytes]] = {} if latest is None else latest

    def get(self, level: int, index: int) -> bytes | None:
        item = self.latest.get(level)
        return item[1] if item is not None and item[0] == index else None

    def put_many(self, nodes: list[Node]) -> None:
        for level, index, digest in nodes:
            self.latest[level] = (index, digest)


class _Unreadable(Exception):
    """The event store could not return the records from a position (a damaged row)."""


class _RecordStream:
    """The event store's records in position order, a page at a time."""

    def __init__(self, recorder: Recorder, page_size: int, start: int = 1) -> None:
        self.recorder, self.page_size = recorder, page_size
        self._page: Sequence[Notification] = ()
        self._at = 0
        self._next_start = start
        self._done = False

    def peek(self) -> Notification | None:
        if self._at >= len(self._page) and not self._done:
            try:
                self._page = self.recorder.select_notifications(self._next_start, self.page_size)
            except Exception as exc:  # a tampered row the recorder cannot even decode
                raise _Unreadable(str(exc)) from exc
            self._at = 0
            if len(self._page) < self.page_size:
                self._done = True
            if self._page:
                self._next_start = self._page[-1].id + 1
        return self._page[self._at] if self._at < len(self._page) else None

    def take(self) -> Notification:
        record = self.peek()
        assert record is not None
        self._at += 1
        return record

    def count_rest(self) -> int:
        count = 0
        while self.peek() is not None:
            count += len(self._page) - self._at
            self._at = len(self._page)
        return count


class Walk:
    """One pass over the event store and the ledger's leaves, rebuilding the tree beside it."""

    def __init__(self, ledger: Ledger, recorder: Recorder, size: int, checkpoints: list[int],
                 progress: Progress | None) -> None:
        self.ledger, self.recorder, self.size, self.progress = ledger, recorder, size, progress
        self.checkpoints = checkpoints
        self.read_rows: RowReader | None = row_reader(recorder)  # None once a page needed the exact walk
        self.next_position = 1  # where the store's next record is, while pages pass in bulk
        self.records = _RecordStream(recorder, ledger.verify_page_size)
        self.frontier = FrontierStore()
        self.built = 0  # leaves appended to the rebuilt tree
        self.roots: dict[int, bytes] = {0: EMPTY_ROOT}  # the rebuilt root at each checkpoint size
        self.checked = 0
        self.pending = 0
        self.divergence: Divergence | None = None

    def position_of(self, index: int) -> int | None:
        """The position the ledger's leaf ``index`` stands for."""
        with self.ledger.read_engine.connect() as conn:
            rows = leaves_between(conn, index, index + 1)
        return rows[0][1] if rows else None

    def run(self) -> None:
        try:
            self._run()
        finally:
            close_reader(self.read_rows)

    def _run(self) -> None:
        page = self.ledger.verify_page_size
        previous = 0
        for start in range(0, self.size, page):
            stop = min(self.size, start + page)
            with self.ledger.read_engine.connect() as conn:
                leaves = leaves_between(conn, start, stop)
                interior = interior_nodes_completing(conn, start, stop)
            if self.read_rows is not None:
                if self._bulk_page(start, leaves, interior, previous):
                    previous = leaves[-1][1]
                    if self.progress is not None:
                        self.progress(self.checked, self.size)
                    continue
                # Something on this page is not as the ledger has it: walk record by record from
                # here, which names the first divergence exactly.
                close_reader(self.read_rows)
                self.read_rows = None
                self.records = _RecordStream(self.recorder, page, self.next_position)
            hashes: list[bytes] = []
            for index in range(start, stop):
                row = leaves[index - start] if index - start < len(leaves) else None
                if row is None or row[0] != index or row[2] is None or row[1] <= previous:
                    self.divergence = divergence(
                        "node", None, f"账本叶子 {index} 缺失或错序", f"ledger leaf {index} is missing or out of "
                        "order: the ledger's tables were altered", leaf_index=index)
                    return
                _, position, stored = row
                assert stored is not None
                try:
                    digest, self.divergence = self._compare(index, position, stored)
                except _Unreadable as exc:
                    digest, self.divergence = b"", divergence(
                        "changed", position, f"位置 {position} 起的记录无法读取",
                        f"the stored records from position {position} cannot be read: {exc}", leaf_index=index)
                if self.divergence is not None:
                    return
                hashes.append(digest)
                previous = position
                self.checked += 1
            self.divergence = self._append(start, hashes, interior)
            if self.divergence is not None:
                return
            if self.progress is not None:
                self.progress(self.checked, self.size)
        if self.read_rows is not None:
            self.records = _RecordStream(self.recorder, page, self.next_position)
        try:
            self.pending = self.records.count_rest()
        except _Unreadable as exc:
            self.divergence = divergence("extra", None, "账本之后的记录无法读取",
                                          f"a stored record after the ledger's end cannot be read: {exc}")

    def _bulk_page(self, start: int, leaves: list[tuple[int, int, bytes | None]],
                   interior: dict[tuple[int, int], bytes], previous: int) -> bool:
        """Check a whole page at once (see :mod:`bulk_check`); True if it is intact and done.
        On False nothing has changed, so the exact walk can take the same page."""
        assert self.read_rows is not None
        count = len(leaves)
        stop = start + count
        if not count or leaves[0][0] != start or leaves[-1][0] != stop - 1 or leaves[0][1] <= previous:
            return False
        rows = self.read_rows(self.next_position, count)
        if len(rows) != count or [row[0] for row in rows] != [leaf[1] for leaf in leaves]:
            return False  # a record missing, extra or moved (this also proves the indices consecutive)
        hashes = leaf_hashes(rows)
        if hashes is None or hashes != [leaf[2] for leaf in leaves]:
            return False
        latest, built, roots = dict(self.frontier.latest), self.built, {}
        computed: dict[tuple[int, int], bytes] = {}
        offset = 0
        for cut in [c - start for c in self.checkpoints if start < c < stop] + [count]:
            if not append_level_wise(latest, built, hashes[offset:cut], computed):
                return False
            built += cut - offset
            offset = cut
            roots[built] = root(FrontierStore(latest), built)
        if computed != interior:
            return False
        self.frontier.latest, self.built = latest, built
        self.roots.update(roots)
        self.checked += count
        self.next_position = rows[-1][0] + 1
        return True

    def _compare(self, index: int, position: int, stored: bytes) -> tuple[bytes, Divergence | None]:
        """The store's record at ``position`` against the ledger's leaf ``index``."""
        record = self.records.peek()
        if record is None or record.id > position:
            return b"", divergence("missing", position, f"位置 {position} 的记录已从事件库中消失",
                                    f"the record at position {position} is in the ledger but no longer in the "
                                    "event store", leaf_index=index)
        if record.id < position:
            return b"", divergence("extra", record.id, f"事件库中多出位置 {record.id} 的记录",
                                    f"the event store has a record at position {record.id} that the ledger "
                                    "never saw", leaf_index=index)
        self.records.take()
        try:
            digest = record_leaf(record)
        except (ValueError, TypeError):  # not even encodable (e.g. a negative version written by hand)
            digest = b""
        if hmac.compare_digest(digest, stored):
            return digest, None
        moved_from = self._recorded_at(record)
        if moved_from is not None:
            return digest, divergence("reordered", position, f"位置 {position} 的记录原记于位置 {moved_from}",
                                       f"the record now at position {position} was recorded at position "
                                       f"{moved_from}: rows were reordered", leaf_index=index,
                                       other_position=moved_from)
        return digest, divergence("changed", position, f"位置 {position} 的记录已被改动",
                                   f"the record stored at position {position} differs from the one the ledger "
                                   "holds", leaf_index=index)

    def _recorded_at(self, record: Notification) -> int | None:
        """Another position at which the ledger holds exactly this record's bytes, if any."""
        try:
            originator_id = UUID(str(record.originator_id))
            topic = record.topic.encode("utf-8")
            rest = (originator_id.bytes + struct.pack(">QI", record.originator_version, len(topic))
                    + topic + bytes(record.state))
        except (AttributeError, ValueError, TypeError, struct.error):
            return None
        base = hashlib.sha256(b"\x00" + LEAF_INPUT_PREFIX)
        page = self.ledger.verify_page_size
        for start in range(0, self.size, page):
            with self.ledger.read_engine.connect() as conn:
                leaves = leaves_between(conn, start, start + page)
            for _, position, stored in leaves:
                if position == record.id or stored is None:
                    continue
                digest = base.copy()
                digest.update(struct.pack(">Q", position))
                digest.update(rest)
                if hmac.compare_digest(digest.digest(), stored):
                    return position
        return None

    def _append(self, start: int, hashes: list[bytes], interior: dict[tuple[int, int], bytes]) -> Divergence | None:
        """Add a page's recomputed leaves to the rebuilt tree and compare every new interior node
        with the stored one; note the rebuilt root at each checkpoint size."""
        offset = 0
        cuts = [c - start for c in self.checkpoints if start < c < start + len(hashes)] + [len(hashes)]
        for cut in cuts:
            nodes = append_leaves(self.frontier, self.built, hashes[offset:cut])
            self.frontier.put_many(nodes)
            self.built += cut - offset
            offset = cut
            self.roots[self.built] = root(self.frontier, self.built)
            for level, index, digest in nodes:
                if level and interior.get((level, index)) != digest:
                    first = index << level
                    return divergence(
                        "node", None, f"账本节点（第 {level} 层第 {index} 个）与其覆盖的记录不符",
                        f"the ledger's node (level {level}, index {index}) does not match leaves {first} to "
                        f"{first + (1 << level) - 1}: the ledger's tables were altered", leaf_index=first)
        return None
