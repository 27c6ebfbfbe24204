"""The web pages (Chinese, server-rendered): sign-in, units and rosters, search, growth files, the audit
trail, findings, selection cases and HR's entry forms. ``install(app)`` mounts them and the static files."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import (
    amendments,
    audit,
    cadres,
    calendar,
    case_amendments,
    cases,
    eligibility,
    exports,
    imports,
    integrity,
    oversight,
    printing,
    signin,
    structure,
    units,
    user_signin,
    users,
)
from api.pages import diff as belief_diff  # 所载变化 (a name of its own: diff is common)
from api.pages.render import STATIC, PageRateLimitedError, forbidden, login_required, not_found, rate_limited
from api.pages.session import LoginRequiredError, PageForbiddenError, PageNotFoundError

ROUTERS = (
    signin.router,
    units.router,
    cadres.router,
    amendments.router,
    audit.router,
    oversight.router,
    calendar.router,
    cases.router,  # 选任纪实
    case_amendments.router,
    structure.router,  # 队伍结构 人才库
    eligibility.router,  # 资格测算
    integrity.router,  # 账本 查阅留痕
    printing.router,
    users.router,
    imports.router,
    exports.router,
    belief_diff.router,
    user_signin.router,  # 初始密码 动态口令 解除锁定 吊销令牌
)


def install(app: FastAPI) -> None:
    """Add the page routers (kept out of the OpenAPI schema) and serve ``/static`` from the package."""
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(LoginRequiredError, login_required)  # type: ignore[arg-type]
    app.add_exception_handler(PageNotFoundError, not_found)  # type: ignore[arg-type]
    app.add_exception_handler(PageForbiddenError, forbidden)  # type: ignore[arg-type]
    app.add_exception_handler(PageRateLimitedError, rate_limited)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
