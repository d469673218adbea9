"""Staff for the desk's browser tests: a person added straight to the served database, and
signing in through the real form."""

from __future__ import annotations

import re

from kb import accounts

PASSWORD = "browser staff password"
SIGN_IN = {"ko": "로그인", "en": "Sign in"}


def add_staff(database, email: str, role: str, *, name: str = "") -> None:
    """Add ``email`` with ``role`` (once: a second call with the same email changes nothing)."""
    with database.session() as session:
        if accounts.find_person(session, email) is None:
            accounts.add_person(session, email, roles=[role], name=name,
                                password_hash=accounts.PasswordHashing("CHEAPEST").hash(PASSWORD))


def sign_in(page, email: str, locale: str) -> None:
    """Sign in on ``/desk/login`` with the button of the page's language; land on the home."""
    page.goto("/desk/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN[locale], exact=True).click()
    page.wait_for_url(re.compile(r"/desk/$"))
