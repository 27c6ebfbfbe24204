"""The open post spans and principal posts of the units R-RUSH (突击提拔) was last computed for,
kept in memory between events so a post move costs no flush and no query.

A unit is read from the tables the first time R-RUSH needs it (after the page's pending rows
are flushed); from then on every change the spans projection writes for a post span of that
unit is mirrored here, by the same signatures, so the index always equals the table's open
rows. A change to a unit's posts drops its principal posts, to be read again. The runner
forgets it all whenever its other caches go (a rolled-back page, another process's events).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Any, NamedTuple, cast
from uuid import UUID

from sqlalchemy import Connection, select

from domain.codes import is_principal
from projections.models import NEVER, PostRow, SpanRow

CACHED_UNITS = 4_000  # units kept; one that falls out is read again when next needed


class PostSpan(NamedTuple):
    """What R-RUSH reads of a post span (a tenure of one post)."""

    cadre_id: UUID
    entry_id: UUID | None
    valid_from: date
    valid_to: date
    post_code: str
    manner: str | None
    ended_by: UUID | None


def _uuid(value: Any) -> UUID | None:
    return value if value is None or isinstance(value, UUID) else UUID(str(value))


def post_span(row: Any) -> PostSpan:
    """A span row (a stored row or a derived dict) as R-RUSH reads it."""
    get = row.get if isinstance(row, dict) else row._mapping.get
    data = get("data") or {}
    return PostSpan(UUID(str(get("cadre_id"))), _uuid(get("entry_id")), cast(date, get("valid_from")),
                    cast(date, get("valid_to")), str(get("post_code")), get("label"), _uuid(data.get("ended_by")))


SpanChanges = tuple[list[tuple[str, str]], list[tuple[str, str, PostSpan]]]  # (unit, sig) closed; … opened
PostChanges = tuple[list[tuple[str, str]], list[tuple[str, str, tuple[str, bool, str]]]]


def post_span_changes(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> SpanChanges:
    """The post span rows the spans projection closes (in ``old`` only) and opens (in ``new`` only)."""
    closed = [(row["unit_code"], sig) for sig, row in old.items() if sig not in new and row["kind"] == "post"]
    opened = [(row["unit_code"], sig, post_span(row)) for sig, row in new.items()
              if sig not in old and row["kind"] == "post"]
    return closed, opened


def post_row_changes(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> PostChanges:
    """The post rows the posts projection closes and opens: (unit, sig, (post code, leadership, grade))."""
    closed = [(row["unit_code"], sig) for sig, row in old.items() if sig not in new]
    opened = [(row["unit_code"], sig, (row["post_code"], bool(row["leadership"]), row["grade"]))
              for sig, row in new.items() if sig not in old]
    return closed, opened


class UnitPostSpans:
    def __init__(self, size: int = CACHED_UNITS) -> None:
        self.size = size
        self._spans: OrderedDict[str, dict[str, PostSpan]] = OrderedDict()  # unit -> signature -> span
        self._principal: dict[str, frozenset[str]] = {}  # unit -> post codes of its 正职 leadership posts
        self._complete = False  # True: every unit is held, from an empty start (a bulk rebuild)
        self._posts: dict[str, dict[str, tuple[str, bool, str]]] = {}  # complete mode: unit -> sig -> post

    def start_empty(self) -> None:
        """Hold every unit, all empty: the tables were emptied and every change will be mirrored."""
        self.forget()
        self._complete = True

    def loaded(self, unit_code: str) -> bool:
        return self._complete or (unit_code in self._spans and unit_code in self._principal)

    def load(self, conn: Connection, unit_code: str) -> None:
        """Read the unit's open post spans and principal posts (the page's rows must be flushed)."""
        if unit_code not in self._spans:
            rows = conn.execute(select(SpanRow).where(
                SpanRow.kind == "post", SpanRow.unit_code == unit_code, SpanRow.recorded_to == NEVER)).all()
            self._spans[unit_code] = {r.signature: post_span(r) for r in rows}
        if unit_code not in self._principal:
            posts = conn.execute(select(PostRow.post_code, PostRow.grade).where(
                PostRow.unit_code == unit_code, PostRow.leadership, PostRow.recorded_to == NEVER))
            self._principal[unit_code] = frozenset(p.post_code for p in posts if is_principal(p.grade))
        self._spans.move_to_end(unit_code)
        while len(self._spans) > self.size:
            evicted, _ = self._spans.popitem(last=False)
            self._principal.pop(evicted, None)

    def spans(self, unit_code: str) -> list[PostSpan]:
        if self._complete:
            return list(self._spans.get(unit_code, {}).values())
        self._spans.move_to_end(unit_code)
        return list(self._spans[unit_code].values())

    def principal(self, unit_code: str) -> frozenset[str]:
        if self._complete:
            return frozenset(code for code, leadership, grade in self._posts.get(unit_code, {}).values()
                             if leadership and is_principal(grade))
        return self._principal[unit_code]

    def mirror(self, changes: SpanChanges) -> None:
        """Do to the units held here what the spans projection did to its open post span rows."""
        closed, opened = changes
        for unit_code, sig in closed:
            if unit_code in self._spans:
                self._spans[unit_code].pop(sig, None)
        for unit_code, sig, span in opened:
            if self._complete:
                self._spans.setdefault(unit_code, {})[sig] = span
            elif unit_code in self._spans:
                self._spans[unit_code][sig] = span

    def mirror_posts(self, changes: PostChanges) -> None:
        """The posts projection changed these post rows: mirror them (complete mode), else read
        the units' principal posts again when next needed."""
        closed, opened = changes
        if not self._complete:
            for unit_code in {c[0] for c in closed} | {o[0] for o in opened}:
                self._principal.pop(unit_code, None)
            return
        for unit_code, sig in closed:
            self._posts.get(unit_code, {}).pop(sig, None)
        for unit_code, sig, post in opened:
            self._posts.setdefault(unit_code, {})[sig] = post

    def forget(self) -> None:
        self._spans.clear()
        self._principal.clear()
        self._posts.clear()
        self._complete = False
