"""Liveness and readiness (with projection lag), for load balancers and operators."""

from __future__ import annotations

import os
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import RuntimeDep
from api.responses import OrjsonResponse

router = APIRouter(tags=["health 运行状态"])


class Liveness(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    head: int | None = None
    lag: dict[str, int] = Field(default_factory=dict)
    max_lag: int
    detail: str | None = None


@router.get("/healthz", response_model=Liveness)
def healthz() -> dict[str, Any]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(runtime: RuntimeDep) -> Any:
    """Readiness: the event store answers and the read models are at most `max_lag` events behind."""
    max_lag = int(os.environ.get("JISHI_READY_MAX_LAG", "1000"))
    try:
        head = runtime.app.recorder.max_notification_id() or 0
        lag = runtime.lag()
    except Exception as error:  # the store or the read database is down
        body = {"status": "unavailable", "lag": {}, "max_lag": max_lag, "detail": type(error).__name__}
        return OrjsonResponse(body, status_code=503)
    ready = all(v <= max_lag for v in lag.values())
    body = {"status": "ready" if ready else "lagging", "head": head, "lag": lag, "max_lag": max_lag}
    return body if ready else OrjsonResponse(body, status_code=503)
