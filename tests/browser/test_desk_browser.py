"""The desk in a real browser: an admin signs in, sees the desk home and invites an agent;
screenshots of the sign-in, people and account pages in Korean and English at 390 and 1280 px
(``test-artifacts/desk-*.png``), each checked by axe-core for WCAG 2.1 AA."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kb import accounts
from tests.browser.accessibility import axe_violations

PASSWORD = "browser admin password"
CASES = pytest.mark.parametrize(
    ("locale", "browser_locale", "button", "people", "invited"),
    [("ko", "ko-KR", "로그인", "구성원", "초대 메일을 보냈습니다"),
     ("en", "en-US", "Sign in", "People", "Invitation sent to")],
    ids=["ko", "en"])


def add_admin(database, email: str) -> None:
    with database.session() as session:
        if accounts.find_person(session, email) is None:
            accounts.add_person(session, email, roles=["admin"], name="Boss",
                                password_hash=accounts.PasswordHashing("CHEAPEST").hash(PASSWORD))


def sign_in_as(page, email: str, button: str, *, landing: str = "/desk/") -> None:
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(re.compile(re.escape(landing) + "$"))


@CASES
def test_an_admin_signs_in_and_invites_an_agent(open_page, server_database, locale,
                                                browser_locale, button, people, invited):
    email = f"boss-{locale}@example.com"
    add_admin(server_database, email)
    page = open_page("/desk/people", locale=browser_locale, width=1280)
    page.wait_for_url(re.compile(r"/desk/login\?next="))
    sign_in_as(page, email, button, landing="/desk/people")  # back to the page asked for
    expect(page.locator("h1")).to_have_text(people)
    page.locator("#email").fill(f"agent-{locale}@example.com")
    page.locator("#name").fill("Agent Kim")
    page.locator("form.invite-form button[type=submit]").click()
    expect(page.locator("[data-notice]")).to_contain_text(invited)
    expect(page.locator(f"li[data-email='agent-{locale}@example.com']")).to_be_visible()
    with server_database.session() as session:
        assert accounts.find_person(session, f"agent-{locale}@example.com").roles == {"agent"}


@CASES
def test_the_desk_home_shows_the_navigation_and_focus(open_page, server_database, locale,
                                                      browser_locale, button, people, invited):
    email = f"home-{locale}@example.com"
    add_admin(server_database, email)
    page = open_page("/desk/login", locale=browser_locale)
    sign_in_as(page, email, button)
    expect(page.get_by_role("navigation").get_by_role("link", name=people)).to_be_visible()
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"


@pytest.mark.parametrize("width", [390, 1280])
@CASES
def test_desk_pages_pass_axe_and_fit_the_window(open_page, server_database, artifacts, width,
                                                locale, browser_locale, button, people,
                                                invited):
    email = f"shots-{locale}-{width}@example.com"
    add_admin(server_database, email)
    page = open_page("/desk/login", locale=browser_locale, width=width, height=900)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    for name in ("login", "home", "people", "account"):
        if name == "home":
            sign_in_as(page, email, button)
        elif name != "login":
            page.goto(f"/desk/{name}")
        if name == "account":  # with the two-factor QR code showing
            page.locator("form[action$='/two-factor/start'] button").click()
            page.wait_for_selector("figure.qr svg")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
        page.screenshot(path=artifacts / f"desk-{locale}-{name}-{width}.png", full_page=True)
        assert axe_violations(page) == [], f"{name} ({locale}, {width} px)"
