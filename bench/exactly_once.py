"""Counting what the event store holds for each request of a workload (by the request id every event
carries), and judging it against what the clients were told: an acknowledged write is stored exactly
once, where its answer says; a refusal stores nothing; nothing is stored that no client sent or that
was answered with a refusal; only a request left without an answer (in flight when the server died)
may or may not be stored."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import select

from bench.workload import Outcome
from domain.recorded import entry_id_of
from jishi.bootstrap import build_application
from jishi.settings import Settings
from projections.db import make_engine
from projections.models import AuditRow


@dataclass(frozen=True)
class Stored:
    position: int
    topic: str
    stream_id: UUID
    version: int

    @property
    def entry_id(self) -> str:
        return str(entry_id_of(self.stream_id, self.version))


@dataclass
class StoreScan:
    """Every stored event whose request id starts with ``prefix``, by request id; scanned incrementally."""

    settings: Settings
    prefix: str
    by_marker: dict[str, list[Stored]] = field(default_factory=lambda: defaultdict(list))
    scanned_to: int = 0

    def scan(self) -> int:
        """Read the events stored since the last scan; the store's head."""
        app = build_application(self.settings)
        try:
            recorder, mapper = app.recorder, app.mapper
            while page := recorder.select_notifications(self.scanned_to + 1, limit=2000):
                for note in page:
                    if note.topic.startswith("jishi.system."):
                        continue
                    event = mapper.to_domain_event(note)
                    marker = getattr(event, "request_id", "")
                    if isinstance(marker, str) and marker.startswith(self.prefix):
                        self.by_marker[marker].append(Stored(note.id, note.topic, event.originator_id,
                                                             event.originator_version))
                self.scanned_to = page[-1].id
            return self.scanned_to
        finally:
            app.close()

    def streams(self, prefix: str, topic_prefix: str = "jishi.cadre.") -> set[UUID]:
        """The streams that events of requests under ``prefix`` were stored on (e.g. every cadre written)."""
        return {s.stream_id for marker, stored in self.by_marker.items() if marker.startswith(prefix)
                for s in stored if s.topic.startswith(topic_prefix)}

    def own(self, outcome: Outcome) -> list[Stored]:
        """The events of the request's own kind (not the post occupancy it moves) stored for it."""
        return [s for s in self.by_marker.get(outcome.request.marker, []) if s.topic == outcome.request.topic]


def doubled(stored: list[Stored]) -> bool:
    """The same kind of event twice on one stream under one request id: the command ran twice."""
    seen = {(s.stream_id, s.topic) for s in stored}
    return len(seen) != len(stored)


def check_acknowledged(outcome: Outcome, scan: StoreScan) -> str | None:
    """A 201 answer: exactly one event of its kind, at the position and entry its answer named."""
    own, body = scan.own(outcome), outcome.body or {}
    marker = outcome.request.marker
    if len(own) != 1:
        return f"{marker} ({outcome.request.kind}) answered 201 but stored {len(own)} times"
    if own[0].position != body.get("position") or own[0].entry_id != body.get("entry_id"):
        return (f"{marker} ({outcome.request.kind}) answered position {body.get('position')} entry "
                f"{body.get('entry_id')}, stored at {own[0].position} entry {own[0].entry_id}")
    if doubled(scan.by_marker[marker]):
        return f"{marker} ({outcome.request.kind}) stored an event twice on one stream"
    return None


def check_refused(outcome: Outcome, scan: StoreScan) -> str | None:
    """A refusal (4xx) stores nothing."""
    stored = scan.by_marker.get(outcome.request.marker, [])
    if stored:
        return (f"{outcome.request.marker} ({outcome.request.kind}) answered {outcome.status} but stored "
                f"{len(stored)} event(s)")
    return None


@dataclass
class Judgement:
    violations: list[str] = field(default_factory=list)
    stored_once: int = 0  # acknowledged writes found exactly once where their answer said
    refused_clean: int = 0  # refusals that stored nothing
    in_flight_stored: int = 0  # requests without an answer that were stored all the same
    server_errors: list[str] = field(default_factory=list)  # 5xx answers (and whether they stored anything)


