"""/docs (Swagger UI) and /redoc come from this server only — no CDN, a Content-Security-Policy that allows
nothing else — and work in Debian chromium with every other host unreachable."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.api_docs import csp_for

ONE_BACKEND = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)  # pages do not depend on it

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


@ONE_BACKEND
@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_documentation_pages_load_nothing_from_another_origin(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert not EXTERNAL.search(response.text), "a script, style or font from another origin"
    policy = response.headers["content-security-policy"]
    assert policy == csp_for(response.text, workers=path == "/redoc")
    assert "default-src 'self'" in policy and "'unsafe-eval'" not in policy
    for asset in re.findall(r"""(?:src|href)="(/static/apidocs/[^"]+)""", response.text):
        assert client.get(asset).status_code == 200, asset


def test_a_page_script_that_is_not_the_pages_own_is_outside_its_policy() -> None:
    policy = csp_for("<script>startSwagger()</script>")
    assert "sha256-" in policy
    assert csp_for("<script>somethingElse()</script>") != policy


@ONE_BACKEND
@pytest.mark.parametrize(("path", "shown"), [("/docs", ".swagger-ui .title"), ("/redoc", ".redoc-wrap h1")])
def test_the_documentation_renders_in_chromium_with_every_other_host_unreachable(
        chromium: Any, live_server: str, path: str, shown: str) -> None:
    context = chromium.new_context(base_url=live_server)
    elsewhere: list[str] = []
    violations: list[str] = []

    def only_here(route: Any) -> None:
        if route.request.url.startswith(live_server) or route.request.url.startswith(("blob:", "data:")):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    try:
        page = context.new_page()
        page.route("**/*", only_here)
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(path)
        page.wait_for_selector(shown, timeout=20_000)
        assert "Jishi" in page.inner_text(shown)
    finally:
        context.close()
    assert elsewhere == []
    # ReDoc's footer has its vendor's logo hard-coded to their CDN: the policy stops it (and ReDoc then
    # hides the image) — the one violation expected, and the proof that the policy is in force.
    expected = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert [v for v in violations if expected not in v] == []
