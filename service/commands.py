"""Commands: what a caller asks Jishi to record, one small typed object per use case.

A command carries its target and the payload as the caller sent it (JSON types; the handler
validates it against the entry type), plus the optional idempotency key and expected version.
Nothing here runs: ``Jishi.handle(command, by)`` sends it to its handler.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

Payload = Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class Command:
    """Base of every command: an optional idempotency key (the same key and payload is recorded
    once; another payload → 409)."""

    idempotency_key: str | None = None

    def fingerprint_name(self) -> str:
        """The command's name in its idempotency fingerprint (stable: stored keys compare to it)."""
        raise NotImplementedError

    def fingerprint_payload(self) -> Payload:
        payload: Payload = getattr(self, "payload")  # noqa: B009 — every concrete command has one
        return payload


# ——— units and posts 单位与职位 ———

@dataclass(frozen=True)
class RegisterUnit(Command):
    """单位登记: a unit in the tree (code, name, kind, parent_code?)."""

    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return "register_unit"


@dataclass(frozen=True)
class RenameUnit(Command):
    """单位更名 from a date."""

    unit_code: str
    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return f"UnitRenamed:{self.unit_code}"


@dataclass(frozen=True)
class DissolveUnit(Command):
    """单位撤销 from a date."""

    unit_code: str
    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return f"UnitDissolved:{self.unit_code}"


@dataclass(frozen=True)
class EstablishPost(Command):
    """设立职位: a post of the unit with its grade (职务层次) and establishment (职数)."""

    unit_code: str
    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return f"establish_post:{self.unit_code}"


@dataclass(frozen=True)
class ChangeEstablishment(Command):
    """职数调整 from a date (R-EST guards a reduction)."""

    unit_code: str
    post_code: str
    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return f"establishment:{self.unit_code}/{self.post_code}"


@dataclass(frozen=True)
class AbolishPost(Command):
    """撤销职位 (refused while someone holds it)."""

    unit_code: str
    post_code: str
    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return f"abolish:{self.unit_code}/{self.post_code}"


@dataclass(frozen=True)
class RecordAssessmentParticipants(Command):
    """参加考核人数: how many cadres took part in a unit's 年度考核 (with the 文号 saying so); the number
    replaces the count of the unit's post holders in R-EXCELLENT-QUOTA."""

    unit_code: str
    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return f"participants:{self.unit_code}"


# ——— the cadre's record 成长纪实 ———

@dataclass(frozen=True)
class RegisterCadre(Command):
    """录用/建档: open a cadre's record (the ``CadreRegistered`` fields)."""

    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return "register_cadre"


@dataclass(frozen=True)
class RecordEntry(Command):
    """One entry of DOMAIN.md §4 (任职, 免职, 考核, 培训, 谈话 …) on a cadre's record."""

    cadre_id: UUID
    entry_type: str
    payload: Payload = field(default_factory=dict)
    expected_version: int | None = None

    def fingerprint_name(self) -> str:
        return f"entry:{self.cadre_id}:{self.entry_type}"


@dataclass(frozen=True)
class CorrectEntry(Command):
    """更正: new values (``payload["changes"]``) for some fields of an earlier entry, with a reason."""

    cadre_id: UUID
    entry_id: UUID
    payload: Payload = field(default_factory=dict)
    expected_version: int | None = None

    def fingerprint_name(self) -> str:
        return f"correct:{self.cadre_id}:{self.entry_id}"


@dataclass(frozen=True)
class RetractEntry(Command):
    """撤销记录: the earlier entry should never have been recorded."""

    cadre_id: UUID
    entry_id: UUID
    payload: Payload = field(default_factory=dict)
    expected_version: int | None = None

    def fingerprint_name(self) -> str:
        return f"retract:{self.cadre_id}:{self.entry_id}"


# ——— the promotion procedure 选任全程纪实 ———

@dataclass(frozen=True)
class OpenCase(Command):
    """分析研判和动议: a selection case for a post (the ``CaseOpened`` fields)."""

    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return "open_case"


@dataclass(frozen=True)
class RecordCaseStep(Command):
    """One step of a selection case (民主推荐, 考察, 凡提四必, 讨论决定, 任前公示 …)."""

    case_id: UUID
    step_type: str
    payload: Payload = field(default_factory=dict)
    expected_version: int | None = None

    def fingerprint_name(self) -> str:
        return f"case:{self.case_id}:{self.step_type}"


@dataclass(frozen=True)
class CorrectCaseStep(Command):
    """更正 a step of a selection case: new values (``payload["changes"]``), with a reason."""

    case_id: UUID
    step_id: UUID
    payload: Payload = field(default_factory=dict)
    expected_version: int | None = None

    def fingerprint_name(self) -> str:
        return f"StepCorrected:{self.case_id}:{self.step_id}"


@dataclass(frozen=True)
class RetractCaseStep(Command):
    """撤销 a step (or a correction of one) of a selection case, unless the procedure relies on it."""

    case_id: UUID
    step_id: UUID
    payload: Payload = field(default_factory=dict)
    expected_version: int | None = None

    def fingerprint_name(self) -> str:
        return f"StepRetracted:{self.case_id}:{self.step_id}"


# ——— the working-day calendar 节假日安排 (DOMAIN.md §6.4) ———

@dataclass(frozen=True)
class PublishCalendar(Command):
    """记录节假日安排 ``{year, holidays[], workdays[], notice_no, notice_date}`` (admin, or hr with
    ``can_publish_calendar``); with ``correct`` the whole corrected schedule of a recorded year, plus
    ``reason`` (and ``document_no``)."""

    payload: Payload = field(default_factory=dict)
    correct: bool = False

    def fingerprint_name(self) -> str:
        return f"calendar:{'correct' if self.correct else 'publish'}"


# ——— imports 导入台账 ———

@dataclass(frozen=True)
class RecordImport(Command):
    """导入台账 recorded when an import run ends: ``{file_name, sha256, kind, rows, stored, refused,
    already_stored, problems[], problems_total}`` on the stream ``import_id``."""

    import_id: UUID
    payload: Payload = field(default_factory=dict)

    def fingerprint_name(self) -> str:
        return f"import:{self.import_id}"
