"""The contact page, "still need help?" from an article, and the review-then-send step, on every
database backend."""

from __future__ import annotations

import datetime as dt

import pytest

from kb import tickets
from kb.events import count_events
from kb.submissions import ARTICLE_CATEGORIES, CATEGORIES
from web import services
from web.tickets.channels import is_open_at
from web.tickets.names import CATEGORY_NAMES, STEP_NAMES

from .ticketing import (
    FORM,
    field_values,
    form_tokens,
    page,
    post_contact,
    send_ticket,
    stored_ticket,
    stored_tickets,
)


@pytest.fixture
def app(backend_app):
    return backend_app


# The contact page

def test_contact_page_lists_channels_and_hours(client):
    response = client.get("/en/contact")
    assert response.status_code == 200
    channels = page(response).find(class_="ticket-channels")
    assert "1600-0000" in channels.text and "support@plooma.example" in channels.text
    assert channels.find(class_="open-badge")["data-open"] in ("yes", "no")


@pytest.mark.parametrize(("locale", "hours", "shown", "note"), [
    ("ko", "Mon-Fri 09:00-18:00", "평일 09:00–18:00", "(한국 시간)"),
    ("en", "Mon-Fri 09:00-18:00", "Mon–Fri 09:00–18:00", "(Korea time)"),
    ("ko", "Mon-Sat 10:00-19:00", "월–토 10:00–19:00", "(한국 시간)"),
    ("en", "Mon-Sat 10:00-19:00", "Mon–Sat 10:00–19:00", "(Korea time)"),
    ("ko", "sat-sun 9:30-17:00", "주말 09:30–17:00", "(한국 시간)"),
], ids=["ko-weekdays", "en-weekdays", "ko-mon-sat", "en-mon-sat", "ko-weekend"])
def test_support_hours_speak_the_page_language(app, client, locale, hours, shown, note):
    app.config["SUPPORT_HOURS"] = hours
    response = client.get(f"/{locale}/contact")
    assert response.status_code == 200
    hours_dd = page(response).find(attrs={"data-hours": True}).parent
    assert hours_dd.find(attrs={"data-hours": True}).text == shown
    assert note in hours_dd.text
    assert hours_dd.find(class_="open-badge")["data-open"] in ("yes", "no")


def test_hours_in_another_shape_are_shown_as_written_without_a_badge(app, client):
    app.config["SUPPORT_HOURS"] = "By appointment"
    response = client.get("/ko/contact")
    assert response.status_code == 200
    hours = page(response).find(attrs={"data-hours": True})
    assert hours.text == "By appointment"
    assert hours.parent.find(class_="open-badge") is None


@pytest.mark.parametrize(("when", "is_open"), [
    ("2026-11-02T01:00:00+00:00", True),   # Monday 10:00 in Seoul
    ("2026-11-02T09:00:00+00:00", False),  # Monday 18:00 in Seoul: just closed
    ("2026-11-07T01:00:00+00:00", False),  # Saturday
], ids=["monday-morning", "monday-18h", "saturday"])
def test_open_now_follows_korea_time(when, is_open):
    assert is_open_at("Mon-Fri 09:00-18:00", dt.datetime.fromisoformat(when)) is is_open


@pytest.mark.parametrize(("locale", "title"), [("ko", "문의하기"), ("en", "Contact us")])
def test_contact_page_speaks_the_locale(client, locale, title):
    html = page(client.get(f"/{locale}/contact"))
    assert html.find("h1").text == title
    assert html.find("html")["lang"] == locale


def test_contact_form_asks_consent_with_purpose_and_retention(client):
    consent = page(client.get("/en/contact")).find(class_="consent")
    assert consent.find("input", attrs={"name": "consent"}).has_attr("required")
    assert "Purpose" in consent.text and "3 years" in consent.text


def test_contact_form_has_a_hidden_honeypot_and_categories(client):
    html = page(client.get("/en/contact"))
    assert html.find("input", attrs={"name": "website"}).find_parent(class_="hp")
    options = [o["value"] for o in html.find("select", attrs={"name": "category"})("option")]
    assert options == ["", "account", "payment", "refund", "subscription", "playback",
                       "complaint", "other"]


def test_need_help_query_prefills_the_subject(client):
    html = page(client.get("/en/contact?q=refund+not+arrived"))
    assert html.find("input", attrs={"name": "subject"})["value"] == "refund not arrived"


# "Still need help?" from an article: the article goes with the ticket

@pytest.mark.parametrize(("locale", "label", "title"), [
    ("ko", "보고 계시던 도움말:", "환불 기준이 어떻게 되나요?"),
    ("en", "You were reading:", "What is your refund policy?"),
], ids=["ko", "en"])
def test_article_that_led_here_is_named_above_the_form(client, locale, label, title):
    response = client.get(f"/{locale}/contact?q=refund&article=refund-policy")
    assert response.status_code == 200
    source = page(response).find(attrs={"data-source-article": "refund-policy"})
    assert source.find(class_="ticket-source__label").text == label
    link = source.find("a")
    assert (link.text, link["href"]) == (title, f"/{locale}/articles/refund-policy")
    assert source.find_next("form", class_="ticket-form") is not None


