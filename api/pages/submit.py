"""How a page form becomes a command: the runtime, the CSRF-checked form, the form's key as the command's
idempotency key, the override reason a user may give, the page for an expired form."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from api.auth import request_id
from api.pages.render import error_page
from api.pages.session import Session, csrf_ok
from jishi.bootstrap import Runtime
from service.commands import Command
from service.results import CommandResult


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def execute(request: Request, session: Session, command: Command) -> CommandResult:
    """Run ``command`` through the one write path as the signed-in user, off the event loop."""
    by = session.principal.provenance(request_id(request))
    result: CommandResult = await run_in_threadpool(runtime_of(request).execute, command, by)
    return result


async def submitted(request: Request, session: Session) -> FormData | None:
    """The posted form, or None when its CSRF token is not this session's (answer with ``expired``)."""
    form = await request.form()
    return form if csrf_ok(session, form.get("csrf_token")) else None


def expired(request: Request) -> Response:
    return error_page(request, 403, "表单已过期 (form expired)", "表单已过期或来自其他页面，请返回重新填写 "
                      "(the form expired or came from elsewhere: open it again)")


def idempotency_key(session: Session, form: FormData) -> str | None:
    """A double-submitted form records once: the form's random key is the command's idempotency key."""
    key = str(form.get("form_key") or "")
    return f"{session.principal.name}:page:{key}" if 8 <= len(key) <= 64 else None


def override_reason(session: Session, form: FormData) -> str:
    """例外放行理由: kept only from a user who may override a guard."""
    text = str(form.get("override_reason") or "").strip()
    return text if session.principal.can_override else ""


def correction_payload(session: Session, form: FormData, changes: dict[str, Any]) -> dict[str, Any]:
    """A correction's body from its form (an entry's or a case step's): the changed fields, the reason and
    文号 of the correction, and the override reason of a user who may give one."""
    payload: dict[str, Any] = {"changes": changes, "reason": str(form.get("reason_for_change") or "").strip() or None}
    if str(form.get("document_no_for_change") or "").strip():
        payload["document_no"] = str(form.get("document_no_for_change")).strip()
    override = override_reason(session, form)
    if override:
        payload["override_reason"] = override
    return payload
