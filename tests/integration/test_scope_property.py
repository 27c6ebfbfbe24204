"""Property: for random unit trees, scopes and careers (posts, transfers, secondments), recorded in two
batches, the cadres a scoped user can see on any day — as the record stands now and as it stood between
the batches (``known_at``) — are exactly those a reference computed from the generated history says:
held a post in a unit of the user's subtrees that day, or were seconded into one.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.recorded import Provenance
from service.commands import EstablishPost, RecordEntry, RegisterCadre, RegisterUnit
from service.unit_of_work import Batch
from tests import factories as f

HR = Provenance("hr-prop", "hr", "prop")
FIRST, LAST = date(2012, 1, 1), date(2024, 12, 31)
_examples = itertools.count(1)


@dataclass
class Career:
    """One cadre's career: ("post", unit, start, end|None) one after another, then maybe one
    ("secondment", host unit, start, end|None) inside a post's tenure; the first ``split`` spells are
    recorded in the first batch, the rest after the instant the test asks ``known_at``."""

    spells: list[tuple[str, int, date, date | None]] = field(default_factory=list)
    split: int = 0


@st.composite
def worlds(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(2, 6))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, n)]
    careers = []
    for _ in range(draw(st.integers(1, 4))):
        days = sorted(draw(st.lists(st.integers(0, (LAST - FIRST).days), min_size=1, max_size=6, unique=True)))
        bounds = [FIRST + timedelta(days=d) for d in days]
        career = Career()
        i = 0
        while i < len(bounds):  # posts one after another (a transfer ends one and starts the next), maybe gaps
            start = bounds[i]
            end = bounds[i + 1] if i + 1 < len(bounds) else None
            career.spells.append(("post", draw(st.integers(0, n - 1)), start, end))
            i += 1 if draw(st.booleans()) else 2  # next post starts the day this one ends, or after a gap
        held = [s for s in career.spells if s[3] is None or (s[3] - s[2]).days > 2]
        if held and draw(st.booleans()):  # a secondment inside one post's tenure
            _, _, start, end = draw(st.sampled_from(held))
            last = (end or LAST) - timedelta(days=1)
            s_start = start + timedelta(days=draw(st.integers(0, max(0, (last - start).days))))
            s_end = draw(st.one_of(st.none(), st.just(s_start + timedelta(days=draw(st.integers(1, 400))))))
            if s_end is not None and end is not None and s_end > end:
                s_end = end
            career.spells.append(("secondment", draw(st.integers(0, n - 1)), s_start, s_end))
        career.split = draw(st.integers(0, len(career.spells)))
        careers.append(career)
    scopes = [sorted(set(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2)))) for _ in range(2)]
    edges = sorted({day + timedelta(days=shift) for c in careers for _, _, start, end in c.spells
                    for day in (start, end) if day is not None for shift in (-1, 0)})
    probes = [FIRST + timedelta(days=d) for d in draw(st.lists(st.integers(0, (LAST - FIRST).days + 400),
                                                                min_size=2, max_size=4))]
    probes += draw(st.lists(st.sampled_from(edges), min_size=min(4, len(edges)), max_size=8, unique=True))
    return {"parents": parents, "careers": careers, "scopes": scopes, "probes": probes}


def subtree(parents: list[int | None], roots: list[int]) -> set[int]:
    found = set(roots)
    changed = True
    while changed:
        changed = False
        for child, parent in enumerate(parents):
            if parent in found and child not in found:
                found.add(child)
                changed = True
    return found


def reference(career: Career, units: set[int], day: date, recorded: int) -> bool:
    """Whether the cadre is in scope on ``day`` by the first ``recorded`` spells (each spell is recorded
    with its end: the appointment with its dismissal, a secondment with its end)."""
    return any(unit in units and start <= day and (end is None or day < end)
               for _kind, unit, start, end in career.spells[:recorded])


def record(app: Any, prefix: str, career: Career, cadre: Any, spells: range, batch: Batch) -> None:
    for i in spells:
        kind, unit, start, end = career.spells[i]
        code = f"{prefix}U{unit}"
        if kind == "post":
            app.handle(RecordEntry(cadre, "Appointed", f.appointment(start.isoformat(), code, "P")), HR, batch=batch)
            if end is not None:
                app.handle(RecordEntry(cadre, "Dismissed", f.dismissal(end.isoformat(), code, "P")), HR, batch=batch)
        else:
            started = app.handle(RecordEntry(cadre, "SecondmentStarted", {
                "effective_on": start.isoformat(), "kind": "跟班学习", "host": code, "role": "跟班",
                "planned_end_on": (end or LAST).isoformat()}), HR, batch=batch)
            if end is not None:
                app.handle(RecordEntry(cadre, "SecondmentEnded", {
                    "effective_on": end.isoformat(), "secondment_entry_id": str(started.entry_id),
                    "host_evaluation": "良好", "feedback": "按期结束"}), HR, batch=batch)


def test_the_cadres_a_scoped_user_sees_equal_a_reference_computed_from_the_history(runtime: Any) -> None:
    app, reads = runtime.app, runtime.read_models

    @settings(max_examples=12, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(world=worlds())
    def check(world: dict[str, Any]) -> None:
        prefix = f"E{next(_examples)}"
        parents = world["parents"]
        with app.batch() as batch:  # the same commands and guards, saved in one transaction
            for i, parent in enumerate(parents):
                parent_code = {"parent_code": f"{prefix}U{parent}"} if parent is not None else {}
                app.handle(RegisterUnit(f.unit(f"{prefix}U{i}", **parent_code)), HR, batch=batch)
                post = f.post("P", leadership=False, probation=False, establishment=50)
                app.handle(EstablishPost(f"{prefix}U{i}", post), HR, batch=batch)
            cadres = [app.handle(RegisterCadre(f.cadre(f"{prefix}C{k}")), HR, batch=batch).stream_id
                      for k in range(len(world["careers"]))]
            for career, cadre in zip(world["careers"], cadres, strict=True):
                record(app, prefix, career, cadre, range(career.split), batch)
        runtime.catch_up()
        time.sleep(0.005)
        between = datetime.now(UTC)
        time.sleep(0.005)
        with app.batch() as batch:
            for career, cadre in zip(world["careers"], cadres, strict=True):
                record(app, prefix, career, cadre, range(career.split, len(career.spells)), batch)
        runtime.catch_up()
        ours = {str(c) for c in cadres}
        for roots in world["scopes"]:
            scope = frozenset(f"{prefix}U{r}" for r in roots)
            units = subtree(parents, roots)
            for day in world["probes"]:
                now = {str(c) for c, career in zip(cadres, world["careers"], strict=True)
                       if reference(career, units, day, len(career.spells))}
                then = {str(c) for c, career in zip(cadres, world["careers"], strict=True)
                        if reference(career, units, day, career.split)}
                found = {i["cadre_id"] for i in reads.search(as_of=day, limit=1000, scope=scope)["items"]} & ours
                assert found == now, (day, roots)
                seen_then = {c for c in ours if reads.cadre_in_scope(c, day, scope, between)}
                assert seen_then == then, (day, roots, "known_at")

    check()
