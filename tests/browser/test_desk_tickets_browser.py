"""The ticket desk in a real browser, end to end: a customer searches, reads, asks for help;
an agent signs in, opens the ticket, sees the customer's trail, inserts a suggested article,
replies and resolves; the customer's status page and mail (real SMTP on loopback) show the
reply with the article link; the customer rates it. Then screenshots of the queue and the
workspace in Korean and English at 390 and 1280 px (``test-artifacts/desk-tickets-*.png``),
each checked by axe-core for WCAG 2.1 AA."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kb import tickets
from tests.browser.accessibility import axe_violations
from tests.browser.staff import add_staff, sign_in


def add_agent(database, email: str) -> None:
    add_staff(database, email, "agent", name="Agent Ara")


def ask_for_help(page, *, email: str, subject: str) -> str:
    """Search, read an article, press "still need help" and send; return the reference."""
    page.goto("/en/search?q=locked+account")
    page.locator("main a[href*='/en/articles/']").first.click()
    page.locator("a[data-need-help]").click()
    page.wait_for_url(re.compile(r"/contact\?"))
    page.locator("#subject").fill(subject)
    page.locator("#description").fill("My account says it is locked after I reset my password.")
    page.locator("#email").fill(email)
    page.locator("input[name=consent]").check()
    page.locator("button[value=review]").click()
    page.locator("button[value=send]").click()
    page.wait_for_url(re.compile(r"/tickets/DF-[A-Z0-9-]+/status$"))
    return page.url.split("/")[-2]


def test_an_agent_answers_a_ticket_with_an_article_and_the_customer_rates_it(
        open_page, server_database, mail_inbox):
    customer = open_page("/en/", locale="en-US", width=1280)
    reference = ask_for_help(customer, email="e2e-customer@example.com",
                             subject="Locked out after reset")

    add_agent(server_database, "e2e-agent@example.com")
    agent = open_page("/desk/login", locale="en-US", width=1280)
    sign_in(agent, "e2e-agent@example.com", "en")
    agent.goto("/desk/tickets?q=e2e-customer%40example.com")
    agent.locator("tr[data-ticket] a[data-open]").first.click()
    agent.wait_for_url(re.compile(rf"/desk/tickets/{reference}$"))
    expect(agent.locator("[data-trail-step=search]").first).to_contain_text("locked account")
    expect(agent.locator("[data-trail-step=need_help]")).to_have_count(1)

    agent.locator("#message").fill("Wait 30 minutes, then follow this: ")
    agent.keyboard.press("Escape")
    agent.locator("body").click(position={"x": 5, "y": 5})
    agent.keyboard.press("i")  # insert the first suggested article
    slug = agent.locator("[data-suggestions] [data-insert]").first.get_attribute("data-slug")
    expect(agent.locator("#message")).to_have_value(re.compile(rf"\]\({slug}\)$"))
    agent.locator("#status").select_option("resolved")
    agent.locator("[data-send]").click()
    expect(agent.locator("[data-notice=success]")).to_contain_text("Reply sent")
    expect(agent.locator("[data-step]")).to_have_attribute("data-step", "resolved")

    customer.reload()
    expect(customer.locator(f'[data-linked-article="{slug}"]')).to_be_visible()
    # The second mail to the customer: the confirmation came first, then the reply.
    _to, message = mail_inbox.wait_for(lambda to, _m: "e2e-customer@example.com" in to[0],
                                       after_count=2)
    assert f"/en/articles/{slug}" in message.get_body(("plain",)).get_content()

    customer.locator("[data-rate-form] input[name=rating][value='5']").check()
    customer.locator("[data-rate-form] button[type=submit]").click()
    expect(customer.locator("[data-closed]")).to_be_visible()
    with server_database.session() as session:
        ticket = tickets.find_ticket(session, reference)
        assert (ticket.status, ticket.rating) == ("closed", 5)
        assert tickets.linked_articles(session, ticket) == [("en", slug)]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("locale", "browser_locale"), [("ko", "ko-KR"), ("en", "en-US")],
                         ids=["ko", "en"])
def test_queue_and_workspace_pass_axe_and_fit_the_window(open_page, server_database, artifacts,
                                                         locale, browser_locale, width):
    customer = open_page(f"/{locale}/", locale=browser_locale, width=width)
    reference = ask_for_help(customer, email=f"shot-{locale}-{width}@example.com",
                             subject="Locked out after reset")
    email = f"ticket-desk-{locale}-{width}@example.com"  # not test_desk_browser's people
    add_agent(server_database, email)
    page = open_page("/desk/login", locale=browser_locale, width=width, height=900)
    sign_in(page, email, locale)
    for name, path in (("queue", "/desk/tickets"), ("workspace", f"/desk/tickets/{reference}")):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", locale)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        assert axe_violations(page) == [], f"{name} ({locale}, {width} px)"
        page.screenshot(path=str(artifacts / f"desk-tickets-{name}-{locale}-{width}.png"),
                        full_page=True)
