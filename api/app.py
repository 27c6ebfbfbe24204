"""The FastAPI application factory: ``create_app(runtime)``; ``factory()`` for uvicorn's factory mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version as dist_version

from fastapi import FastAPI

from api import api_docs, limits, pages, problems, response_cache
from api.auth import RequestIdMiddleware
from api.bulk_reads import BulkReadLog
from api.openapi import with_parameter_bounds
from api.problems import Problem
from api.rate_limit import RateLimiter
from api.read_log import ReadLog
from api.responses import OrjsonResponse
from api.routes import (
    appointment_form,
    audit,
    cadres,
    calendar,
    cases,
    diff,
    evidence,
    feed,
    health,
    impact,
    imports,
    ledger,
    oversight,
    session,
    units,
    users,
)
from api.schemas.entries import UNION_TAGS
from jishi.bootstrap import Runtime, build_runtime

DESCRIPTION = """纪实 Jishi — the cadre career record (干部成长纪实).

Authenticate with `Authorization: Bearer <token>` (`jishi user add NAME --role hr|auditor|oversight|admin`).
`hr` writes entries; `hr`, `auditor` and `oversight` read; only `auditor` reads the log of growth-file
reads; `admin` manages users. Errors are `application/problem+json` (RFC 9457).
"""
PROBLEMS = {status: {"model": Problem, "content": {"application/problem+json": {}},
                     "description": problems.ERROR_TITLES[status]}
            for status in (400, 401, 403, 404, 409, 413, 422, 429)}  # 400: a body that is not even text (bad UTF-8)
ROUTERS = (units.router, cadres.router, cases.router, audit.router, oversight.router, feed.router, users.router,
           ledger.router, calendar.router, appointment_form.router, imports.router, impact.router,
           evidence.router, diff.router, session.router)


def create_app(runtime: Runtime, *, follow: bool = True, owns_runtime: bool = False) -> FastAPI:
    """Build the HTTP API over ``runtime``; with ``follow`` a background loop tails other writers;
    with ``owns_runtime`` the runtime is closed when the server shuts down."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if follow:
            runtime.runner.start_follower()
            if runtime.courier is not None:
                runtime.courier.start()  # sends new heads to the witnesses (JISHI_WITNESSES)
        yield
        app.state.read_version.close()  # the answer cache's own connection (PostgreSQL)
        if owns_runtime:
            runtime.close()
        elif follow:
            runtime.runner.stop()
            if runtime.courier is not None:
                runtime.courier.stop()

    app = FastAPI(title="Jishi 纪实", version=dist_version("jishi"), description=DESCRIPTION,
                  default_response_class=OrjsonResponse, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # served by api_docs from this server, not a CDN
    app.state.runtime = runtime
    app.state.read_log = ReadLog(runtime.app)  # growth-file reads that arrive together are stored together
    app.state.rate_limiter = RateLimiter(runtime.settings.rate_reads, runtime.settings.rate_writes)
    response_cache.install(app, runtime)  # rendered roster / growth-file answers, keyed by the read models' version
    limits.install(app, runtime.settings)  # inside the request id: a 413 still carries its X-Request-ID
    app.add_middleware(BulkReadLog)  # inside the request id: a bulk read is recorded with it
    app.add_middleware(RequestIdMiddleware)
    problems.install(app, UNION_TAGS)
    app.include_router(health.router)
    for router in ROUTERS:
        app.include_router(router, responses=PROBLEMS)  # type: ignore[arg-type]
    api_docs.install(app)
    pages.install(app)  # the web pages (HTML, not in the OpenAPI schema) and /static
    app.openapi = with_parameter_bounds(app)  # type: ignore[method-assign]
    return app


def factory() -> FastAPI:
    """For ``uvicorn --factory api.app:factory`` (one runtime per worker, from the environment)."""
    return create_app(build_runtime(), owns_runtime=True)
