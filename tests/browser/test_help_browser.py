"""The help center in a real browser: search as you type (with a Korean IME still composing),
search, "was this helpful?", "still need help?", pages without JavaScript, and screenshots."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from kb.events import count_events

CASES = pytest.mark.parametrize(
    ("locale", "browser_locale", "prefix", "login_title", "query"),
    [("ko", "ko-KR", "로그ㅇ", "로그인이 안 돼요", "결제가 안 돼요"),
     ("en", "en-US", "log", "I can't log in", "payment failed")],
    ids=["ko", "en"])


def params(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def is_suggest_for(url: str, query: str) -> bool:
    return urlsplit(url).path == "/api/suggest" and params(url).get("q") == query


def wait_for_count(database, expected: int, timeout: float = 10, **where) -> int:
    """Poll the server's database: its events are written in the background."""
    deadline = time.monotonic() + timeout
    while True:
        with database.session() as session:
            count = count_events(session, **where)
        if count >= expected or time.monotonic() > deadline:
            return count
        time.sleep(0.1)


@CASES
def test_typing_shows_the_login_article_in_suggestions(open_page, locale, browser_locale,
                                                       prefix, login_title, query):
    page = open_page(f"/{locale}/", locale=browser_locale)
    box = page.get_by_role("combobox")
    box.press_sequentially(prefix, delay=40)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option", name=login_title)).to_be_visible()


def test_a_syllable_still_being_composed_already_suggests(open_page, browser):
    page = open_page("/ko/")
    box = page.get_by_role("combobox")
    box.focus()
    ime = page.context.new_cdp_session(page)
    # What a Korean IME does while the last syllable is unfinished: nothing is committed yet.
    ime.send("Input.imeSetComposition", {"text": "로그ㅇ", "selectionStart": 3,
                                         "selectionEnd": 3})
    expect(page.get_by_role("option", name="로그인이 안 돼요")).to_be_visible()
    expect(box).to_have_value("로그ㅇ")


@CASES
def test_arrow_keys_and_enter_open_a_suggestion(open_page, locale, browser_locale, prefix,
                                                login_title, query):
    page = open_page(f"/{locale}/", locale=browser_locale)
    box = page.get_by_role("combobox")
    with page.expect_response(lambda r: is_suggest_for(r.url, prefix)) as answer:
        box.press_sequentially(prefix, delay=40)
    titles = [s["title"] for s in answer.value.json()["suggestions"]]
    expect(page.get_by_role("option")).to_have_text(titles)  # the last keystroke's answer
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r".+"))
    active = box.get_attribute("aria-activedescendant")
    expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/articles/.+src=suggestion"))
    assert params(page.url)["q"] == prefix


def test_a_late_answer_keeps_the_option_the_customer_moved_to(open_page):
    page = open_page("/en/", locale="en-US")
    box = page.get_by_role("combobox")
    with page.expect_response(lambda r: is_suggest_for(r.url, "log")):
        box.press_sequentially("log", delay=40)
    expect(page.get_by_role("option", name="I can't log in")).to_be_visible()
    held = []

    def hold(route):  # the next answer is held back until the customer has moved
        held.append(route)

    page.route("**/api/suggest?*", hold)
    with page.expect_request(lambda r: is_suggest_for(r.url, "log in")):
        box.press_sequentially(" in", delay=40)
    for _ in range(100):  # the route handler runs as Playwright dispatches
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the answer for 'log in' was not held back"
    box.press("ArrowDown")
    chosen = page.get_by_role("option", selected=True)
    expect(chosen).to_have_text("I can't log in")
    before = chosen.element_handle()
    held[-1].continue_()
    page.wait_for_function("option => !option.isConnected", arg=before)  # the list re-drawn
    expect(page.get_by_role("option", selected=True)).to_have_text("I can't log in")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/articles/login-trouble.*src=suggestion"))


def test_escape_closes_the_suggestions(open_page):
    page = open_page("/en/", locale="en-US")
    box = page.get_by_role("combobox")
    box.press_sequentially("log", delay=40)
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


