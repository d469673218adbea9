"""The editors' desk pages: the list and its filters, editing with conflicts and lint, publish,
history and restore, rename, the preview and the side panels, site files; and who may not."""

from __future__ import annotations

import datetime as dt

import pytest

from kb import content
from kb.events import new_event, write_events
from web import services

from .desking import page, post, signed_in

EDIT = "/desk/articles/ko/login-trouble"


@pytest.fixture
def app(backend_app):
    return backend_app


@pytest.fixture
def editor(app):
    return signed_in(app, "editor@example.com", "editor", name="Eun")


def form_of(client, path: str = EDIT) -> dict:
    """The editing form's fields as the page holds them (what a browser would post)."""
    html = page(client.get(path))
    form = html.select_one("form[data-editor-form]")
    fields = {}
    for element in form.select("input[name], textarea[name], select[name]"):
        name = element["name"]
        if element.name == "textarea":
            fields[name] = element.text
        elif element.name == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option")
            fields[name] = chosen["value"]
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                fields[name] = element["value"]
        else:
            fields[name] = element.get("value", "")
    return fields


def save(client, changes: dict, path: str = EDIT, **kwargs):
    fields = {**form_of(client, path), **changes}
    return client.post(path, data=fields, **kwargs)


def stored(app, locale="ko", slug="login-trouble") -> content.ArticleState:
    with services.database(app).session() as session:
        return content.read_article(session, locale, slug)


@pytest.mark.parametrize("role, status", [("agent", 403), ("editor", 200), ("admin", 200)])
def test_only_editors_and_admins_may_open_the_editors_pages(app, role, status):
    client = signed_in(app, f"{role}@example.com", role)
    for path in ("/desk/articles", EDIT, f"{EDIT}/history", "/desk/articles/new",
                 "/desk/site-files/synonyms.txt"):
        assert client.get(path).status_code == status, path


def test_signed_out_visitors_are_sent_to_sign_in(app):
    response = app.test_client().get("/desk/articles")
    assert response.status_code in (302, 303) and "/desk/login" in response.location


def test_the_list_filters_by_locale_status_and_text(app, editor):
    response = editor.get("/desk/articles?language=en&q=password")
    assert response.status_code == 200
    rows = [r["data-article"] for r in page(response).select("tr[data-article]")]
    assert rows and all(r.startswith("en/") for r in rows)
    assert "en/password-reset" in rows
    with services.database(app).session() as session:
        content.archive(session, locale="ko", slug="login-trouble")
    archived = page(editor.get("/desk/articles?status=archived"))
    assert [r["data-article"] for r in archived.select("tr[data-article]")] == [
        "ko/login-trouble"]


def test_the_list_finds_an_article_by_one_of_its_questions(editor):
    rows = page(editor.get("/desk/articles?q=비번 5번 틀려서")).select("tr[data-article]")
    assert [r["data-article"] for r in rows] == ["ko/account-locked"]


def _draft_from_ticket(app, front_matter_line: str) -> None:
    """Store the draft an agent made from ticket T-ABCD-1234 (ko/refund-late)."""
    with services.database(app).session() as session:
        content.create_draft(session, locale="ko", slug="refund-late", author="agent@x.com",
                             ticket_reference="T-ABCD-1234", markdown=(
                                 "---\ntitle: 환불이 늦어요\nslug: refund-late\nlocale: ko\n"
                                 f"category: payment\n{front_matter_line}\n---\n"
                                 "환불은 영업일 기준 3일이 걸려요.\n"))


def test_stale_and_ticket_drafts_are_shown_in_the_list(app, editor):
    _draft_from_ticket(app, "review_by: 2020-01-01")
    html = page(editor.get("/desk/articles?stale=1"))
    rows = {r["data-article"]: r for r in html.select("tr[data-article]")}
    assert list(rows) == ["ko/refund-late"]
    assert "T-ABCD-1234" in rows["ko/refund-late"].select_one("[data-ticket-reference]").text


def test_low_helpfulness_and_most_viewed(app, editor):
    def event(kind, slug, **fields):
        return new_event(kind, session_id="b" * 32, locale="ko", slug=slug, **fields)

    with services.database(app).session() as session:
        write_events(session, [event("vote", "login-trouble", value="no"),
                               event("vote", "login-trouble", value="no"),
                               event("vote", "password-reset", value="yes"),
                               *[event("view", "password-reset", source="direct")] * 3])
    low = page(editor.get("/desk/articles?low=1"))
    assert [r["data-article"] for r in low.select("tr[data-article]")] == ["ko/login-trouble"]
    viewed = page(editor.get("/desk/articles?sort=views&language=ko"))
    assert viewed.select("tr[data-article]")[0]["data-article"] == "ko/password-reset"