def judge(outcomes: list[Outcome], scan: StoreScan, *, prefix: str) -> Judgement:
    """Judge ``outcomes`` (one per request, the last answer each got) against the store. Every stored
    marker under ``prefix`` must belong to one of them, answered 201 or without an answer."""
    verdict = Judgement()
    by_marker = {o.request.marker: o for o in outcomes}
    for marker, stored in scan.by_marker.items():
        if not marker.startswith(prefix):
            continue
        outcome = by_marker.get(marker)
        if outcome is None:
            verdict.violations.append(f"{marker}: {len(stored)} event(s) stored for a request no client sent")
        elif outcome.status is None:
            own = scan.own(outcome)
            if len(own) > 1 or doubled(stored):
                verdict.violations.append(f"{marker} (in flight) stored {len(own)} times")
            verdict.in_flight_stored += bool(own)
    for outcome in outcomes:
        if outcome.status is None:
            continue
        if outcome.status >= 500:
            count = len(scan.by_marker.get(outcome.request.marker, []))
            verdict.server_errors.append(f"{outcome.request.marker} ({outcome.request.kind}) answered "
                                         f"{outcome.status}, stored {count} event(s)")
            continue
        problem = check_acknowledged(outcome, scan) if outcome.stored else check_refused(outcome, scan)
        if problem is not None:
            verdict.violations.append(problem)
        elif outcome.stored:
            verdict.stored_once += 1
        else:
            verdict.refused_clean += 1
    return verdict


def same_result(first: dict[str, Any] | None, again: dict[str, Any] | None) -> bool:
    """A retried write answers with the first result (entry, stream, version, position)."""
    keys = ("entry_id", "stream_id", "version", "position")
    return first is not None and again is not None and all(first.get(k) == again.get(k) for k in keys)


def audit_rows_missing(settings: Settings, outcomes: list[Outcome]) -> list[str]:
    """Acknowledged writes whose position the audit read model (rm_audit) lacks or holds for another entry."""
    wanted = {int(o.body["position"]): str(o.body["entry_id"]) for o in outcomes if o.stored and o.body}
    engine = make_engine(settings.sqlalchemy_url())
    found: dict[int, str] = {}
    positions = sorted(wanted)
    try:
        with engine.connect() as conn:
            for i in range(0, len(positions), 500):
                chunk = positions[i:i + 500]
                found.update(conn.execute(select(AuditRow.position, AuditRow.entry_id)
                                          .where(AuditRow.position.in_(chunk))).tuples().all())
    finally:
        engine.dispose()
    return [f"position {p}: the audit read model holds {found.get(p)!r}, not entry {e}"
            for p, e in sorted(wanted.items()) if found.get(p) != e]


def occupancy_mismatches(settings: Settings, cadre_ids: set[UUID], posts: list[tuple[str, str]]) -> list[str]:
    """Posts whose occupancy (the OccupancyChanged mirror) disagrees with the tenures the holders' own
    records give, for ``cadre_ids`` and every holder the posts name."""
    from domain.history import derive

    app = build_application(settings)
    try:
        occupancy = {key: {cid: _tenures(t) for cid, t in app.get_post(*key).occupancy.items()} for key in posts}
        holders = set(cadre_ids) | {cid for held in occupancy.values() for cid in held}
        found = []
        for cadre_id in sorted(holders):
            history = derive(app.get_cadre(cadre_id).standing_entries())
            for key in posts:
                own, mirrored = _tenures(history.tenures_at(*key)), occupancy[key].get(cadre_id, ())
                if own != mirrored:
                    found.append(f"post {key[0]}/{key[1]} holds cadre {cadre_id} for {mirrored}, "
                                 f"the cadre's record says {own}")
        return found
    finally:
        app.close()


def _tenures(tenures: Any) -> tuple[tuple[str, str | None], ...]:
    return tuple((str(start), None if end is None else str(end)) for start, end in tenures)
