"""The web pages (Chinese, server-rendered): sign-in, units and rosters, search, growth files, the audit
trail, findings, selection cases and HR's entry forms. ``install(app)`` mounts them and the static files."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import amendments, audit, cadres, calendar, oversight, signin, units
from api.pages import diff as belief_diff
from api.pages.render import STATIC, forbidden, login_required, not_found
from api.pages.session import LoginRequiredError, PageForbiddenError, PageNotFoundError

ROUTERS = (signin.router, units.router, cadres.router, amendments.router, audit.router, oversight.router,
           calendar.router, belief_diff.router)


def install(app: FastAPI) -> None:
    """Add the page routers (kept out of the OpenAPI schema) and serve ``/static`` from the package."""
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(LoginRequiredError, login_required)  # type: ignore[arg-type]
    app.add_exception_handler(PageNotFoundError, not_found)  # type: ignore[arg-type]
    app.add_exception_handler(PageForbiddenError, forbidden)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
