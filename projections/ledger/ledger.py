"""账本 The tamper-evident ledger: one RFC 6962 leaf per stored event record, in global order.

* :meth:`Ledger.sync` appends the records the ledger has not seen, a page per transaction
  (nodes, leaf positions and the tracking row commit together: exactly-once, crash-safe),
  and signs a tree head whenever the size reaches a multiple of ``head_every``.
* :meth:`Ledger.head`, :meth:`Ledger.inclusion`, :meth:`Ledger.consistency` serve signed heads
  and RFC 6962 proofs (each proof reads its O(log n) nodes in one query).
* :meth:`Ledger.verify` recomputes every leaf from the event store's stored bytes, rebuilds the
  whole tree beside the stored one, and reports the first divergence, classified as

  ``changed``    the store's record at a position is not the one the ledger holds;
  ``reordered``  ... and it is the record the ledger holds at another position (rows swapped);
  ``missing``    the ledger has a position the store no longer has (a deleted row);
  ``extra``      the store has a position, inside the ledger's range, the ledger never saw
                 (an inserted row; records after the ledger's end are only *pending*);
  ``node``       the ledger's own tables are damaged (a node or leaf row that does not match);
  ``head``       a stored signed head no longer matches (or is not validly signed);
  ``saved-head`` the ledger is not consistent with a head an auditor saved earlier.

The leaf input is :func:`projections.ledger.verifier.leaf_input` of the record's position,
originator id, version, topic and state bytes exactly as stored — encrypted bytes when the
store encrypts at rest, so nothing here needs the cipher key.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Engine

from domain.errors import FieldError, NotFoundError, ValidationError
from projections.db import make_engine
from projections.ledger.bulk_check import RowReader, append_level_wise, leaf_hashes, row_reader
from projections.ledger.merkle import (
    EMPTY_ROOT,
    MemoryNodeStore,
    MissingNodeError,
    Node,
    NodeStore,
    append_leaves,
    consistency_proof,
    inclusion_proof,
    root,
)
from projections.ledger.signing import public_key_bytes, sign_tree_head, signer_key_id
from projections.ledger.store import (
    SqlNodeStore,
    ensure_schema,
    head_rows,
    interior_nodes_completing,
    leaf_index_of,
    leaves_between,
    put_head,
    put_leaves,
    read_state,
    write_state,
)
from projections.ledger.verifier import (
    LEAF_INPUT_PREFIX,
    TreeHead,
    key_id,
    record_leaf_hash,
    verify_consistency,
    verify_tree_head,
)

__all__ = [
    "DEFAULT_HEAD_EVERY",
    "KINDS",
    "Divergence",
    "Ledger",
    "Recorder",
    "VerifyReport",
    "export_record",
    "record_leaf",
]

DEFAULT_HEAD_EVERY = 1000
DEFAULT_PAGE_SIZE = 1000  # records appended per transaction
DEFAULT_VERIFY_PAGE_SIZE = 8192  # records and leaves read per query while verifying
KINDS = ("changed", "reordered", "missing", "extra", "node", "head", "saved-head")

T = TypeVar("T")
Progress = Callable[[int, int], None]


class Recorder(Protocol):
    """What the ledger needs of the event store: ``ApplicationRecorder.select_notifications``."""

    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *,
                             inclusive_of_start: bool = True) -> Sequence[Notification]: ...


def record_leaf(record: Notification) -> bytes:
    """The RFC 6962 leaf hash of one stored record (raises ValueError if it cannot be encoded)."""
    return record_leaf_hash(record.id, record.originator_id, record.originator_version, record.topic,
                            record.state)


def export_record(record: Notification) -> dict[str, Any]:
    """A stored record as JSON, for the offline verifier's ``"record"`` field."""
    return {"position": record.id, "originator_id": str(record.originator_id),
            "originator_version": record.originator_version, "topic": record.topic,
            "state": bytes(record.state).hex()}


@dataclass(frozen=True)
class Divergence:
    """One way the event store, the ledger and its heads disagree."""

    kind: str
    position: int | None
    message: str  # 中文 (English)
    leaf_index: int | None = None
    other_position: int | None = None  # reordered: where the ledger has this record
    head_size: int | None = None  # head / saved-head: the size of the head that fails

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "position": self.position, "leaf_index": self.leaf_index,
                "other_position": self.other_position, "head_size": self.head_size, "message": self.message}


