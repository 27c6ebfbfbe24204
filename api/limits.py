"""Limits on what one request may cost the server (等保: resource control).

* **Body size**: a declared ``Content-Length`` over the limit is answered 413 before a byte of the body
  is read (and before authentication: a stranger's 200 MB costs nothing); a body sent without a length
  (chunked) is counted as it arrives and refused with 413 when it passes the limit. File uploads
  (``multipart/form-data``: imports) have a limit of their own.
* **Slow bodies**: the server waits ``body_timeout`` seconds for each next part of a body, then answers
  408.
* **Slow headers**: uvicorn closes idle kept-alive connections but waits for ever for the rest of a
  request's headers; :class:`HeaderTimeoutProtocol` closes a connection whose request has not finished
  its headers ``header_timeout`` seconds after its first byte (or after the connection opened).
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.problems import ERROR_TITLES, problem
from jishi.settings import Settings

__all__ = ["BodyLimitMiddleware", "HeaderTimeoutProtocol"]


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int, body_timeout: float) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.body_timeout = body_timeout

    def limit_for(self, scope: Scope) -> int:
        content_type = next((v for k, v in scope["headers"] if k == b"content-type"), b"")
        return self.max_upload if content_type.lower().startswith(b"multipart/form-data") else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and (not declared.strip().isdigit() or int(declared) > limit):
            await _too_large(limit, scope, receive, send)
            return
        await self.app(scope, self._guarded(receive, limit), send)

    def _guarded(self, receive: Receive, limit: int) -> Receive:
        """``receive``, counting the body (for bodies without a declared length) and timing each part."""
        seen = 0

        async def guarded() -> Message:
            nonlocal seen
            try:
                message = await asyncio.wait_for(receive(), self.body_timeout)
            except TimeoutError:
                raise HTTPException(408, f"请求体在 {self.body_timeout:g} 秒内未送达 (the request body did not "
                                         f"arrive within {self.body_timeout:g} s)") from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, _too_large_detail(limit))
            return message

        return guarded


def _too_large_detail(limit: int) -> str:
    return f"请求体不得超过 {limit:,} 字节 (the request body must not exceed {limit:,} bytes)"


async def _too_large(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    response = problem(413, "http-413", ERROR_TITLES[413], _too_large_detail(limit),
                       headers={"Connection": "close"})  # the unread body must not be taken for a request
    await response(scope, receive, send)


def install(app: Any, settings: Settings) -> None:
    app.add_middleware(BodyLimitMiddleware, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes,
                       body_timeout=settings.body_timeout)


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing a connection whose request headers do not complete in time.
    The timeout is read from the environment (``JISHI_HEADER_TIMEOUT``) in each worker process."""

    header_timeout: float | None = None
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_header_timer()

    def on_headers_complete(self) -> None:
        self._stop_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def _start_header_timer(self) -> None:
        self._stop_header_timer()
        if HeaderTimeoutProtocol.header_timeout is None:
            HeaderTimeoutProtocol.header_timeout = Settings.from_env().header_timeout
        self._header_timer = self.loop.call_later(HeaderTimeoutProtocol.header_timeout, self._headers_too_slow)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()
