"""Errors as RFC 9457 ``application/problem+json``: ONE table from domain errors to HTTP status
(and CLI exit code), plus the request-validation and catch-all handlers.

Body: ``{"type", "title", "status", "detail", "rules": [ids], "errors": [{"loc", "msg"}]}`` —
messages for people in Chinese and English.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.rate_limit import RateLimitedError
from api.responses import ProblemResponse
from domain.errors import (
    ConcurrencyError,
    ConflictError,
    IdempotencyConflictError,
    JishiError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    ValidationError,
)

log = logging.getLogger("jishi.api")


class NotAuthenticatedError(JishiError):
    """Raised when a request has no bearer token, or one that matches no active user."""

    title = "未认证 (not authenticated)"


class ReadModelsUnavailableError(JishiError):
    """Raised when this process has no read models (yet)."""

    title = "读模型不可用 (read models unavailable)"


# The one table: domain error → (HTTP status, CLI exit code, problem type slug).
# Looked up along the class's MRO, so the most specific class wins.
ERROR_TABLE: dict[type[Exception], tuple[int, int, str]] = {
    ValidationError: (422, 2, "validation"),
    RuleViolationError: (422, 3, "rule-violation"),
    NotFoundError: (404, 4, "not-found"),
    IdempotencyConflictError: (409, 5, "idempotency-conflict"),
    ConcurrencyError: (409, 5, "concurrency"),
    ConflictError: (409, 5, "conflict"),
    IntegrityError: (409, 5, "concurrency"),
    PermissionDeniedError: (403, 6, "forbidden"),
    NotAuthenticatedError: (401, 7, "unauthenticated"),
    ReadModelsUnavailableError: (503, 8, "unavailable"),
    RateLimitedError: (429, 9, "rate-limited"),
    JishiError: (400, 1, "bad-request"),
}
TYPE_BASE = "urn:jishi:problem:"


def classify(error: Exception) -> tuple[int, int, str] | None:
    """(status, exit code, slug) for an error, or None if it is not one we expect."""
    for cls in type(error).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls]
    return None


class ProblemError(BaseModel):
    """One problem with one input: where (``loc``) and what (``msg``, 中文 (English))."""

    loc: str
    msg: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    rules: list[str] = Field(default_factory=list)
    errors: list[ProblemError] = Field(default_factory=list)
    request_id: str | None = None


def problem(status: int, slug: str, title: str, detail: str, *, rules: Sequence[str] = (),
            errors: Sequence[dict[str, str]] = (), request: Request | None = None,
            headers: dict[str, str] | None = None) -> ProblemResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail,
                            "rules": list(rules), "errors": list(errors)}
    if request is not None:
        body["request_id"] = getattr(request.state, "request_id", None)
    return ProblemResponse(body, status_code=status, headers=headers)


def problem_from_error(error: Exception, request: Request | None = None) -> ProblemResponse:
    status, _, slug = classify(error) or (500, 1, "internal")
    title = getattr(error, "title", None) or ERROR_TITLES.get(status, "错误 (error)")
    detail = getattr(error, "detail", None) or str(error) or title
    rules: list[str] = []
    errors: list[dict[str, str]] = []
    if isinstance(error, RuleViolationError):
        rules = error.rules
        errors = [{"loc": v.field or "", "msg": f"{v.rule}: {v.message}"} for v in error.violations]
    elif isinstance(error, ValidationError):
        errors = [{"loc": e.loc, "msg": e.msg} for e in error.errors]
    elif isinstance(error, IntegrityError):
        detail = "记录已被他人同时修改，请重试 (changed concurrently: retry)"
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(error, RateLimitedError):
        headers = {"Retry-After": str(error.retry_after)}
    return problem(status, slug, title, detail, rules=rules, errors=errors, request=request, headers=headers)


ERROR_TITLES = {
    400: "请求无效 (bad request)",
    401: "未认证 (not authenticated)",
    403: "无权操作 (not permitted)",
    404: "不存在 (not found)",
    405: "方法不允许 (method not allowed)",
    409: "冲突 (conflict)",
    413: "请求体过大 (request body too large)",
    415: "不支持的媒体类型 (unsupported media type)",
    422: "输入无效 (invalid input)",
    429: "请求过于频繁 (too many requests)",
    500: "服务器内部错误 (internal server error)",
    503: "服务暂不可用 (service unavailable)",
}

# Pydantic error type → the Chinese half of the message (the English half is pydantic's own).
PYDANTIC_ZH = {
    "missing": "必填",
    "extra_forbidden": "未知字段",
    "literal_error": "不在允许的取值中",
    "enum": "不在允许的取值中",
    "string_type": "须为文本",
    "string_too_short": "文本过短或为空",
    "string_too_long": "文本过长",
    "string_pattern_mismatch": "格式不符",
    "date_parsing": "须为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "须为日期 YYYY-MM-DD",
    "date_from_datetime_inexact": "须为日期 YYYY-MM-DD",
    "date_type": "须为日期 YYYY-MM-DD",
    "datetime_parsing": "须为时间 (ISO 8601)",
    "datetime_from_date_parsing": "须为时间 (ISO 8601)",
    "datetime_type": "须为时间 (ISO 8601)",
    "uuid_parsing": "须为 UUID",
    "uuid_type": "须为 UUID",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "decimal_parsing": "须为数字",
    "decimal_type": "须为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "finite_number": "须为有限数字",
    "float_parsing": "须为数字",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "json_invalid": "JSON 格式错误",
    "json_type": "须为 JSON",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "dict_type": "须为对象",
    "list_type": "须为列表",
    "tuple_type": "须为列表",
    "too_long": "项目过多",
    "too_short": "项目过少",
    "union_tag_invalid": "未知记录类型",
    "union_tag_not_found": "缺少记录类型 type",
    "value_error": "取值无效",
}


def _loc(loc: Sequence[Any], tags: frozenset[str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    parts = [p for i, p in enumerate(parts) if not (i == 0 and p in tags)]
    return ".".join(parts) or "body"


def validation_errors(raw: Sequence[Any], tags: frozenset[str] = frozenset()) -> list[dict[str, str]]:
    errors = []
    for e in raw:
        kind = str(e.get("type", ""))
        english = str(e.get("msg", "invalid")).replace("Value error, ", "")
        loc = _loc(e.get("loc", ()), tags)
        if kind == "json_invalid":
            loc = "body"
        elif kind == "union_tag_invalid":
            english = f"unknown entry type: {(e.get('ctx') or {}).get('tag')}"
        if kind == "bounds":  # api/schemas/types.py: the message is already 中文 (English)
            errors.append({"loc": loc, "msg": english})
            continue
        zh = PYDANTIC_ZH.get(kind, "输入无效")
        errors.append({"loc": loc, "msg": f"{zh} ({english})"})
    return errors


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """Every method the path answers to, across all its routes (Starlette's 405 names only the first
    route that matched the path: GET /api/v1/users hid POST /api/v1/users)."""
    routes = request.app.router.routes
    return ", ".join(method for method in METHODS
                     if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes))


def install(app: FastAPI, union_tags: frozenset[str] = frozenset()) -> None:
    """Register the handlers on ``app``."""

    async def on_domain_error(request: Request, error: Exception) -> ProblemResponse:
        return problem_from_error(error, request)

    async def on_request_validation(request: Request, error: Exception) -> ProblemResponse:
        assert isinstance(error, RequestValidationError)
        errors = validation_errors(error.errors(), union_tags)
        detail = "; ".join(f"{e['loc']}: {e['msg']}" for e in errors)
        return problem(422, "validation", ERROR_TITLES[422], detail, errors=errors, request=request)

    async def on_http_error(request: Request, error: Exception) -> ProblemResponse:
        assert isinstance(error, StarletteHTTPException)
        title = ERROR_TITLES.get(error.status_code, f"HTTP {error.status_code}")
        detail = str(error.detail) if error.detail else title
        headers = dict(error.headers or {})
        if error.status_code == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if error.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return problem(error.status_code, f"http-{error.status_code}", title, detail, request=request,
                       headers=headers or None)

    async def on_unexpected(request: Request, error: Exception) -> ProblemResponse:
        # Starlette re-raises after this answer, and uvicorn then closes the connection: say so, or a
        # client reusing the kept-alive connection loses its next request (a transport error, no answer).
        log.exception("unexpected error", exc_info=error)
        return problem(500, "internal", ERROR_TITLES[500],
                       "服务器内部错误，已记录 (internal error, logged)", request=request,
                       headers={"Connection": "close"})

    for cls in ERROR_TABLE:
        app.add_exception_handler(cls, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_request_validation)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