@dataclass
class VerifyReport:
    """What :meth:`Ledger.verify` found: ``ok`` only when nothing diverges."""

    size: int
    root_hash: str
    checked: int = 0
    pending: int = 0  # store records after the ledger's end, not yet appended
    heads_checked: int = 0
    saved_head_size: int | None = None
    divergences: list[Divergence] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.divergences

    @property
    def first(self) -> Divergence | None:
        return self.divergences[0] if self.divergences else None

    def lines(self) -> list[str]:
        """Bilingual lines for people."""
        if self.ok:
            line = (f"账本核验通过 (ledger verified): {self.checked} 条记录 (records), size {self.size}, "
                    f"root {self.root_hash}, {self.heads_checked} 个签名树头 (signed heads) checked")
            if self.saved_head_size is not None:
                line += f"; 与保存的树头一致 (consistent with the saved head of size {self.saved_head_size})"
            out = [line]
        else:
            out = [f"账本不一致 (ledger diverges) [{d.kind}]"
                   + (f" 位置 position {d.position}" if d.position is not None else "")
                   + f": {d.message}" for d in self.divergences]
        if self.pending:
            out.append(f"另有 {self.pending} 条记录尚未记入账本 ({self.pending} records are not yet in the "
                       "ledger: run `jishi ledger sync`)")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "size": self.size, "root_hash": self.root_hash, "checked": self.checked,
                "pending": self.pending, "heads_checked": self.heads_checked,
                "saved_head_size": self.saved_head_size, "divergences": [d.as_dict() for d in self.divergences]}


class _FrontierStore:
    """The newest node of each level: all that appending, and the root at the current size, read."""

    def __init__(self, latest: dict[int, tuple[int, bytes]] | None = None) -> None:
        self.latest: dict[int, tuple[int, bytes]] = {} if latest is None else latest

    def get(self, level: int, index: int) -> bytes | None:
        item = self.latest.get(level)
        return item[1] if item is not None and item[0] == index else None

    def put_many(self, nodes: list[Node]) -> None:
        for level, index, digest in nodes:
            self.latest[level] = (index, digest)


