"""The editors' desk in a real browser, end to end: an editor signs in, changes a Korean
article's ``questions`` and body, watches the preview, publishes; the public search (either
worker of ``deflect serve``) finds the article by the new wording; the history shows the change
and restores the old revision. Then the list, editing and history pages in Korean and English
at 390 and 1280 px, each checked by axe-core for WCAG 2.1 AA, with screenshots in the test
artifacts folder."""

from __future__ import annotations

import re
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from kb import content
from tests.browser.accessibility import axe_violations
from tests.browser.staff import add_staff, sign_in

SLUG = "change-email"
NEW_QUESTION = "메일 주소를 새것으로 갈아타려면 어디서 하나요"


def add_editor(database, email: str) -> None:
    add_staff(database, email, "editor", name="Editor Eun")


def first_result(page, query: str, *, timeout: float = 5.0) -> str | None:
    """The slug of the first search result for ``query``, asking again until ``timeout`` (the
    other worker follows the content store within a second)."""
    deadline = time.monotonic() + timeout
    found = None
    while time.monotonic() < deadline:
        page.goto(f"/ko/search?q={query}")
        link = page.locator("main .result-title a").first
        if link.count():
            found = re.search(r"/ko/articles/([a-z0-9-]+)", link.get_attribute("href")).group(1)
            if found == SLUG:
                return found
        time.sleep(0.3)
    return found


def test_an_editor_changes_questions_previews_publishes_and_restores(open_page,
                                                                      server_database):
    add_editor(server_database, "e2e-editor@example.com")
    with server_database.session() as session:
        before = content.read_article(session, "ko", SLUG)
    editor = open_page("/desk/login", locale="ko-KR", width=1280, height=900)
    sign_in(editor, "e2e-editor@example.com", "ko")
    editor.goto(f"/desk/articles?language=ko&q={SLUG}")
    editor.locator(f'tr[data-article="ko/{SLUG}"] a').first.click()
    editor.wait_for_url(re.compile(rf"/desk/articles/ko/{SLUG}$"))
    expect(editor.locator("[data-revision]")).to_have_text(str(before.revision))

    questions = editor.locator("#questions")
    questions.fill(questions.input_value() + "\n" + NEW_QUESTION)
    body = editor.locator("#body")
    body.fill(body.input_value() + "\n미리보기에 보일 새 문장이에요.\n")
    expect(editor.locator("[data-preview-html]")).to_contain_text("미리보기에 보일 새 문장이에요.")
    expect(editor.locator("[data-lint] li[data-level=error]")).to_have_count(0)
    # The draft saves itself after a pause; publishing then acts on that revision.
    expect(editor.locator("[data-revision]")).to_have_text(str(before.revision + 1),
                                                          timeout=15_000)
    expect(editor.locator("[data-autosave]")).to_contain_text(str(before.revision + 1))
    with server_database.session() as session:
        autosaved = content.read_article(session, "ko", SLUG)
    assert autosaved.published == before.revision and NEW_QUESTION in autosaved.markdown
    editor.locator("[data-publish]").click()
    expect(editor.locator("[data-notice=success]")).to_contain_text(re.compile(r"게시|Published"))
    expect(editor.locator("[data-status]")).to_have_attribute("data-status", "published")
    with server_database.session() as session:
        after = content.read_article(session, "ko", SLUG)
    assert after.published == after.revision and NEW_QUESTION in after.markdown

    customer = open_page("/ko/", locale="ko-KR", width=1280)
    assert first_result(customer, NEW_QUESTION) == SLUG
    customer.goto(f"/ko/articles/{SLUG}")
    expect(customer.locator(".article-body")).to_contain_text("미리보기에 보일 새 문장이에요.")

    editor.locator("[data-history-link]").click()
    newest = editor.locator("li[data-revision]").first
    expect(newest).to_have_attribute("data-revision", str(after.revision))
    expect(newest.locator("[data-diff]")).to_contain_text(NEW_QUESTION)
    editor.locator(f'[data-restore="{before.revision}"]').click()
    editor.wait_for_url(re.compile(rf"/desk/articles/ko/{SLUG}$"))
    expect(editor.locator("[data-notice=success]")).to_contain_text(str(before.revision))
    expect(editor.locator("#questions")).not_to_contain_text(NEW_QUESTION)
    editor.locator("[data-publish-latest]").click()  # serve the old text again
    expect(editor.locator("[data-published]")).to_have_text(str(after.revision + 1))
    with server_database.session() as session:
        restored = content.read_article(session, "ko", SLUG)
    assert restored.markdown == before.markdown and restored.published == restored.revision


def test_an_editor_adds_an_image_and_the_preview_shows_it(open_page, server_database, tmp_path):
    add_editor(server_database, "image-editor@example.com")
    editor = open_page("/desk/login", locale="en-US", width=1280, height=900)
    sign_in(editor, "image-editor@example.com", "en")
    editor.goto("/desk/articles/en/subtitles")
    shot = tmp_path / "player settings.png"
    Image.new("RGB", (64, 40), (30, 90, 200)).save(shot)
    editor.locator("[data-image-file]").set_input_files(str(shot))
    own = r"/images/[0-9a-f]{64}\.png"
    expect(editor.locator("#body")).to_have_value(re.compile(rf"!\[player settings\]\({own}\)"))
    image = editor.locator("[data-preview-html] img")
    expect(image).to_have_attribute("src", re.compile(rf"^{own}$"))
    editor.wait_for_function("() => document.querySelector('[data-preview-html] img')"
                             ".naturalWidth === 64")  # loaded under the page's CSP
    expect(editor.locator("[data-image-status]")).to_contain_text("Image added")
    assert axe_violations(editor) == []


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("locale", "browser_locale"), [("ko", "ko-KR"), ("en", "en-US")],
                         ids=["ko", "en"])
def test_list_edit_and_history_pass_axe_and_fit_the_window(open_page, server_database, artifacts,
                                                          locale, browser_locale, width):
    email = f"axe-editor-{locale}-{width}@example.com"
    add_editor(server_database, email)
    page = open_page("/desk/login", locale=browser_locale, width=width, height=900)
    sign_in(page, email, locale)
    for name, path in (("list", "/desk/articles"),
                       ("edit", f"/desk/articles/{locale}/password-reset"),
                       ("history", f"/desk/articles/{locale}/password-reset/history")):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", locale)
        if name == "edit":  # the script's panels have answered
            expect(page.locator("[data-similar] li").first).to_be_attached()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        assert axe_violations(page) == [], f"{name} ({locale}, {width} px)"
        page.screenshot(path=str(artifacts / f"desk-articles-{name}-{locale}-{width}.png"),
                        full_page=True)
