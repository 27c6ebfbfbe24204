"""Domain errors: every refusal the domain can give, under one base.

The api maps each class to an HTTP status and a CLI exit code in one table; the
domain never knows about either.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field, readable by a person (中文 (English))."""

    loc: str
    msg: str


@dataclass(frozen=True)
class Violation:
    """A rule that an entry breaks: the rule id and why, in Chinese and English.

    ``overridable`` None: as the rule's catalog entry says; True/False: this situation of the rule
    (one rule can be overridable up to a limit and not beyond it, e.g. R-EXCELLENT-QUOTA)."""

    rule: str
    message_zh: str
    message_en: str
    field: str | None = None
    overridable: bool | None = None

    @property
    def message(self) -> str:
        return f"{self.message_zh} ({self.message_en})"


class JishiError(Exception):
    """Base of every error the domain raises on purpose."""

    title = "请求无法完成 (request cannot be completed)"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ValidationError(JishiError):
    """Raised when input fields are missing, of the wrong type or not in a code table."""

    title = "输入无效 (invalid input)"

    def __init__(self, errors: list[FieldError], detail: str | None = None) -> None:
        super().__init__(detail or "; ".join(f"{e.loc}: {e.msg}" for e in errors))
        self.errors = errors


class RuleViolationError(JishiError):
    """Raised when an entry breaks one or more guards and was not (or may not be) overridden."""

    title = "违反规则 (rule violation)"

    def __init__(self, violations: list[Violation], detail: str | None = None) -> None:
        super().__init__(detail or "; ".join(f"{v.rule}: {v.message}" for v in violations))
        self.violations = violations

    @property
    def rules(self) -> list[str]:
        return sorted({v.rule for v in self.violations})


class NotFoundError(JishiError):
    """Raised when a unit, post, cadre, case or entry does not exist."""

    title = "不存在 (not found)"


class ConflictError(JishiError):
    """Raised when something already exists or was changed by someone else meanwhile."""

    title = "冲突 (conflict)"


class ConcurrencyError(ConflictError):
    """Raised when a stream moved on since it was read (stale expected_version or a race)."""

    title = "并发冲突 (concurrent change)"


class IdempotencyConflictError(ConflictError):
    """Raised when an idempotency key is reused with a different request body."""

    title = "幂等键冲突 (idempotency key reused with another request)"


class PermissionDeniedError(JishiError):
    """Raised when the actor may not do this (e.g. override a guard without the permission)."""

    title = "无权操作 (not permitted)"


@dataclass
class Refusal:
    """Collects violations while a command is checked; used by the rule engine."""

    violations: list[Violation] = field(default_factory=list)
