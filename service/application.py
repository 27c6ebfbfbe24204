"""纪实 Jishi: the application — the event store (the ``eventsourcing`` library's), the one write
path (``handle``) and the queries that read the write side.

Storage comes from the environment (``PERSISTENCE_MODULE`` …), never from an ``if`` in code. The
object is shared by every thread of a server: it keeps the configuration and the clock, nothing of a
command — each command gets its own unit of work (``service/unit_of_work.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Transcoder

from domain import ids
from domain.assessment_round import QUOTA_KIND, QuotaCount, RoundBook, period_end
from domain.cadre import Cadre
from domain.codes import validate_code
from domain.eligibility import Eligibility, for_post, for_rank
from domain.errors import FieldError, ValidationError
from domain.history import History, derive
from domain.post import Post, directory_of
from domain.recorded import Provenance, entry_id_of
from domain.retroactive import Impact, Lookups, impact, local_date
from domain.rules.config import RuleConfig
from domain.rules.context import GuardContext
from domain.selection import SelectionCase
from domain.unit import Unit
from domain.workdays import WorkingCalendar, YearSchedule
from service.commands import Command
from service.handlers import HANDLERS, Context
from service.handlers.calendar import working_calendar
from service.handlers.world import as_of_world
from service.jurisdiction import Jurisdiction, JurisdictionUnavailableError, ScopeView
from service.results import CommandResult
from service.transcoder import OrjsonTranscoder
from service.unit_of_work import Batch, DryRun, UnitOfWork


class Jishi(Application[UUID]):
    """纪实: the cadre record. ``handle(command, by)`` is the only way anything is written."""

    name = "Jishi"

    def __init__(self, env: Mapping[str, str] | None = None, *, config: RuleConfig | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(env)
        # 公民身份号码 claims are keyed by an HMAC under a key derived from the store's cipher key, so
        # the claim's stream id (in clear in the event store) does not give the number away
        cipher_key = (env or {}).get("CIPHER_KEY")
        self.claim_key = claim_key(cipher_key) if cipher_key else b""
        self.config = config or RuleConfig.defaults()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.scope_view: ScopeView | None = None  # set once by the composition root (jurisdiction)

    def construct_transcoder(self) -> Transcoder:
        return OrjsonTranscoder()

    def today(self) -> date:
        """Today in the configured time zone (asked for with every cadre event a projection applies)."""
        return local_date(self.clock(), self.config)

    def attach_scope_view(self, view: ScopeView) -> None:
        """Wire the read models' scope model in (the composition root does, once, before serving)."""
        self.scope_view = view

    # ——— the one write path ———

    def handle(self, command: Command, by: Provenance, *, batch: Batch | None = None) -> CommandResult:
        """Check the caller's jurisdiction, run the command's handler in a unit of work (``batch``:
        the caller's bulk batch), save atomically, and return what was stored. Raises a domain error
        (``domain/errors.py``) for anything refused; nothing is stored then."""
        uow = batch if batch is not None else UnitOfWork(self)
        try:
            if by.scopes is not None:
                self._jurisdiction(uow, by.scopes).check(command)
            replay = uow.replay(command)
            if replay is not None:
                return replay
            today = self.today()
            recorded = HANDLERS[type(command)](command, Context(uow, by, self.config, today, self.clock))
            return uow.commit(command, recorded)
        finally:
            uow.close()

    def authorize(self, command: Command, by: Provenance) -> None:
        """Only the jurisdiction check of ``command`` (a page asks before it shows the form for it):
        404 if the caller may not, exactly as ``handle`` would answer."""
        if by.scopes is not None:
            self._jurisdiction(UnitOfWork(self), by.scopes).check(command)

    def may_open(self, cadre_id: UUID, by: Provenance) -> None:
        """The jurisdiction check of a form for the cadre (a page asks before it shows one): 404 unless the
        cadre was ever in the caller's scope or is their own unplaced recruit, worded as for no such cadre."""
        if by.scopes is not None:
            self._jurisdiction(UnitOfWork(self), by.scopes).may_open(cadre_id)

    def batch(self, size: int = 500, keep: int = 20_000) -> Batch:
        """A bulk batch for one writer: ``with app.batch() as batch: app.handle(command, by, batch=batch)``."""
        return Batch(self, size, keep)

    def dry_run(self) -> DryRun:
        """A batch that checks without storing: ``with app.dry_run() as run: app.handle(command, by, batch=run)``
        runs jurisdiction, handler and guards and returns what would be recorded; nothing is saved."""
        return DryRun(self)

    def _jurisdiction(self, uow: UnitOfWork, scope: frozenset[str]) -> Jurisdiction:
        if self.scope_view is None:
            raise JurisdictionUnavailableError("无读模型，无法核验管辖范围 (no read models: jurisdiction cannot be "
                                               "checked; a scoped user writes through the server)")
        self.scope_view.refresh()
        return Jurisdiction(self.scope_view, scope, uow, self.today(), self.clock)

    # ——— queries of the write side ———

    def get_cadre(self, cadre_id: UUID) -> Cadre:
        return UnitOfWork(self).get(Cadre, cadre_id, f"干部不存在 (no such cadre): {cadre_id}")

    def get_post(self, unit_code: str, post_code: str) -> Post:
        return UnitOfWork(self).get(Post, ids.post_id(unit_code, post_code),
                                    f"职位不存在 (no such post): {unit_code}/{post_code}")

    def get_unit(self, code: str) -> Unit:
        return UnitOfWork(self).get(Unit, ids.unit_id(code), f"单位不存在 (no such unit): {code}")

    def get_case(self, case_id: UUID) -> SelectionCase:
        return UnitOfWork(self).get(SelectionCase, case_id, f"选任纪实不存在 (no such selection case): {case_id}")

    def working_calendar(self, years: Iterable[int]) -> WorkingCalendar:
        """The working-day calendar as known now, for counting days of ``years``."""
        return working_calendar(UnitOfWork(self), years)

    def calendar_year(self, year: int) -> YearSchedule | None:
        """The schedule of ``year`` as known now: recorded, else built in, else None (not known)."""
        return self.working_calendar([year]).years.get(year)

    def assessment_round(self, unit_code: str, period: str, *, batch: Batch | None = None) -> QuotaCount:
        """年度考核 of a unit for a year as R-EXCELLENT-QUOTA counts it: participants (recorded, else the
        holders of the unit's posts on the period's last day) and the 优秀 counted so far (``batch``: as
        the caller's bulk batch holds the record, saved or not)."""
        day = period_end(QUOTA_KIND, period)
        if day is None:
            raise ValidationError([FieldError("period", "年度考核的期间须为年份，如 2023 "
                                                        "(an annual assessment's period is a year such as 2023)")])
        uow = batch if batch is not None else UnitOfWork(self)
        uow.get(Unit, ids.unit_id(unit_code), f"单位不存在 (no such unit): {unit_code}")
        reader = Provenance("query", "system", "")
        book = RoundBook(uow.find, lambda code: directory_of(uow.find, self, code, reader))
        key = (unit_code, QUOTA_KIND, period.strip())
        return book.count(key, day, book.round(key), None)

    def history(self, cadre_id: UUID) -> History:
        return derive(self.get_cadre(cadre_id).standing_entries())

    def eligibility(self, cadre_id: UUID, *, post: tuple[str, str] | None = None,
                    rank: str | None = None, on: date | None = None, batch: Batch | None = None) -> Eligibility:
        """资格测算: every guard a promotion to ``post`` (unit_code, post_code) or to ``rank``
        would face on ``on`` (default today), with pass/fail and the reason (``batch``: as the caller's
        bulk batch holds the record, saved or not)."""
        if (post is None) == (rank is None):
            raise ValidationError([FieldError("target", "须给出目标职位或目标职级之一 "
                                                        "(give either a target post or a target rank)")])
        day = on or self.today()
        uow = batch if batch is not None else UnitOfWork(self)
        entries = uow.get(Cadre, cadre_id, f"干部不存在 (no such cadre): {cadre_id}").standing_entries()
        if post is not None:
            values: dict[str, Any] = {"effective_on": day, "unit_code": post[0], "post_code": post[1],
                                      "manner": "提拔"}
            ctx = GuardContext(self.today(), "Appointed", values,
                               **as_of_world(uow, cadre_id, "Appointed", values, entries, None))
            return for_post(cadre_id, day, ctx, self.config)
        problem = validate_code("rank", rank)
        if problem:
            raise ValidationError([FieldError("rank", problem)])
        values = {"effective_on": day, "to_rank": rank}
        ctx = GuardContext(self.today(), "RankPromoted", values,
                           **as_of_world(uow, cadre_id, "RankPromoted", values, entries, None))
        return for_rank(cadre_id, day, ctx, self.config)

    def impact(self, cadre_id: UUID, entry_id: UUID) -> Impact | None:
        """追溯影响: what the cadre's entry ``entry_id`` changed in the past, comparing the record as known
        just before it was recorded (the version before) with the record as known just after (its version);
        None if the cadre has no such entry or it has no effective date (``domain/retroactive.py``)."""
        uow = UnitOfWork(self)
        now = uow.find(Cadre, cadre_id)
        record = now.entries.get(entry_id) if isinstance(now, Cadre) else None
        if record is None:
            return None
        after: Cadre = self.repository.get(cadre_id, version=record.version)
        before: Cadre | None = self.repository.get(cadre_id, version=record.version - 1) \
            if record.version > 1 else None
        lookups = Lookups(lambda unit_code, post_code: uow.find(Post, ids.post_id(unit_code, post_code)),
                          lambda code: uow.find(Unit, ids.unit_id(code)))
        return impact(entry_id, before, after, lookups, self.config)


__all__ = ["CommandResult", "Jishi", "entry_id_of"]


def claim_key(cipher_key: str) -> bytes:
    """The key of the ID-number claims, derived from the store's cipher key (base64)."""
    import base64

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"jishi id-number claims").derive(
        base64.b64decode(cipher_key))
