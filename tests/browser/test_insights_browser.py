"""The insights page in Chromium: an editor opens it, sees a content gap and starts a draft
from it; the plots load under the strict CSP (``open_page`` fails on any violation); axe-core
finds no WCAG 2.1 AA problem in Korean or English at 390 and 1280 px; screenshots for review."""

from __future__ import annotations

import datetime as dt

import pytest

from kb import accounts
from tests.browser.accessibility import axe_violations
from tests.kb.insights_traffic import write_traffic

EDITOR = "insights-editor@example.com"
PASSWORD = "browser editor password"

SIZES = [("ko", "ko-KR", 390), ("en", "en-US", 390), ("ko", "ko-KR", 1280),
         ("en", "en-US", 1280)]


@pytest.fixture(scope="module")
def traffic(server_database):
    write_traffic(server_database, dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2))
    with server_database.session() as session:
        if accounts.find_person(session, EDITOR) is None:
            accounts.add_person(session, EDITOR, roles=["editor"], name="Editor Park",
                                password_hash=accounts.PasswordHashing("CHEAPEST").hash(PASSWORD))


def open_signed_in(open_page, path: str, **options):
    """Open ``path`` as the editor: the desk asks to sign in first, then goes there."""
    page = open_page(path, **options)
    page.wait_for_url("**/desk/login?next=**")
    page.locator("#email").fill(EDITOR)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**" + path.split("?")[0] + "**")
    return page


def _plots_loaded(page) -> list[int]:
    return page.eval_on_selector_all("img.plot", "images => images.map(i => i.naturalWidth)")


def test_an_editor_starts_a_draft_from_a_zero_result_group(open_page, traffic):
    page = open_signed_in(open_page, "/desk/insights/?days=7&locale=ko", locale="ko-KR",
                          width=1280)
    gap = page.locator(".gap", has_text="학생 할인").first
    assert "검색 1회" in gap.inner_text() and "도움말 없음" in gap.inner_text()
    gap.get_by_role("button", name="도움말 쓰기").click()
    page.wait_for_url("**/desk/articles/ko/gap-*")  # the draft, open in the editors' desk
    assert "학생 할인" in page.locator("main").inner_text()


@pytest.mark.parametrize(("locale", "browser_locale", "width"), SIZES,
                         ids=[f"{s[0]}-{s[2]}" for s in SIZES])
def test_insights_page_is_accessible_and_its_plots_render(open_page, artifacts, traffic,
                                                          locale, browser_locale, width):
    page = open_signed_in(open_page, f"/desk/insights/?days=7&locale={locale}",
                          locale=browser_locale, width=width, height=900)
    page.wait_for_load_state("networkidle")
    assert all(w > 0 for w in _plots_loaded(page)) and len(_plots_loaded(page)) == 2
    assert axe_violations(page) == [], f"insights ({locale}, {width} px)"
    page.screenshot(path=artifacts / f"{locale}-insights-{width}.png", full_page=True)