def test_missing_translation_filter(app, editor):
    with services.database(app).session() as session:
        content.create_draft(session, locale="ko", slug="only-korean", author="e@x.com",
                             markdown="---\ntitle: 한국어만\nslug: only-korean\nlocale: ko\n"
                                      "category: account\n---\n본문이에요.\n")
    html = page(editor.get("/desk/articles?translation=missing&language=ko"))
    assert "ko/only-korean" in [r["data-article"] for r in html.select("tr[data-article]")]


def test_saving_a_draft_keeps_the_public_page_until_published(app, editor, client):
    response = save(editor, {"questions": "로그인이 자꾸 풀려요\n아이디를 잊었어요",
                             "action": "save", "message": "질문 바꿈"})
    assert response.status_code == 303
    state = stored(app)
    assert state.revision == 2 and "로그인이 자꾸 풀려요" in state.markdown
    assert "로그인이 자꾸 풀려요" not in services.knowledge_base(app).get(
        "ko", "login-trouble").questions
    assert "updated:" in state.markdown  # the fields the form does not show are kept


def test_save_and_publish_makes_it_public_and_searchable(app, editor, client):
    response = save(editor, {"questions": "화면이 하얗게 얼어붙고 입장이 불가해요",
                             "action": "publish"})
    assert response.status_code == 303
    assert stored(app).published == 2
    article = services.knowledge_base(app).get("ko", "login-trouble")
    assert "화면이 하얗게 얼어붙고 입장이 불가해요" in article.questions
    found = services.search_engine(app).rank("화면이 하얗게 얼어붙고 입장이 불가해요",
                                             locale="ko")
    assert found[0] == "login-trouble"
    assert client.get("/ko/articles/login-trouble").status_code == 200


def test_a_save_over_a_newer_revision_is_refused_with_both_and_the_text_kept(app, editor):
    fields = form_of(editor)
    with services.database(app).session() as session:
        state = content.read_article(session, "ko", "login-trouble")
        content.save_draft(session, locale="ko", slug="login-trouble", base_revision=1,
                           author="other@example.com",
                           markdown=state.markdown.replace("questions:\n",
                                                           "questions:\n  - 남이 쓴 질문\n"))
    mine = {**fields, "questions": "내가 쓴 질문", "action": "save"}
    response = editor.post(EDIT, data=mine)
    assert response.status_code == 409
    html = page(response)
    assert html.select_one("#questions").text == "내가 쓴 질문"
    diff = html.select_one("[data-conflict] pre").text
    assert "-  - 남이 쓴 질문" in diff and "+  - 내가 쓴 질문" in diff
    assert stored(app).revision == 2
    assert html.select_one("[data-base]")["value"] == "2"  # saving again keeps mine
    assert editor.post(EDIT, data={**mine, "base_revision": "2"}).status_code == 303
    assert "내가 쓴 질문" in stored(app).markdown


def test_autosave_answers_json_and_409_as_data(app, editor):
    fields = {**form_of(editor), "body": "새 본문이에요.\n"}
    json = {"Accept": "application/json"}
    first = editor.post(EDIT, data=fields, headers=json)
    assert first.status_code == 200 and first.get_json()["revision"] == 2
    stale = editor.post(EDIT, data={**fields, "body": "또 바꿈\n"}, headers=json)
    assert stale.status_code == 409
    assert stale.get_json()["error"]["latest_revision"] == 2
    assert "+또 바꿈" in stale.get_json()["error"]["diff"]


def test_bad_front_matter_never_saves_and_names_the_line(app, editor):
    response = save(editor, {"review_by": "다음 달", "questions": "그대로 둘 질문",
                             "action": "save"})
    assert response.status_code == 422
    html = page(response)
    problem = html.select_one("[data-problems] li")
    assert problem["data-problem-line"] == "13"
    assert problem.text.strip().startswith("Line 13 (review_by)")
    assert "review_by" in problem.text and "date" in problem.text
    assert html.select_one("#review_by")["value"] == "다음 달"
    assert html.select_one("#review_by")["aria-invalid"] == "true"
    assert html.select_one("#questions").text == "그대로 둘 질문"
    assert stored(app).revision == 1


def test_a_link_to_a_missing_article_names_its_body_line(app, editor):
    response = save(editor, {"body": "첫 줄\n\n[없는 글](no-such-article) 을 보세요.\n",
                             "action": "save"})
    assert response.status_code == 422
    html = page(response)
    assert "Body line 3" in html.select_one("[data-problems] li").text
    assert html.select_one("#body").text.startswith("첫 줄")


