"""The whole first sign-in in Debian chromium (issue 21): initial password, the QR code enrolment,
recovery codes, a new password, then signing out and in again with a TOTP code computed by pyotp.

Screenshots (sign-in, enrolment) go to ``$JISHI_SCREENSHOT_DIR`` when set (``docs/screenshots`` for
the README), else to the test's temporary directory.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pyotp
from playwright.sync_api import expect

from domain.recorded import Provenance
from jishi.bootstrap import Runtime
from service.signin import set_password
from service.users import add_user

ADMIN = Provenance("test-setup", "admin", "setup")


def test_a_new_admin_enrols_by_qr_code_changes_the_initial_password_and_signs_in_again_with_a_code(
        chromium: Any, live_server: str, runtime: Runtime, tmp_path: Path) -> None:
    shots = Path(os.environ.get("JISHI_SCREENSHOT_DIR") or tmp_path)
    add_user(runtime.app, "zhao-admin", "admin", False, ADMIN)
    set_password(runtime.app, "zhao-admin", "initial-pass-2026", ADMIN, must_change=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto("/users")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fusers$"))
    page.get_by_label("用户名").fill("zhao-admin")
    page.get_by_label("密码").fill("initial-pass-2026")
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/login/enrol$"))
    qr = page.locator("figure.qr svg")
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150 and box["height"] >= 150  # big enough to scan
    secret = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.screenshot(path=str(shots / "signin-enrol.png"), full_page=True)  # a throwaway store's secret
    page.get_by_role("textbox", name="动态口令").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="确认启用").click()

    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and "只显示这一次" in page.locator("main").inner_text()
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page).to_have_url(re.compile(r"/login/password$"))
    page.get_by_label("当前密码").fill("initial-pass-2026")
    page.get_by_label("新密码", exact=True).fill("zhao-own-password")
    page.get_by_label("再次输入新密码").fill("zhao-own-password")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_test_id("role")).to_contain_text("系统管理员")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_label("用户名").fill("zhao-admin")
    page.get_by_label("密码").fill("zhao-own-password")
    page.get_by_label("动态口令").fill("123456" if pyotp.TOTP(secret).now() != "123456" else "654321")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名、密码或动态口令错误")
    assert "Wrong" not in page.locator("main").inner_text() and "(wrong" not in page.locator("main").inner_text()
    page.get_by_label("密码").fill("zhao-own-password")
    page.get_by_label("动态口令").fill(pyotp.TOTP(secret).now())
    page.screenshot(path=str(shots / "signin.png"), full_page=True)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("role")).to_contain_text("系统管理员")
    context.close()