@pytest.mark.parametrize(("slug", "category"), [
    ("login-trouble", "account"), ("payment-failed", "payment"), ("refund-policy", "refund"),
    ("cancel-subscription", "subscription"), ("app-crash", "playback"),
    ("complaint-process", "other")])
def test_article_that_led_here_preselects_its_category(client, slug, category):
    response = client.get(f"/ko/contact?q=x&article={slug}")
    assert response.status_code == 200
    html = page(response)
    assert field_values(html)["category"] == category
    assert html.find("input", attrs={"name": "source_article"})["value"] == slug


def test_every_help_center_category_preselects_a_ticket_category(app):
    assert set(services.knowledge_base(app).categories) <= set(ARTICLE_CATEGORIES)
    assert set(ARTICLE_CATEGORIES.values()) <= set(CATEGORIES)


@pytest.mark.parametrize("slug", [
    "no-such-article", "<script>alert(1)</script>", "../refund-policy", "refund-policy%00",
    "x" * 5000], ids=["unknown", "markup", "path", "nul", "huge"])
def test_unknown_or_malformed_article_is_ignored(client, slug):
    response = client.get("/en/contact", query_string={"q": "refund", "article": slug})
    assert response.status_code == 200
    html = page(response)
    assert html.find(attrs={"data-source-article": True}) is None
    assert html.find("input", attrs={"name": "source_article"}) is None
    assert field_values(html)["category"] == ""
    assert slug not in response.get_data(as_text=True)


def test_article_goes_through_review_into_the_stored_ticket(app, client):
    response = post_contact(client, source_article="refund-policy")
    assert response.status_code == 200
    html = page(response)
    assert html.select_one(".review-actions input[name=source_article]")["value"] == \
        "refund-policy"
    assert html.find(attrs={"data-source-article": "refund-policy"}) is not None
    reference = send_ticket(client, source_article="refund-policy")
    assert stored_ticket(app, reference).source_article == "refund-policy"


def test_article_is_kept_through_a_validation_error(client):
    response = post_contact(client, "send", source_article="refund-policy", email="")
    assert response.status_code == 422
    html = page(response)
    assert html.find("input", attrs={"name": "source_article"})["value"] == "refund-policy"
    assert html.find(attrs={"data-source-article": "refund-policy"}) is not None


def test_posted_article_that_is_not_published_is_dropped(app, client):
    reference = send_ticket(client, source_article="<b>no-such-article</b>")
    assert stored_ticket(app, reference).source_article is None


def test_ticket_from_the_plain_contact_page_has_no_article(app, client):
    assert stored_ticket(app, send_ticket(client)).source_article is None


def test_ticket_pages_are_not_cached_and_send_no_referrer(client):
    response = client.get("/en/contact")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_every_category_and_status_has_a_name():
    assert set(CATEGORY_NAMES) == set(CATEGORIES)
    assert set(STEP_NAMES) == {status.value for status in tickets.Status}


def test_korean_contact_page_names_the_categories_in_korean(client):
    select = page(client.get("/ko/contact")).find("select", attrs={"name": "category"})
    assert [option.text for option in select("option")] == [
        "유형을 선택해 주세요", "계정·로그인", "결제", "환불", "구독", "재생·앱 오류", "불편 신고",
        "기타"]


# Review, then send

def test_review_shows_everything_and_stores_nothing(app, client):
    response = post_contact(client)
    assert response.status_code == 200
    review = page(response).find(attrs={"data-review": True})
    shown = {dd["data-field"]: dd.text for dd in review("dd", attrs={"data-field": True})}
    assert shown == {"category": "Account and login", "subject": "Cannot log in",
                     "description": "It says locked.", "email": "min@example.com",
                     "name": "Min", "phone": "010-1234-5678"}
    assert stored_tickets(app) == []


def test_contact_and_review_buttons_use_the_help_center_styles(client):
    response = client.get("/en/contact")
    assert response.status_code == 200
    review_button = page(response).find("button", attrs={"value": "review"})
    assert {"button", "button--primary"} <= set(review_button["class"])
    html = page(post_contact(client))
    actions = html.find(class_="review-actions")
    assert {"button", "button--primary"} <= set(actions.find("button", value="send")["class"])
    assert {"button", "button--secondary"} <= set(actions.find("button", value="edit")["class"])