def test_the_preview_is_the_public_pipeline_and_sanitized(editor):
    body = ("## 제목\n\n<script>alert(1)</script>"
            "<img src=x onerror=alert(2)> [링크](javascript:alert(3))\n")
    fields = {**form_of(editor), "body": body}
    response = post(editor, "/desk/articles/preview", fields, token_from=EDIT)
    assert response.status_code == 200
    data = response.get_json()
    assert '<h2 id="제목">제목</h2>' in data["html"]
    assert "<script" not in data["html"] and "onerror" not in data["html"]
    assert "javascript:" not in data["html"]
    assert any(p["level"] == "warning" and p["field"] == "body" for p in data["problems"])


def test_the_preview_reports_errors_by_field(editor):
    fields = {**form_of(editor), "review_by": "nope"}
    data = post(editor, "/desk/articles/preview", fields, token_from=EDIT).get_json()
    assert [p["field"] for p in data["problems"]] == ["review_by"]
    assert data["html"]  # the body is still shown


def test_posts_without_the_csrf_token_are_refused(app, editor):
    fields = form_of(editor)
    fields.pop("csrf_token")
    assert editor.post(EDIT, data=fields).status_code in (400, 403)
    assert stored(app).revision == 1


def test_history_shows_each_revision_with_a_diff_and_restores_one(app, editor):
    save(editor, {"title": "로그인이 안 될 때 (새 제목)", "action": "publish"})
    html = page(editor.get(f"{EDIT}/history"))
    revisions = html.select("li[data-revision]")
    assert [r["data-revision"] for r in revisions] == ["2", "1"]
    assert "editor@example.com" in revisions[0].text
    assert "+title: 로그인이 안 될 때 (새 제목)" in revisions[0].select_one("[data-diff]").text
    response = post(editor, f"{EDIT}/restore/1", {"base_revision": "2"},
                    token_from=f"{EDIT}/history")
    assert response.status_code == 303
    state = stored(app)
    assert state.revision == 3 and state.published == 2
    with services.database(app).session() as session:
        assert content.history(session, "ko", "login-trouble")[0].message == \
            "restore revision 1"
        first = content.store.text_of(session, content.store.find_item(
            session, "ko", "login-trouble"), 1)
    assert state.markdown == first


def test_rename_keeps_a_redirect_from_the_old_address(app, editor, client):
    response = post(editor, f"{EDIT}/rename", {"new_slug": "sign-in-trouble",
                                               "base_revision": "1"}, token_from=EDIT)
    assert response.status_code == 303
    assert response.location.endswith("/desk/articles/ko/sign-in-trouble")
    old = client.get("/ko/articles/login-trouble")
    assert old.status_code == 301 and old.location.endswith("/ko/articles/sign-in-trouble")
    assert client.get("/ko/articles/sign-in-trouble").status_code == 200


def test_archive_stops_serving_it(app, editor, client):
    assert post(editor, f"{EDIT}/archive", token_from=EDIT).status_code == 303
    assert stored(app).status == "archived"
    assert client.get("/ko/articles/login-trouble").status_code == 404


def test_schedule_publishes_at_the_chosen_time(app, editor):
    save(editor, {"title": "예약된 제목", "action": "save"})
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=9, minutes=-1)).strftime(
        "%Y-%m-%dT%H:%M")  # a minute ago, Korea time
    response = post(editor, f"{EDIT}/schedule", {"revision": "2", "at": when},
                    token_from=EDIT)
    assert response.status_code == 303
    services.of(app).checked_at = 0
    editor.get("/desk/articles")  # the next request's content check publishes it
    assert stored(app).published == 2


def test_a_new_article_is_created_as_a_draft(app, editor):
    fields = {"locale": "en", "title": "Gift cards", "slug": "gift-cards",
              "category": "payment", "questions": "Can I buy a gift card?",
              "keywords": "gift, card", "status": "published", "body": "Yes, you can.\n"}
    response = post(editor, "/desk/articles/new", fields, token_from="/desk/articles/new")
    assert response.status_code == 303
    state = stored(app, "en", "gift-cards")
    assert state.status == "draft" and "keywords: [gift, card]" in state.markdown
    bad = post(editor, "/desk/articles/new", {**fields, "slug": "Gift Cards!"},
               token_from="/desk/articles/new")
    assert bad.status_code == 422
    assert page(bad).select_one("#slug")["value"] == "Gift Cards!"


