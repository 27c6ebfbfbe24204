"""What the 任免审批表 and the printed 成长纪实 are made of, for the API, the pages and the CLI alike:
the growth-file read (scoped, recorded, masked as every growth-file read is), and HTML → PDF.

PDF: Debian's headless chromium prints the page (``--print-to-pdf``). It is what
``scripts/install-system-packages`` already installs (with fonts-noto-cjk, so Chinese renders), needs no
Python package at run time and no browser download, and chromium ≥ 131 lays out CSS ``@page`` margin
boxes, so the page numbers (第 N 页 共 M 页) come from the print page's own stylesheet — the same as when
a person prints the page from their browser. Each call runs its own chromium with its own throw-away
profile directory: nothing is shared between requests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from api.auth import masked_for
from api.problems import ReadModelsUnavailableError
from domain.errors import FieldError, NotFoundError, ValidationError
from domain.users import Principal
from jishi.bootstrap import Runtime
from service.lrmx import FormContext, build_person
from service.users import record_read

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
PDF_TIMEOUT_SECONDS = 90


class PdfUnavailableError(ReadModelsUnavailableError):
    """No chromium on this machine, or it failed: the PDF cannot be made (503; the HTML page still can)."""

    title = "无法生成PDF (PDF unavailable)"


def chromium_path() -> str | None:
    configured = os.environ.get("JISHI_CHROMIUM")
    if configured:
        return configured
    return next((p for c in CHROMIUM_CANDIDATES if (p := shutil.which(c))), None)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page (inline styles, no external fetches), A4 per its ``@page``."""
    binary = chromium_path()
    if binary is None:
        raise PdfUnavailableError("未找到 chromium，无法生成PDF (no chromium: run scripts/install-system-packages)")
    with tempfile.TemporaryDirectory(prefix="jishi-pdf-") as tmp:
        page, out = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        page.write_text(html, "utf-8")
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer",
                "--run-all-compositor-stages-before-draw", f"--print-to-pdf={out}", page.as_uri()]
        try:
            done = subprocess.run(args, capture_output=True, timeout=PDF_TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailableError(f"chromium 运行失败 (chromium failed): {error}") from None
        if not out.exists() or out.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace")[-300:]
            raise PdfUnavailableError(f"chromium 未生成PDF (chromium made no PDF, exit {done.returncode}): {tail}")
        return out.read_bytes()


def growth_file(runtime: Runtime, user: Principal, request_id: str, cadre_id: UUID, as_of: date,
                known_at: datetime | None) -> dict[str, Any]:
    """The growth file as ``GET /api/v1/cadres/{id}/growth-file`` reads it: out of scope → 404, the read
    recorded (查阅留痕), sensitive fields masked for the role."""
    runtime.read_models.refresh()
    found: dict[str, Any] = runtime.read_models.growth_file(cadre_id, as_of, known_at, scope=user.scopes)
    record_read(runtime.app, cadre_id, user.provenance(request_id))
    result: dict[str, Any] = masked_for(user, found)
    return result


def unit_names(runtime: Runtime, found: dict[str, Any], as_of: date, extra: frozenset[str] = frozenset()
               ) -> dict[str, str]:
    from api.pages.reads import unit_names as names_on

    codes = {p["unit_code"] for p in found["posts"]} | set(extra)
    return names_on(runtime, Principal("system", "admin"), codes, as_of)


def _case_context(runtime: Runtime, user: Principal, cadre_id: UUID, case_id: UUID, found: dict[str, Any],
                  as_of: date) -> tuple[str, str, str, str]:
    """拟任 / 拟免 / 任免理由 from a selection case the cadre is part of (and its unit code)."""
    case = runtime.app.get_case(case_id)
    if not runtime.read_models.unit_in_scope(case.unit_code, user.scopes):
        raise NotFoundError(f"选任纪实不存在 (no such selection case): {case_id}")
    named = any(s.cadre_id == cadre_id or cadre_id in s.values.get("cadre_ids", ()) or
                cadre_id in s.values.get("votes", {}) for s in case.steps)
    if not named:
        raise ValidationError([FieldError("case_id", "该干部不在此选任纪实中 (the cadre takes no part in this case)")])
    names = unit_names(runtime, found, as_of, frozenset({case.unit_code}))
    title = runtime.app.get_post(case.unit_code, case.post_code).title
    proposed = f"{names.get(case.unit_code, case.unit_code)}{title}"
    ended: list[str] = []
    for item in found["timeline"]:  # 任…免…: the appointment made on this case, ending other posts
        f = item["fields"]
        if item["type"] == "Appointed" and not item["retracted"] and f.get("selection_case_id") == str(case_id):
            for ref in f.get("ends_posts") or []:
                unit_code, _, post_code = str(ref).partition("/")
                held = next((p for p in found["posts"] if p["unit_code"] == unit_code
                             and p["post_code"] == post_code), None)
                ended.append(f"{names.get(unit_code, unit_code)}{held['title'] if held else post_code}")
    opened = next((s for s in case.steps if s.type == "CaseOpened"), None)
    grounds = str(opened.values.get("reason") or "") if opened else ""
    return proposed, "、".join(ended), grounds, case.unit_code


def appointment_form(runtime: Runtime, user: Principal, request_id: str, cadre_id: UUID, as_of: date,
                     known_at: datetime | None, case_id: UUID | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """(growth file, 任免审批表 fields) for ``cadre_id`` on ``as_of`` as known at ``known_at``."""
    found = growth_file(runtime, user, request_id, cadre_id, as_of, known_at)
    proposed = dismissed = grounds = ""
    if case_id is not None:
        proposed, dismissed, grounds, _ = _case_context(runtime, user, cadre_id, case_id, found, as_of)
    context = FormContext(unit_names(runtime, found, as_of), made_by=user.name, made_on=runtime.app.today(),
                          proposed=proposed, dismissed=dismissed, grounds=grounds)
    return found, build_person(found, as_of, context)


def file_name(person: dict[str, str], cadre_id: UUID, suffix: str) -> str:
    """``任免审批表-王芳.lrmx`` (RFC 5987-encoded by the caller for the header)."""
    return f"任免审批表-{person.get('XingMing') or cadre_id}.{suffix}"


def attachment(name: str) -> str:
    from urllib.parse import quote

    ascii_name = "".join(c if (c.isascii() and c.isalnum()) or c in ".-_" else "_" for c in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


__all__ = ["PdfUnavailableError", "appointment_form", "attachment", "file_name", "growth_file",
           "html_to_pdf"]
