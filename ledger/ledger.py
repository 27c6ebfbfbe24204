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
  ``saved-head`` the ledger is not consistent with a head an auditor saved earlier;
  ``witness``    (``jishi ledger verify --policy``) no head carries the witness policy's quorum.

The leaf input is :func:`ledger.verify.leaf_input` of the record's position,
originator id, version, topic and state bytes exactly as stored — encrypted bytes when the
store encrypts at rest, so nothing here needs the cipher key.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine

from domain.errors import FieldError, NotFoundError, ValidationError
from ledger.merkle import (
    EMPTY_ROOT,
    MemoryNodeStore,
    MissingNodeError,
    Node,
    NodeStore,
    append_leaves,
    consistency_proof,
    frontier,
    inclusion_proof,
    root,
)
from ledger.report import KINDS, Divergence, Progress, Recorder, VerifyReport, divergence, export_record, record_leaf
from ledger.signing import public_key_bytes, sign_tree_head, signer_key_id
from ledger.store import (
    SqlNodeStore,
    ensure_schema,
    head_rows,
    leaf_index_of,
    put_head,
    put_leaves,
    read_state,
    write_state,
)
from ledger.verify import (
    TreeHead,
    key_id,
    verify_consistency,
    verify_tree_head,
)
from ledger.walk import Walk

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

T = TypeVar("T")


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


def _now() -> datetime:
    return datetime.now(UTC)


class Ledger:
    """The ledger over one event store, kept in the read-model database."""

    def __init__(self, engine: Engine, signing_key: Ed25519PrivateKey, *, read_engine: Engine | None = None,
                 head_every: int = DEFAULT_HEAD_EVERY, page_size: int = DEFAULT_PAGE_SIZE,
                 verify_page_size: int = DEFAULT_VERIFY_PAGE_SIZE,
                 clock: Callable[[], datetime] | None = None, owns_engines: bool = False) -> None:
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
        self._owned: list[Engine] = [engine, self.read_engine] if owns_engines else []
        ensure_schema(engine)

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
                count, more = self._append_page(recorder, until)
                appended += count
                if not more:
                    return appended

    def _append_page(self, recorder: Recorder, until: int | None) -> tuple[int, bool]:
        """Append one page: how many records, and whether there may be more (a page shorter than it
        could be reached the store's head when it was read: no further transaction to find nothing)."""
        with self.engine.begin() as conn:
            size, last_position = read_state(conn, lock=True)
            if until is not None and last_position >= until:
                return 0, False
            # A page never runs past the next multiple of head_every, so heads land exactly there.
            limit = min(self.page_size, self.head_every - size % self.head_every)
            records = recorder.select_notifications(last_position + 1, limit, stop=until)
            if not records:
                return 0, False
            hashes = [record_leaf(record) for record in records]
            # The only stored nodes appending reads are the tree's right edge (and leaf ``size``, which must
            # not exist yet): fetched in one query, not one query a node.
            nodes = SqlNodeStore(conn)
            known = MemoryNodeStore()
            known.put_many([(level, index, digest) for (level, index), digest
                            in nodes.get_many([*frontier(size), (0, size)]).items()])
            nodes.put_many(append_leaves(known, size, hashes))
            put_leaves(conn, [(size + offset, record.id) for offset, record in enumerate(records)])
            new_size = size + len(records)
            write_state(conn, new_size, records[-1].id)
            if new_size % self.head_every == 0:
                self._sign(conn, new_size)
            return len(records), len(records) == limit

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
        walk = Walk(self, recorder, size, checkpoints, progress)
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

    def _check_stored_heads(self, heads: list[TreeHead], walk: Walk, key: bytes, size: int,
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
            report.divergences.append(divergence(
                "head", position, f"大小为 {head_size} 的已签名树头{zh}", f"signed head of size {head_size}: {en}",
                head_size=head_size))
            return

    def _check_saved_head(self, saved: Mapping[str, Any], key: bytes, size: int, ledger_root: bytes | None,
                          report: VerifyReport) -> None:
        """The ledger must extend the saved head: signed by ``key`` and provably consistent."""
        saved_size = saved.get("size")
        report.saved_head_size = saved_size if isinstance(saved_size, int) else None

        def fail(zh: str, en: str) -> None:
            report.divergences.append(divergence(
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


def _leaf_of(store: NodeStore, index: int) -> bytes:
    digest = store.get(0, index)
    if digest is None:
        raise MissingNodeError(0, index)
    return digest
