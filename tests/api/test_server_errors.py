"""An unexpected error (a defect) answers 500 problem+json — and costs the client nothing more.

Starlette re-raises the error after the 500 is sent, and uvicorn then closes the connection. Found by
the mixed load of issue 16: without ``Connection: close`` on the 500, a client that kept the
connection alive sent its next request into the closing socket and got no answer at all.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from jishi.bootstrap import Runtime


def test_after_a_500_the_next_request_on_the_same_client_is_answered(
        runtime: Runtime, live_server: str, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a defect in a read model query")

    monkeypatch.setattr(runtime.read_models, "roster", broken)
    headers = {"Authorization": f"Bearer {tokens['auditor']}"}
    with httpx.Client(base_url=live_server, headers=headers, timeout=30) as client:
        for _ in range(30):
            failed = client.get("/api/v1/units/U1/roster")
            assert client.get("/healthz").status_code == 200  # a transport error here before the fix
            assert failed.status_code == 500
            assert failed.headers["content-type"] == "application/problem+json"
            assert failed.headers["connection"] == "close"