def test_translate_starts_the_other_locale_and_flags_who_is_behind(app, editor):
    with services.database(app).session() as session:
        content.create_draft(session, locale="ko", slug="only-korean", author="e@x.com",
                             markdown="---\ntitle: 한국어만\nslug: only-korean\nlocale: ko\n"
                                      "category: account\n---\n본문이에요.\n")
    path = "/desk/articles/ko/only-korean"
    assert page(editor.get(path)).select_one("[data-translate]") is not None
    response = post(editor, f"{path}/translate", token_from=path)
    assert response.status_code == 303 and response.location.endswith(
        "/desk/articles/en/only-korean")
    assert stored(app, "en", "only-korean").status == "draft"
    save(editor, {"body": "영어판보다 새로운 본문\n", "action": "save"}, path=path)
    english = page(editor.get("/desk/articles/en/only-korean"))
    assert english.select_one("[data-behind]") is not None
    assert english.select_one("#other-body").text == "영어판보다 새로운 본문\n"


def test_panels_show_similar_articles_and_the_queries_that_led_here(app, editor):
    event = new_event("click", session_id="c" * 32, locale="ko", slug="login-trouble",
                      query="로그인 안됨", rank=1)
    with services.database(app).session() as session:
        write_events(session, [event])
    fields = {**form_of(editor), "title": "비밀번호를 잊어버렸어요",
              "questions": "비밀번호 재설정 방법\n비번 찾기",
              "body": "비밀번호 재설정 메일을 받으세요.\n"}
    data = post(editor, f"{EDIT}/panels", fields, token_from=EDIT).get_json()
    assert "password-reset" in [s["slug"] for s in data["similar"]]
    assert "login-trouble" not in [s["slug"] for s in data["similar"]]
    assert data["searched"] == [{"query": "로그인 안됨", "clicks": 1}]


def test_try_a_query_ranks_the_draft_among_the_published(app, editor):
    fields = {**form_of(editor), "questions": "화면이 하얗게 얼어붙고 입장이 불가해요"}
    before = services.search_engine(app).rank("하얗게 얼어붙고 입장", locale="ko")
    data = post(editor, f"{EDIT}/try", {**fields, "query": "하얗게 얼어붙고 입장"},
                token_from=EDIT).get_json()
    assert data["rank"] == 1 and data["ranked"][0] == "login-trouble"
    assert services.search_engine(app).rank("하얗게 얼어붙고 입장", locale="ko") == before


def test_site_files_save_with_lint_by_line(app, editor):
    path = "/desk/site-files/synonyms.txt"
    text = page(editor.get(path)).select_one("#text").text
    base = page(editor.get(path)).select_one("input[name=base_revision]")["value"]
    good = post(editor, path, {"text": text + "환불, 돈 돌려받기\n", "base_revision": base},
                token_from=path)
    assert good.status_code == 303
    bad_categories = "account:\n  order: first\n  name: {ko: 계정, en: Account}\n"
    cat_path = "/desk/site-files/categories.yml"
    cat_base = page(editor.get(cat_path)).select_one("input[name=base_revision]")["value"]
    bad = post(editor, cat_path, {"text": bad_categories, "base_revision": cat_base},
               token_from=cat_path)
    assert bad.status_code == 422
    html = page(bad)
    problem = html.select_one("[data-problems] li")
    assert problem["data-problem-line"] == "1" and "order must be a whole number" in problem.text
    assert html.select_one("#text").text == bad_categories


def test_the_desk_keeps_the_editors_language_on_another_locales_article(editor):
    html = page(editor.get(EDIT))  # a Korean article, an editor reading English
    assert html.find("html")["lang"] == "en"
    assert html.select_one("#body")["lang"] == "ko"
    filtered = page(editor.get("/desk/articles?language=ko"))
    assert filtered.find("html")["lang"] == "en"


def test_unknown_articles_and_locales_are_not_found(editor):
    assert editor.get("/desk/articles/ko/no-such-article").status_code == 404
    assert editor.get("/desk/articles/fr/login-trouble").status_code == 404
    assert editor.get("/desk/articles/ko/no-such-article/history").status_code == 404


def test_try_a_query_on_a_draft_with_errors_names_them(editor):
    fields = {**form_of(editor), "review_by": "soon", "query": "로그인"}
    response = post(editor, f"{EDIT}/try", fields, token_from=EDIT)
    assert response.status_code == 422
    assert [p["field"] for p in response.get_json()["problems"]] == ["review_by"]


def test_save_and_publish_serves_a_draft_made_from_a_ticket(app, editor, client):
    _draft_from_ticket(app, "status: draft")
    path = "/desk/articles/ko/refund-late"
    html = page(editor.get(path))
    assert html.select_one("[data-ticket-reference]").text.strip() == "T-ABCD-1234"
    assert save(editor, {"action": "publish"}, path=path).status_code == 303
    assert "status: published" in stored(app, "ko", "refund-late").markdown
    assert client.get("/ko/articles/refund-late").status_code == 200