def test_field_hint_and_error_are_both_announced(client):
    response = post_contact(client, description=" ")
    assert response.status_code == 422
    html = page(response)
    description = html.find("textarea", attrs={"name": "description"})
    assert description["aria-invalid"] == "true"
    described = [html.find(id=i) for i in description["aria-describedby"].split()]
    assert [d.get("class") for d in described] == [["hint"], ["field-error"]]
    assert described[1].find_parent(class_="field") is description.find_parent(class_="field")


def test_review_carries_every_field_to_send(client):
    html = page(post_contact(client))
    hidden = {i["name"]: i["value"] for i in html.select(".review-actions input[type=hidden]")}
    assert {k: hidden[k] for k in FORM} == FORM


def test_edit_returns_to_the_form_with_everything_typed(client):
    response = post_contact(client, "edit")
    assert response.status_code == 200
    assert field_values(page(response)) == FORM


def test_send_stores_the_ticket_and_opens_its_status_page(app, client):
    response = post_contact(client, "send")
    assert response.status_code == 303
    [ticket] = stored_tickets(app)
    assert response.headers["Location"] == f"/en/tickets/{ticket.reference}/status"
    html = page(client.get(response.headers["Location"]))
    assert ticket.reference in html.find("h1").text
    assert "min@example.com" in html.find(attrs={"data-created": True}).text
    assert html.find(attrs={"aria-current": "step"})["data-step"] == "received"


def test_korean_status_page_names_the_ticket_and_its_steps_in_korean(client):
    reference = send_ticket(client, locale="ko")
    html = page(client.get(f"/ko/tickets/{reference}/status"))
    assert html.find("h1").text == f"문의 {reference}"
    assert "min@example.com 주소로 보내 드렸습니다" in html.find(attrs={"data-created": True}).text
    steps = [li.find(string=True).strip() for li in html("li", attrs={"data-step": True})]
    assert steps == ["접수", "확인 중", "해결책 안내", "해결"]


def test_double_send_with_one_form_stores_one_ticket(app, client):
    tokens = form_tokens(client)
    first = post_contact(client, "send", tokens=tokens)
    second = post_contact(client, "send", tokens=tokens)
    assert (first.status_code, second.status_code) == (303, 303)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(stored_tickets(app)) == 1


def test_send_after_editing_a_sent_form_offers_a_new_ticket(app, client):
    tokens = form_tokens(client)
    post_contact(client, "send", tokens=tokens)
    response = post_contact(client, "send", tokens=tokens, subject="Also: payment failed")
    assert response.status_code == 409
    html = page(response)
    assert html.find(attrs={"data-notice": "conflict"})
    new_key = html.find("input", attrs={"name": "idempotency_key"})["value"]
    assert new_key != tokens["idempotency_key"]
    assert post_contact(client, "send", tokens={**tokens, "idempotency_key": new_key},
                        subject="Also: payment failed").status_code == 303
    assert len(stored_tickets(app)) == 2


def test_ticket_carries_the_search_trail(app, client):
    client.get("/en/search?q=password+reset")
    client.get("/en/articles/password-reset?src=search&q=password+reset&rank=1")
    reference = send_ticket(client)
    trail = stored_ticket(app, reference).trail
    assert [(i["kind"], i["query"], i["slug"]) for i in trail] == [
        ("search", "password reset", None), ("view", "password reset", "password-reset")]


def test_ticket_is_logged_as_an_event(app, client):
    send_ticket(client)
    with services.database(app).session() as session:
        assert count_events(session, kind="ticket", value="account") == 1


def test_suggested_article_opened_from_the_form_is_logged(app, client):
    response = client.get("/en/contact/articles/password-reset")
    assert response.status_code == 303
    assert response.headers["Location"] == "/en/articles/password-reset"
    services.event_recorder(app).flush()
    with services.database(app).session() as session:
        assert count_events(session, kind="suggestion_open", value="contact_form") == 1


def test_suggestions_api_returns_at_most_three_logged_links(client):
    response = client.get("/api/tickets/suggestions?locale=en&text=I+forgot+my+password")
    assert response.status_code == 200
    found = response.get_json()["suggestions"]
    assert 1 <= len(found) <= 3
    assert found[0]["url"].startswith("/en/contact/articles/")


@pytest.mark.parametrize(("locale", "text"), [
    ("en", "can I order pizza here"), ("ko", "헬스장 몇 시에 문 열어요")], ids=["en", "ko"])
def test_suggestions_are_empty_when_no_article_answers(client, locale, text):
    response = client.get("/api/tickets/suggestions", query_string={"locale": locale,
                                                                    "text": text})
    assert response.status_code == 200
    assert response.get_json()["suggestions"] == []


def test_review_suggests_articles_for_the_text(client):
    html = page(post_contact(client, subject="I forgot my password",
                             description="How do I reset my password?"))
    links = [a["href"] for a in html.select("[data-review-suggestions] a")]
    assert "/en/contact/articles/password-reset" in links