class _KeyCollector:
    """A node store that only notes which nodes a computation reads (the math reads the same
    nodes whatever their values), so the real ones can then be fetched in one query."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, int]] = []

    def get(self, level: int, index: int) -> bytes | None:
        self.keys.append((level, index))
        return EMPTY_ROOT

    def put_many(self, nodes: list[Node]) -> None:
        raise NotImplementedError


def _prefetched(conn: Connection, compute: Callable[[NodeStore], T]) -> T:
    collector = _KeyCollector()
    compute(collector)
    nodes = SqlNodeStore(conn).get_many(collector.keys)
    memory = MemoryNodeStore()
    memory.put_many([(level, index, digest) for (level, index), digest in nodes.items()])
    return compute(memory)


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


def _now() -> datetime:
    return datetime.now(UTC)


class Ledger:
    """The ledger over one event store, kept in the read-model database."""

    def __init__(self, engine: Engine, signing_key: Ed25519PrivateKey, *, read_engine: Engine | None = None,
                 head_every: int = DEFAULT_HEAD_EVERY, page_size: int = DEFAULT_PAGE_SIZE,
                 verify_page_size: int = DEFAULT_VERIFY_PAGE_SIZE,
                 clock: Callable[[], datetime] | None = None) -> None:
        if min(head_every, page_size, verify_page_size) < 1:
            raise ValueError("head_every and the page sizes must be >= 1")
        self.engine = engine
        self.read_engine = read_engine or engine
        self.signing_key = signing_key
        self.head_every, self.page_size, self.verify_page_size = head_every, page_size, verify_page_size
        self.clock = clock or _now
        self.public_key: bytes = public_key_bytes(signing_key)
        self.key_id: str = signer_key_id(signing_key)
        self._lock = threading.Lock()
        self._owned: list[Engine] = []
        ensure_schema(engine)

    @classmethod
    def open(cls, url: str, signing_key: Ed25519PrivateKey, **options: Any) -> Ledger:
        """A ledger with its own engines on the read-model database at ``url``."""
        writer, reader = make_engine(url, writer=True), make_engine(url)
        ledger = cls(writer, signing_key, read_engine=reader, **options)
        ledger._owned = [writer, reader]
        return ledger

    def close(self) -> None:
        for engine in self._owned:
            engine.dispose()

    # ——— state ———

    @property
    def size(self) -> int:
        with self.read_engine.connect() as conn:
            return read_state(conn)[0]

    def root(self, size: int | None = None) -> bytes:
        with self.read_engine.connect() as conn:
            current = read_state(conn)[0]
            size = current if size is None else self._check_size("size", size, 0, current, "no larger than the ledger")
            return _prefetched(conn, lambda store: root(store, size))

    # ——— appending ———

    def sync(self, recorder: Recorder, *, until: int | None = None) -> int:
        """Append every stored record after the ledger's last position (up to ``until``);
        returns how many were appended."""
        appended = 0
        with self._lock:
            while True:
                count = self._append_page(recorder, until)
                if not count:
                    return appended
                appended += count

    def _append_page(self, recorder: Recorder, until: int | None) -> int:
        with self.engine.begin() as conn:
            size, last_position = read_state(conn, lock=True)
            if until is not None and last_position >= until:
                return 0
            # A page never runs past the next multiple of head_every, so heads land exactly there.
            limit = min(self.page_size, self.head_every - size % self.head_every)
            records = recorder.select_notifications(last_position + 1, limit, stop=until)
            if not records:
                return 0
            hashes = [record_leaf(record) for record in records]
            nodes = SqlNodeStore(conn)
            nodes.put_many(append_leaves(nodes, size, hashes))
            put_leaves(conn, [(size + offset, record.id) for offset, record in enumerate(records)])
            new_size = size + len(records)
            write_state(conn, new_size, records[-1].id)
            if new_size % self.head_every == 0:
                self._sign(conn, new_size)
            return len(records)

    # ——— heads ———

    def head(self, *, sign: bool = False) -> TreeHead | None:
        """The latest signed head; with ``sign``, one for the current size (signed now if none is)."""
        with self.read_engine.connect() as conn:
            if not sign:
                latest = head_rows(conn, latest=True)
                return latest[0] if latest else None
            size = read_state(conn)[0]
            mine = [h for h in head_rows(conn, size=size) if h["key_id"] == self.key_id]
            if mine:
                return mine[-1]
        with self.engine.begin() as conn:
            size = read_state(conn, lock=True)[0]
            mine = [h for h in head_rows(conn, size=size) if h["key_id"] == self.key_id]
            return mine[-1] if mine else self._sign(conn, size)

    def heads(self) -> list[TreeHead]:
        with self.read_engine.connect() as conn:
            return head_rows(conn)

    def _sign(self, conn: Connection, size: int) -> TreeHead:
        root_hash = _prefetched(conn, lambda store: root(store, size))
        timestamp = int(self.clock().timestamp() * 1000)
        head = sign_tree_head(self.signing_key, size, root_hash, timestamp)
        put_head(conn, head)
        return head

    # ——— proofs ———

    def inclusion(self, position: int, size: int | None = None) -> dict[str, Any]:
        """RFC 6962 audit path of the record at ``position`` in the tree of ``size`` leaves
        (default: the current size), in the offline verifier's JSON form."""
        with self.read_engine.connect() as conn:
            current = read_state(conn)[0]
            index = leaf_index_of(conn, position)
            if index is None:
                raise NotFoundError(f"账本中没有位置 {position} 的记录 (no record at position {position} "
                                    "in the ledger)")
            size = current if size is None else self._check_size(
                "size", size, index + 1, current, "a tree that holds the record, no larger than the ledger")
            proof, root_hash, leaf = _prefetched(conn, lambda store: (
                inclusion_proof(store, index, size), root(store, size), _leaf_of(store, index)))
        return {"position": position, "index": index, "size": size, "leaf_hash": leaf.hex(),
                "proof": [p.hex() for p in proof], "root_hash": root_hash.hex()}

    def consistency(self, first: int, second: int | None = None) -> dict[str, Any]:
        """RFC 6962 consistency proof from size ``first`` to ``second`` (default: current)."""
        with self.read_engine.connect() as conn:
            current = read_state(conn)[0]
            second = current if second is None else self._check_size("second", second, 1, current,
                                                                     "no larger than the ledger")
            first = self._check_size("first", first, 1, second, "no larger than the second tree")
            proof, first_root, second_root = _prefetched(conn, lambda store: (
                consistency_proof(store, first, second), root(store, first), root(store, second)))
        return {"first": first, "second": second, "first_root": first_root.hex(),
                "second_root": second_root.hex(), "proof": [p.hex() for p in proof]}

    @staticmethod
    def _check_size(name: str, value: int, low: int, high: int, why: str) -> int:
        """A tree size within [low, high]: bounds that depend on the ledger's state, not on the request."""
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError([FieldError(name, f"须在 {low} 到 {high} 之间 (must be between {low} and {high}: "
                                                    f"{why})")])
        return value

    # ——— verifying ———

    def verify(self, recorder: Recorder, saved_head: Mapping[str, Any] | None = None, *,
               public_key: bytes | None = None, progress: Progress | None = None) -> VerifyReport:
        """Recompute the ledger from the event store; check stored heads and, if given, a saved head.

        ``public_key`` (default: this ledger's) checks the heads' signatures: an auditor passes
        the key they saved, so a replaced key file cannot vouch for a rewritten ledger.
        """
        key = public_key or self.public_key
        with self.read_engine.connect() as conn:
            size = read_state(conn)[0]
            stored_heads = head_rows(conn)
        saved_size = saved_head.get("size") if saved_head is not None else None
        checkpoints = sorted({h["size"] for h in stored_heads if 0 < h["size"] <= size}
                             | ({saved_size} if isinstance(saved_size, int) and 0 < saved_size <= size else set()))
        walk = _Walk(self, recorder, size, checkpoints, progress)
        walk.run()
        report = VerifyReport(size=size, root_hash="", checked=walk.checked, pending=walk.pending)
        if walk.divergence is not None:
            report.divergences.append(walk.divergence)
        ledger_root = self._ledger_root(size, report)
        report.root_hash = ledger_root.hex() if ledger_root is not None else ""
        if walk.divergence is None and ledger_root is not None:
            self._check_stored_heads(stored_heads, walk, key, size, report)
        if saved_head is not None:
            self._check_saved_head(saved_head, key, size, ledger_root, report)
        return report

    def _ledger_root(self, size: int, report: VerifyReport) -> bytes | None:
        try:
            return self.root(size)
        except MissingNodeError as exc:
            report.divergences.append(Divergence(
                "node", None, f"账本缺少节点 (the ledger lacks node level {exc.level}, index {exc.index})"))
            return None

    def _check_stored_heads(self, heads: list[TreeHead], walk: _Walk, key: bytes, size: int,
                            report: VerifyReport) -> None:
        """Each stored head signed by ``key`` must be valid and match the rebuilt root at its size;
        the first that does not narrows the change to after the last head that did."""
        good = 0
        for head in heads:
            if head["key_id"] != key_id(key):
                continue  # signed under another (earlier) key: its signature cannot be checked here
            report.heads_checked += 1
            head_size = head["size"]
            if not verify_tree_head(head, key):
                zh, en, position = "签名无效", "its signature is not valid", None
            elif head_size > size:
                zh, en, position = (f"超出账本大小 {size}，账本被截短",
                                    f"it exceeds the ledger size {size}: the ledger was truncated", None)
            elif not hmac.compare_digest(walk.roots[head_size], bytes.fromhex(head["root_hash"])):
                position, last = walk.position_of(good), walk.position_of(head_size - 1)
                zh = f"的根哈希与记录不符，改动在位置 {position} 至 {last} 之间"
                en = f"its root does not match the records: something between positions {position} and {last} changed"
            else:
                good = head_size
                continue
            report.divergences.append(_divergence(
                "head", position, f"大小为 {head_size} 的已签名树头{zh}", f"signed head of size {head_size}: {en}",
                head_size=head_size))
            return

    def _check_saved_head(self, saved: Mapping[str, Any], key: bytes, size: int, ledger_root: bytes | None,
                          report: VerifyReport) -> None:
        """The ledger must extend the saved head: signed by ``key`` and provably consistent."""
        saved_size = saved.get("size")
        report.saved_head_size = saved_size if isinstance(saved_size, int) else None

        def fail(zh: str, en: str) -> None:
            report.divergences.append(_divergence(
                "saved-head", None, f"账本与保存的树头（大小 {saved_size}）不一致：{zh}",
                f"the ledger is not consistent with the saved head of size {saved_size}: {en}",
                head_size=report.saved_head_size))

        if not verify_tree_head(saved, key) or not isinstance(saved_size, int):
            fail("该树头并非由此账本的密钥签署", "it is not validly signed by the ledger's key")
            return
        saved_root = bytes.fromhex(saved["root_hash"])
        if saved_size > size:
            fail(f"账本只有 {size} 条，被截短", f"the ledger holds only {size} records: it was truncated")
        elif ledger_root is None:
            fail("账本已损坏", "the ledger is damaged")
        elif saved_size == 0:
            return
        else:
            try:
                proof = [bytes.fromhex(p) for p in self.consistency(saved_size, size)["proof"]]
            except MissingNodeError:
                proof = []
            if not verify_consistency(saved_size, size, saved_root, ledger_root, proof):
                fail("一致性证明不成立，账本被改写", "no consistency proof holds: the ledger was rewritten")


