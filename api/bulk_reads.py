"""批量查阅留痕 for every entry point alike: an ASGI middleware that records each bulk read the server answers
(``domain/bulk_reads.py``) — a page of the event feed, a search, an Excel sheet, a printed 任免审批表 or
growth file, an evidence bundle — from the API and the pages, with who (the signed-in user), what (the
request's path and query) and when. A read is recorded before its answer is sent: a read that cannot be
recorded is not served (the request fails). Kept per request only: the middleware holds no state of its own.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.xlsx import XLSX
from domain.users import Principal
from service.bulk_reads import record_bulk_read

FEEDS = {"/api/v1/events"}
SEARCHES = {"/api/v1/cadres"}  # a list of cadres even without a query
PAGE_SEARCHES = {"/cadres"}  # the search page lists cadres only once something is asked
PRINTS = {"/api/v1/cadres/{cadre_id}/appointment-form", "/cadres/{cadre_id}/appointment-form",
          "/cadres/{cadre_id}/appointment-form.lrmx", "/cadres/{cadre_id}/appointment-form.pdf",
          "/cadres/{cadre_id}/print", "/cadres/{cadre_id}/print.pdf"}
EXPORTS = {"/api/v1/cadres/{cadre_id}/evidence"}  # besides every Excel sheet (by its media type)


def bulk_kind(route_path: str, content_type: str, query: bytes = b"") -> str | None:
    """Which bulk read a successful GET of ``route_path`` (with ``query``) answering ``content_type`` is, if any."""
    if content_type.startswith(XLSX) or route_path in EXPORTS:
        return "export"
    if route_path in PRINTS:
        return "print"
    if route_path in FEEDS:
        return "feed"
    if route_path in SEARCHES or (route_path in PAGE_SEARCHES and query):
        return "search"
    return None


def _what(scope: Scope) -> str:
    """The request as made, readable: its path and its query decoded (汉字 as typed, not %-escaped)."""
    query = unquote_plus(scope.get("query_string", b"").decode("latin-1"))
    return str(scope["path"]) + (f"?{query}" if query else "")


def _record(scope: Scope, kind: str) -> None:
    state: dict[str, Any] = scope.get("state", {})
    principal = state.get("principal")
    if not isinstance(principal, Principal):
        raise RuntimeError(f"a bulk read without a signed-in user: {scope['path']}")
    raw = scope.get("path_params", {}).get("cadre_id")
    cadre_id = raw if isinstance(raw, UUID) else (UUID(raw) if isinstance(raw, str) else None)
    runtime = scope["app"].state.runtime
    record_bulk_read(runtime.app, principal.provenance(str(state.get("request_id", ""))), kind, _what(scope),
                     cadre_id)


class BulkReadLog:
    """Record the bulk reads among the successful GETs (see ``bulk_kind``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return

        async def send_recorded(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                route = scope.get("route")
                headers = dict(message.get("headers", []))
                content_type = headers.get(b"content-type", b"").decode("latin-1")
                kind = bulk_kind(getattr(route, "path", ""), content_type, scope.get("query_string", b""))
                if kind is not None:
                    await run_in_threadpool(_record, scope, kind)
            await send(message)

        await self.app(scope, receive, send_recorded)
