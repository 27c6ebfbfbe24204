"""Rendering the pages: one Jinja2 environment, the page dependencies, error pages, Server-Timing."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.auth import ADMINS, READERS, WRITERS
from api.pages import labels
from api.pages.names import Names, code_name, rule_name, rules_named
from api.pages.session import LoginRequiredError, PageForbiddenError, PageNotFoundError, Session, read_session
from api.problems import classify
from api.rate_limit import RateLimitedError, is_write
from domain import bounds
from domain.errors import JishiError, ValidationError

HERE = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
STATIC = HERE / "static"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")


@functools.cache
def static_url(path: str) -> str:
    """``/static/<path>?v=<content hash>``: cacheable, and a new file is fetched after an upgrade."""
    digest = hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:10]
    return f"/static/{path}?v={digest}"


def _local(value: Any, tz: str = "Asia/Shanghai") -> str:
    """An ISO instant (UTC) as Beijing time 'YYYY-MM-DD HH:MM:SS'."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def _yesno(value: Any) -> str:
    return "是" if value is True else "否" if value is False else ""


def _query(request: Request, **changes: Any) -> str:
    """The current query string with some parameters changed (None drops one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


# ——— pages speak Chinese (页面只用中文) ———

_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]")


def chinese_only(text: str) -> str:
    """The Chinese half of a "中文 (English)" message: the service layer and the API keep both, a page
    shows only the Chinese. Drops each ASCII-bracketed part that follows Chinese text and reads as
    English (it starts with a Latin letter, digit or sign and holds an English word); brackets with Chinese
    inside (（全日制）) and figures such as "(105/90)" stay. A message with no Chinese is left as it is."""
    if not _CJK.search(text):
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "(" and _CJK.search(text[:i]):
            depth, j = 0, i
            while j < len(text):
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            inner = text[i + 1:j]
            if j < len(text) and inner[:1].isascii() and _ENGLISH_WORD.search(inner):
                while out and out[-1] == " ":
                    out.pop()
                i = j + 1
                continue
        out.append(text[i])
        i += 1
    return "".join(out).strip()


MESSAGE_KEYS = ("title", "message", "error", "errors", "general", "refusal", "fields", "at")


def _chinese_messages(value: Any) -> Any:
    """``chinese_only`` over a page's messages: strings, lists and dicts of them, and the ``errors`` /
    ``general`` / ``fields`` (a refusal's messages by field) of a form field, refusal or timeframe —
    never a field's value (what the user typed is shown back as typed)."""
    if isinstance(value, str):
        return chinese_only(value)
    if isinstance(value, list | tuple):
        return type(value)(_chinese_messages(v) for v in value)
    if isinstance(value, dict):
        return {k: _chinese_messages(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {name: _chinese_messages(getattr(value, name)) for name in ("errors", "general", "fields")
                   if hasattr(value, name) and (name != "fields" or isinstance(getattr(value, name), dict))}
        return dataclasses.replace(value, **changes) if changes else value
    return value


def _names(ctx: Context) -> Names:
    found = ctx.get("naming")
    return found if isinstance(found, Names) else Names(None, date.today())


@pass_context
def _unit_name(ctx: Context, code: Any) -> str:
    return _names(ctx).unit(code)


@pass_context
def _post_name(ctx: Context, post_code: Any, unit_code: Any) -> str:
    return _names(ctx).post(unit_code, post_code)


@pass_context
def _posts_named(ctx: Context, text: Any) -> str:
    return _names(ctx).posts_in(text)


env = TEMPLATES.env
env.globals.update(static_url=static_url, labels=labels, field_label=labels.field_label,
                   ROLE_LABELS=labels.ROLE_LABELS, WRITERS=WRITERS)
env.filters.update(local=_local, yesno=_yesno, urlquote=lambda v: quote(str(v), safe=""),
                   zh=lambda v: chinese_only(str(v)) if v is not None else "",
                   unit_name=_unit_name, post_name=_post_name, rule_name=rule_name, rules_named=rules_named,
                   posts_named=_posts_named,
                   code_name=lambda v, table: code_name(table, v))
env.trim_blocks = True
env.lstrip_blocks = True


def start_timer(request: Request) -> None:
    """Router dependency: when the page's work began (for the Server-Timing header)."""
    request.state.page_started = time.perf_counter()


@contextmanager
def timed(request: Request, name: str) -> Iterator[None]:
    """Time a part of the page's work; it appears in Server-Timing beside the total (``app``)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        parts = getattr(request.state, "page_parts", None)
        if parts is None:
            parts = request.state.page_parts = []
        parts.append((name, (time.perf_counter() - started) * 1000))


def _timed(request: Request, response: Response) -> Response:
    started = getattr(request.state, "page_started", None)
    if started is not None:
        parts = "".join(f", {name};dur={ms:.1f}" for name, ms in getattr(request.state, "page_parts", []))
        response.headers["Server-Timing"] = \
            f"app;dur={(time.perf_counter() - started) * 1000:.1f};desc=\"page\"{parts}"
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status: int = 200) -> Response:
    session: Session | None = getattr(request.state, "page_session", None) or read_session(request)
    runtime = request.app.state.runtime
    ctx = {"request": request, "session": session, "user": session.principal if session else None,
           "csrf": session.csrf if session else "", "today": runtime.app.today(),
           "query": functools.partial(_query, request), **(context or {})}
    for key in MESSAGE_KEYS:  # pages speak Chinese: the English halves of messages stay in the API
        if key in ctx:
            ctx[key] = _chinese_messages(ctx[key])
    if not isinstance(ctx.get("naming"), Names):  # names instead of codes, as of the page's date
        day = getattr(ctx.get("at"), "as_of", None)
        as_of = day if isinstance(day, date) else runtime.app.today()
        ctx["naming"] = Names(runtime.read_models.engine, as_of)
    with timed(request, "render"):
        response = TEMPLATES.TemplateResponse(request, template, ctx, status_code=status)
    return _timed(request, response)


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    return render(request, "error.html", {"title": title, "message": message}, status=status)


# ——— who may open a page ———

def page_session(request: Request) -> Session:
    session = read_session(request)
    if session is None:
        raise LoginRequiredError()
    try:  # the same allowance as the user's API calls (api/rate_limit.py)
        request.app.state.rate_limiter.spend(session.principal.name, is_write(request.method))
    except RateLimitedError as error:
        raise PageRateLimitedError(error) from None
    return session


def _role(*roles: str) -> Callable[..., Session]:
    def dependency(session: Annotated[Session, Depends(page_session)]) -> Session:
        if session.principal.role not in roles:
            role = labels.ROLE_LABELS.get(session.principal.role, session.principal.role)
            raise PageForbiddenError(f"“{role}”角色无权查看或办理此事项 "
                                     f"(role {session.principal.role} may not do this)")
        return session

    dependency.__name__ = f"page_{'_'.join(roles)}"
    return dependency


SignedIn = Annotated[Session, Depends(page_session)]
Reader = Annotated[Session, Depends(_role(*READERS))]
Writer = Annotated[Session, Depends(_role(*WRITERS))]
Admin = Annotated[Session, Depends(_role(*ADMINS))]

F = TypeVar("F", bound=Callable[..., Any])


def html_errors(fn: F) -> F:
    """Turn the domain's refusals (not found, invalid query …) into an HTML error page, not problem+json."""

    def page(request: Request, error: JishiError) -> Response:
        status, _, _ = classify(error) or (400, 1, "bad-request")
        return error_page(request, status, getattr(error, "title", "错误"), str(error.detail))

    def request_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Request:
        found = kwargs.get("request") or next(a for a in args if isinstance(a, Request))
        assert isinstance(found, Request)
        return found

    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await fn(*args, **kwargs)
            except JishiError as error:
                return page(request_of(args, kwargs), error)
        return run_async  # type: ignore[return-value]

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except JishiError as error:
            return page(request_of(args, kwargs), error)
    return run  # type: ignore[return-value]


def path_id(name: str, missing: str) -> Callable[..., UUID]:
    """A dependency reading the path parameter ``name`` as a UUID; a malformed one is simply not
    found (the HTML 404 page, not the API's JSON 422)."""

    def dependency(request: Request) -> UUID:
        text = str(request.path_params.get(name, ""))
        try:
            return UUID(text)
        except ValueError:
            raise PageNotFoundError(f"{missing}: {text[:64]}") from None

    dependency.__name__ = f"{name}_from_path"
    return dependency


def parse_day(value: str | None, default: date | None = None) -> date | None:
    """A date from a query parameter (YYYY-MM-DD within ``domain.bounds``' query window); ``ValueError``
    with a bilingual message if malformed or out of the window."""
    if value is None or not value.strip():
        return default
    try:
        return bounds.query_day("day", value.strip())
    except ValidationError as error:
        raise ValueError(error.errors[0].msg) from None


def parse_instant(value: str | None, tz: str) -> datetime | None:
    """A ``datetime-local`` value (Beijing time, seconds optional; an explicit offset is kept) as an aware
    instant, its date within the query window (so converting it to UTC stays on the calendar)."""
    if value is None or not value.strip():
        return None
    try:
        moment = bounds.query_instant("known_at", value.strip())
    except ValidationError as error:
        raise ValueError(error.errors[0].msg) from None
    return moment.replace(tzinfo=ZoneInfo(tz)) if moment.tzinfo is None else moment


def status_of(errors: Mapping[str, object]) -> int:
    """A page whose query has input errors still shows them at their inputs, answered as 422."""
    return 422 if errors else 200


def login_required(request: Request, _: LoginRequiredError) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = "/"
    return _timed(request, redirect(f"/login?{urlencode({'next': target})}"))


def forbidden(request: Request, error: PageForbiddenError) -> Response:
    return error_page(request, 403, "无权访问 (forbidden)", error.message)


def not_found(request: Request, error: PageNotFoundError) -> Response:
    return error_page(request, 404, "不存在 (not found)", error.message)


class PageRateLimitedError(Exception):
    """A page request over the user's allowance (answered as a page, not problem+json)."""

    def __init__(self, error: RateLimitedError) -> None:
        super().__init__(str(error))
        self.error = error


def rate_limited(request: Request, error: PageRateLimitedError) -> Response:
    response = error_page(request, 429, "请求过于频繁 (too many requests)", str(error.error))
    response.headers["Retry-After"] = str(error.error.retry_after)
    return response


HTML = HTMLResponse
