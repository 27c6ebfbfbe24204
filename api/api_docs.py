"""The API's documentation pages (/docs: Swagger UI, /redoc: ReDoc) served from this server only.

FastAPI's own pages load their scripts from a CDN, unpinned and without integrity, on the origin of
the session cookie, and do not work offline. Here the scripts come from the ``fastapi-offline``
package (installed, so their version is the one pinned by the install) under ``/static/apidocs``, and
each page carries a Content-Security-Policy that allows scripts from this origin and the page's own
inline start-up script (by its hash) only.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

__all__ = ["DOCS_STATIC", "install"]

DOCS_STATIC = "/static/apidocs"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def csp_for(html: str, *, workers: bool = False) -> str:
    """A policy for ``html``: everything from this origin, its inline scripts by hash, nothing else."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in INLINE_SCRIPT.findall(html))
    policy = ["default-src 'self'", f"script-src 'self' {hashes}".strip(), "style-src 'self' 'unsafe-inline'",
              "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "object-src 'none'",
              "base-uri 'none'", "frame-ancestors 'none'"]
    if workers:  # ReDoc searches in a web worker made from a blob
        policy.append("worker-src 'self' blob:")
    return "; ".join(policy)


def _page(response: HTMLResponse, *, workers: bool = False) -> tuple[str, dict[str, str]]:
    """The page's HTML and headers, made once; each request gets a response of its own from them."""
    html = bytes(response.body).decode("utf-8")
    return html, {"Content-Security-Policy": csp_for(html, workers=workers), "X-Content-Type-Options": "nosniff",
                  "Referrer-Policy": "no-referrer"}


def install(app: FastAPI) -> None:
    """Mount the documentation scripts and the two pages (the app is made with docs_url=None, redoc_url=None)."""
    static = files("fastapi_offline") / "static"
    app.mount(DOCS_STATIC, StaticFiles(directory=str(static)), name="apidocs")
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = "/docs/oauth2-redirect"
    swagger = _page(get_swagger_ui_html(
        openapi_url=openapi_url, title=f"{app.title} — API", oauth2_redirect_url=redirect_url,
        swagger_js_url=f"{DOCS_STATIC}/swagger-ui-bundle.js", swagger_css_url=f"{DOCS_STATIC}/swagger-ui.css",
        swagger_favicon_url=f"{DOCS_STATIC}/favicon.png", swagger_ui_parameters=app.swagger_ui_parameters))
    redoc = _page(get_redoc_html(
        openapi_url=openapi_url, title=f"{app.title} — API", redoc_js_url=f"{DOCS_STATIC}/redoc.standalone.js",
        redoc_favicon_url=f"{DOCS_STATIC}/favicon.png", with_google_fonts=False), workers=True)
    redirect = _page(get_swagger_ui_oauth2_redirect_html())

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger[0], headers=swagger[1])

    @app.get("/redoc", include_in_schema=False)
    async def redoc_ui() -> HTMLResponse:
        return HTMLResponse(redoc[0], headers=redoc[1])

    @app.get(redirect_url, include_in_schema=False)
    async def swagger_redirect() -> HTMLResponse:
        return HTMLResponse(redirect[0], headers=redirect[1])