class _Walk:
    """One pass over the event store and the ledger's leaves, rebuilding the tree beside it."""

    def __init__(self, ledger: Ledger, recorder: Recorder, size: int, checkpoints: list[int],
                 progress: Progress | None) -> None:
        self.ledger, self.recorder, self.size, self.progress = ledger, recorder, size, progress
        self.checkpoints = checkpoints
        self.read_rows: RowReader | None = row_reader(recorder)  # None once a page needed the exact walk
        self.next_position = 1  # where the store's next record is, while pages pass in bulk
        self.records = _RecordStream(recorder, ledger.verify_page_size)
        self.frontier = _FrontierStore()
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
                self.read_rows = None
                self.records = _RecordStream(self.recorder, page, self.next_position)
            hashes: list[bytes] = []
            for index in range(start, stop):
                row = leaves[index - start] if index - start < len(leaves) else None
                if row is None or row[0] != index or row[2] is None or row[1] <= previous:
                    self.divergence = _divergence(
                        "node", None, f"账本叶子 {index} 缺失或错序", f"ledger leaf {index} is missing or out of "
                        "order: the ledger's tables were altered", leaf_index=index)
                    return
                _, position, stored = row
                assert stored is not None
                try:
                    digest, self.divergence = self._compare(index, position, stored)
                except _Unreadable as exc:
                    digest, self.divergence = b"", _divergence(
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
            self.divergence = _divergence("extra", None, "账本之后的记录无法读取",
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
            roots[built] = root(_FrontierStore(latest), built)
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
            return b"", _divergence("missing", position, f"位置 {position} 的记录已从事件库中消失",
                                    f"the record at position {position} is in the ledger but no longer in the "
                                    "event store", leaf_index=index)
        if record.id < position:
            return b"", _divergence("extra", record.id, f"事件库中多出位置 {record.id} 的记录",
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
            return digest, _divergence("reordered", position, f"位置 {position} 的记录原记于位置 {moved_from}",
                                       f"the record now at position {position} was recorded at position "
                                       f"{moved_from}: rows were reordered", leaf_index=index,
                                       other_position=moved_from)
        return digest, _divergence("changed", position, f"位置 {position} 的记录已被改动",
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
                    return _divergence(
                        "node", None, f"账本节点（第 {level} 层第 {index} 个）与其覆盖的记录不符",
                        f"the ledger's node (level {level}, index {index}) does not match leaves {first} to "
                        f"{first + (1 << level) - 1}: the ledger's tables were altered", leaf_index=first)
        return None


def _divergence(kind: str, position: int | None, zh: str, en: str, **more: Any) -> Divergence:
    return Divergence(kind, position, f"{zh} ({en})", **more)


def _leaf_of(store: NodeStore, index: int) -> bytes:
    digest = store.get(0, index)
    if digest is None:
        raise MissingNodeError(0, index)
    return digest