@CASES
def test_searching_puts_the_payment_article_first(open_page, locale, browser_locale, prefix,
                                                  login_title, query):
    page = open_page(f"/{locale}/", locale=browser_locale)
    box = page.get_by_role("combobox")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    first = page.locator(".results .result-title a").first
    assert urlsplit(first.get_attribute("href")).path == f"/{locale}/articles/payment-failed"


@CASES
def test_a_vote_is_recorded(open_page, server_database, locale, browser_locale, prefix,
                            login_title, query):
    where = {"kind": "vote", "slug": "refund-policy", "locale": locale}
    before = wait_for_count(server_database, 0, **where, value="no")
    page = open_page(f"/{locale}/articles/refund-policy", locale=browser_locale)
    page.locator("form[data-step=ask] button[value=no]").click()
    note = page.locator("textarea[name=missing]")
    expect(note).to_be_visible()
    expect(note).to_be_focused()
    assert wait_for_count(server_database, before + 1, **where, value="no") == before + 1
    note.fill("Nothing about partial refunds")
    page.locator("form[data-step=no] button[type=submit]").click()
    expect(page.locator("[data-step=sent]")).to_be_visible()
    assert wait_for_count(server_database, 1, **where, value="missing") >= 1
    assert "feedback=" not in page.url  # answered through the API, no page load


@CASES
def test_still_need_help_carries_the_query_into_the_contact_path(
        open_page, locale, browser_locale, prefix, login_title, query):
    page = open_page(f"/{locale}/search?q={query}", locale=browser_locale)
    page.locator(f".results a[href^='/{locale}/articles/payment-failed?']").click()
    page.wait_for_url(re.compile(r"/articles/payment-failed"))
    page.locator("a[data-need-help]").click()
    page.wait_for_url(lambda url: "need-help" not in url and "q=" in url)
    assert params(page.url) == {"q": query, "article": "payment-failed"}


def test_search_and_vote_work_without_javascript(open_page, server_database):
    page = open_page("/en/", locale="en-US", javascript=False)
    page.get_by_role("combobox").fill("refund")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/en/search\?q=refund"))
    page.locator(".results .result-title a").first.click()
    before = wait_for_count(server_database, 0, kind="vote", value="yes", locale="en")
    page.get_by_role("button", name="Yes").click()
    page.wait_for_url(re.compile(r"feedback=yes"))
    expect(page.locator("[data-step=yes]")).to_be_visible()
    assert wait_for_count(server_database, before + 1, kind="vote", value="yes",
                          locale="en") == before + 1


SCREENS = [("home", "/{locale}/"), ("search", "/{locale}/search?q={query}"),
           ("article", "/{locale}/articles/login-trouble"),
           ("zero", "/{locale}/search?q=zzqx"),
           ("contact", "/{locale}/contact?q={query}&article=payment-failed")]


@pytest.mark.parametrize("width", [390, 1280])
@CASES
def test_screenshots(open_page, artifacts, width, locale, browser_locale, prefix, login_title,
                     query):
    for name, path in SCREENS:
        page = open_page(path.format(locale=locale, query=query), locale=browser_locale,
                         width=width, height=900)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
        page.screenshot(path=artifacts / f"{locale}-{name}-{width}.png", full_page=True)
    page = open_page(f"/{locale}/", locale=browser_locale, width=width, height=900)
    page.get_by_role("combobox").press_sequentially(prefix, delay=40)
    expect(page.get_by_role("option").first).to_be_visible()
    page.screenshot(path=artifacts / f"{locale}-suggestions-{width}.png")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("locale", "browser_locale", "query"), [
    ("ko", "ko-KR", "헬스장 몇 시에 문 열어요"), ("en", "en-US", "can I order pizza here")],
    ids=["ko", "en"])
def test_not_confident_search_puts_contact_first(open_page, artifacts, width, locale,
                                                 browser_locale, query):
    page = open_page(f"/{locale}/search?q={query}", locale=browser_locale, width=width,
                     height=900)
    expect(page.locator("#no-answer-title")).to_be_visible()
    contact = page.locator("a[data-need-help]").bounding_box()
    related = page.locator(".might-be-related").bounding_box()
    assert contact["y"] < related["y"]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the not-confident page scrolls sideways at {width} px"
    page.screenshot(path=artifacts / f"{locale}-not-confident-{width}.png", full_page=True)
