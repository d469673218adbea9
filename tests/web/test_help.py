"""The public help-center pages, in Korean and English: status first, then the parsed HTML."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import render_template

from search import SearchResults
from web import services
from web.help import TOC_MIN_HEADINGS, links

LOCALES = pytest.mark.parametrize("locale", ["ko", "en"])
PAYMENT_QUERIES = pytest.mark.parametrize(
    ("locale", "query"), [("ko", "결제가 안 돼요"), ("en", "payment failed")], ids=["ko", "en"])


@pytest.fixture
def client(shared_app):
    return shared_app.test_client()


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def params(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


# The root picks a locale

def test_root_redirects_to_korean_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/ko/"


def test_root_follows_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/"


def test_root_prefers_the_locale_last_read_over_accept_language(client):
    client.get("/en/")
    response = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert response.headers["Location"] == "/en/"


def test_unknown_locale_is_not_found(client):
    assert client.get("/fr/").status_code == 404


# Home

@pytest.mark.parametrize(("locale", "text"), [
    ("ko", "전화 02-555-0100 (평일 08:00–20:00, 한국 시간)"),
    ("en", "Phone 02-555-0100, Mon–Fri 08:00–20:00 (Korea time)"),
], ids=["ko", "en"])
def test_footer_shows_the_configured_phone_and_hours(shared_app, locale, text):
    before = {key: shared_app.config[key] for key in ("SUPPORT_PHONE", "SUPPORT_HOURS")}
    shared_app.config.update(SUPPORT_PHONE="02-555-0100", SUPPORT_HOURS="Mon-Fri 08:00-20:00")
    try:
        response = shared_app.test_client().get(f"/{locale}/")
    finally:
        shared_app.config.update(before)
    assert response.status_code == 200
    assert page(response).select_one(".site-footer .muted").get_text(" ", strip=True) == text


@pytest.mark.parametrize(("locale", "heading"), [("ko", "무엇을 도와드릴까요?"),
                                                 ("en", "How can we help?")], ids=["ko", "en"])
def test_home_greets_in_its_language_with_a_search_box(client, locale, heading):
    response = client.get(f"/{locale}/")
    assert response.status_code == 200
    html = page(response)
    assert html.html["lang"] == locale
    assert html.h1.get_text(strip=True) == heading
    form = html.select_one("form[role=search]")
    assert form["action"] == f"/{locale}/search" and form["method"] == "get"
    assert html.select_one(f"label[for={form.input['id']}]") is not None


@LOCALES
def test_home_shows_the_promoted_articles_as_cards_before_any_views(app, shared_app, locale):
    html = page(app.test_client().get(f"/{locale}/"))
    cards = [a["href"] for a in html.select(".cards a")]
    promoted = [a.url for a in services.knowledge_base(shared_app).promoted(locale)]
    assert cards == promoted
    assert f"/{locale}/articles/login-trouble" in cards


@LOCALES
def test_home_links_every_category_with_articles(client, locale):
    html = page(client.get(f"/{locale}/"))
    hrefs = {a["href"] for a in html.select(".categories a")}
    assert {f"/{locale}/categories/account", f"/{locale}/categories/payment"} <= hrefs


@LOCALES
def test_home_offers_a_way_to_contact_support(client, locale):
    html = page(client.get(f"/{locale}/"))
    assert html.select_one(f".contact-box a[href^='/{locale}/need-help']") is not None


# Categories

@pytest.mark.parametrize(("locale", "name"), [("ko", "결제"), ("en", "Payment")],
                         ids=["ko", "en"])
def test_category_lists_its_articles(client, shared_app, locale, name):
    response = client.get(f"/{locale}/categories/payment")
    assert response.status_code == 200
    html = page(response)
    assert html.h1.get_text(strip=True) == name
    listed = [a["href"] for a in html.select(".article-list a")]
    expected = [a.url for a in services.knowledge_base(shared_app).in_category(locale, "payment")]
    assert listed == expected and f"/{locale}/articles/payment-failed" in listed


@pytest.mark.parametrize(("locale", "title"), [("ko", "페이지를 찾을 수 없어요"),
                                               ("en", "We couldn't find that page")],
                         ids=["ko", "en"])
@pytest.mark.parametrize("path", ["categories/nothing", "articles/no-such-article", "nowhere"])
def test_missing_pages_answer_404_in_their_language(client, locale, title, path):
    response = client.get(f"/{locale}/{path}")
    assert response.status_code == 404
    html = page(response)
    assert html.html["lang"] == locale
    assert html.h1.get_text(strip=True) == title
    assert html.select_one(f"form[action='/{locale}/search']") is not None


# Articles

@pytest.mark.parametrize(("locale", "title", "category"),
                         [("ko", "로그인이 안 돼요", "계정"), ("en", "I can't log in", "Account")],
                         ids=["ko", "en"])
def test_article_shows_title_breadcrumbs_and_updated_date(client, locale, title, category):
    response = client.get(f"/{locale}/articles/login-trouble")
    assert response.status_code == 200
    html = page(response)
    assert html.h1.get_text(strip=True) == title
    crumbs = [li.get_text(strip=True) for li in html.select(".breadcrumbs li")]
    assert crumbs[1:] == [category, title]
    assert "2026" in html.select_one(".article-meta span").get_text()


@pytest.mark.parametrize(("locale", "other"), [("ko", "en"), ("en", "ko")], ids=["ko", "en"])
def test_article_links_to_its_other_language(client, locale, other):
    html = page(client.get(f"/{locale}/articles/login-trouble"))
    link = html.select_one("a.other-language")
    assert link["href"] == f"/{other}/articles/login-trouble" and link["hreflang"] == other


@LOCALES
def test_long_article_has_a_table_of_contents(client, shared_app, locale):
    article = services.knowledge_base(shared_app).get(locale, "login-trouble")
    html = page(client.get(article.url))
    toc = [a["href"] for a in html.select(".toc a")]
    assert toc == [f"#{h.id}" for h in article.headings if h.level == 2]
    assert all(html.find(id=target[1:]) is not None for target in toc)


def test_short_article_has_no_table_of_contents(client, shared_app):
    short = next(a for a in services.knowledge_base(shared_app).articles("en")
                 if sum(h.level == 2 for h in a.headings) < TOC_MIN_HEADINGS)
    html = page(client.get(short.url))
    assert html.select_one(".toc") is None


@LOCALES
def test_article_lists_related_articles(client, locale):
    html = page(client.get(f"/{locale}/articles/login-trouble"))
    related = [a["href"] for a in html.select(".related a")]
    assert related and all(params(href)["src"] == "related" for href in related)
    assert f"/{locale}/articles/password-reset?src=related" in related


@LOCALES
def test_article_asks_was_this_helpful_with_a_csrf_protected_form(client, locale):
    html = page(client.get(f"/{locale}/articles/login-trouble"))
    form = html.select_one("form[data-step=ask]")
    assert form["method"] == "post"
    assert form["action"] == f"/{locale}/articles/login-trouble/feedback"
    assert form.select_one("input[name=csrf_token]")["value"]
    assert [b["value"] for b in form.select("button[name=helpful]")] == ["yes", "no"]
    assert html.select_one("form[data-step=no]").has_attr("hidden")


@LOCALES
def test_still_need_help_carries_the_query_and_the_article(client, locale):
    html = page(client.get(f"/{locale}/articles/login-trouble?src=search&q=login&rank=1"))
    link = html.select_one("a[data-need-help]")
    assert urlsplit(link["href"]).path == f"/{locale}/need-help"
    assert params(link["href"]) == {"q": "login", "article": "login-trouble"}


@LOCALES
def test_need_help_opens_the_contact_path_with_query_and_article(client, shared_app, locale):
    response = client.get(f"/{locale}/need-help?q=로그인&article=login-trouble")
    assert response.status_code == 303
    with shared_app.test_request_context():
        expected = links.contact_url(locale, q="로그인", article="login-trouble")
    assert response.headers["Location"] == expected
    assert urlsplit(expected).path == f"/{locale}/contact"
    assert params(expected) == {"q": "로그인", "article": "login-trouble"}


def test_need_help_drops_an_unknown_article(client):
    response = client.get("/en/need-help?q=x&article=../../evil")
    assert response.status_code == 303
    assert "article" not in params(response.headers["Location"])


def csrf_token(client, url: str) -> str:
    return page(client.get(url)).select_one("input[name=csrf_token]")["value"]


@LOCALES
def test_voting_no_without_javascript_asks_what_was_missing(client, locale):
    url = f"/{locale}/articles/login-trouble"
    response = client.post(f"{url}/feedback", data={
        "csrf_token": csrf_token(client, url), "helpful": "no", "q": "login"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{url}?feedback=no&q=login#feedback"
    html = page(client.get(response.headers["Location"]))
    assert not html.select_one("form[data-step=no]").has_attr("hidden")
    assert html.select_one("form[data-step=ask]").has_attr("hidden")
    assert html.select_one("textarea[name=missing]") is not None


def test_sending_what_was_missing_thanks_the_visitor(client):
    url = "/en/articles/login-trouble"
    response = client.post(f"{url}/feedback", data={
        "csrf_token": csrf_token(client, url), "missing": "Nothing about passkeys"})
    assert response.status_code == 303
    html = page(client.get(response.headers["Location"]))
    assert not html.select_one("[data-step=sent]").has_attr("hidden")


def test_feedback_with_no_answer_is_a_bad_request(client):
    url = "/en/articles/login-trouble"
    response = client.post(f"{url}/feedback", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 400


# Search

@PAYMENT_QUERIES
def test_search_puts_the_payment_article_first(client, locale, query):
    response = client.get(f"/{locale}/search", query_string={"q": query})
    assert response.status_code == 200
    html = page(response)
    first = html.select_one(".results .result-title a")["href"]
    assert urlsplit(first).path == f"/{locale}/articles/payment-failed"
    assert params(first) == {"src": "search", "q": query, "rank": "1"}


@PAYMENT_QUERIES
def test_search_highlights_matches_in_snippets(client, locale, query):
    html = page(client.get(f"/{locale}/search", query_string={"q": query}))
    assert html.select(".result-snippet mark")


@PAYMENT_QUERIES
def test_search_shows_category_facets_with_counts(client, locale, query):
    html = page(client.get(f"/{locale}/search", query_string={"q": query}))
    facets = html.select(".facets a")
    assert facets[0]["aria-current"] == "true"
    payment = next(a for a in facets if params(a["href"]).get("category") == "payment")
    assert re.search(r"\(\d+\)", payment.get_text())


def test_search_filters_by_category(client):
    html = page(client.get("/en/search", query_string={"q": "payment", "category": "refund"}))
    categories = {li.get_text(strip=True) for li in html.select(".result-category")}
    assert categories == {"Refunds"}


@pytest.mark.parametrize(("locale", "query"), [("ko", "쀍쀍쀍"), ("en", "xylophone zzqx")],
                         ids=["ko", "en"])
def test_zero_results_offer_contact_and_popular_articles(client, locale, query):
    response = client.get(f"/{locale}/search", query_string={"q": query})
    assert response.status_code == 200
    html = page(response)
    assert html.select_one(".zero-results") is not None
    assert html.select("#popular-title ~ ul a")
    link = html.select_one("a[data-need-help]")
    assert params(link["href"]) == {"q": query}


@LOCALES
def test_empty_search_shows_the_popular_articles(client, locale):
    response = client.get(f"/{locale}/search?q=")
    assert response.status_code == 200
    assert page(response).select("#popular-title ~ ul a")


def test_overlong_search_is_a_bad_request_with_a_message(client):
    response = client.get("/ko/search", query_string={"q": "가" * 201})
    assert response.status_code == 400
    assert "200" in page(response).select_one("[role=alert]").get_text()


def test_the_query_is_echoed_as_text_not_markup(client):
    query = '<script>alert(1)</script>"><img src=x>'
    html = page(client.get("/en/search", query_string={"q": query}))
    assert html.select_one("input[name=q]")["value"] == query
    assert html.find("script", src=False) is None and html.find("img") is None


def test_only_matching_results_are_listed_and_facets_count_them(client):
    response = client.get("/ko/search", query_string={"q": "결제가 안 돼요"})
    assert response.status_code == 200
    html = page(response)
    shown = html.select(".results .result")
    assert 1 <= len(shown) <= 8
    counts = [int(re.search(r"\((\d+)\)", a.get_text()).group(1))
              for a in html.select(".facets a") if params(a["href"]).get("category")]
    assert sum(counts) == len(shown)
    summary = html.select_one(".search-summary p").get_text()
    assert str(len(shown)) in summary


NOT_ANSWERED = pytest.mark.parametrize(
    ("locale", "query", "heading"),
    [("ko", "헬스장 몇 시에 문 열어요", "“헬스장 몇 시에 문 열어요”에 대한 답을 찾지 못했어요"),
     ("en", "can I order pizza here", "We couldn't find an answer to “can I order pizza here”")],
    ids=["ko", "en"])


@NOT_ANSWERED
def test_not_confident_search_says_so_and_offers_contact_before_the_closest(client, locale,
                                                                           query, heading):
    response = client.get(f"/{locale}/search", query_string={"q": query})
    assert response.status_code == 200
    html = page(response)
    assert html.select_one("#no-answer-title").get_text() == heading
    sections = [s.get("aria-labelledby") for s in html.select("main section")]
    assert sections.index("need-help-title") < sections.index("related-title")
    related = html.select(".might-be-related .result-title a")
    assert 1 <= len(related) <= 5
    assert urlsplit(related[0]["href"]).path.startswith(f"/{locale}/articles/")
    assert params(html.select_one("a[data-need-help]")["href"]) == {"q": query}
    assert html.select_one(".facets") is None and html.select_one(".result-snippet") is None


def test_did_you_mean_and_low_confidence_are_shown(shared_app):
    results = SearchResults(query="loggin", hits=[], total=3, facets={}, did_you_mean="login",
                            is_low_confidence=True, took_ms=1.0)
    with shared_app.test_request_context("/en/search?q=loggin"):
        shared_app.preprocess_request()
        html = BeautifulSoup(render_template(
            "help/search.html", query="loggin", results=results, problem=None, category=None,
            categories={}, popular=[]), "html.parser")
    link = html.select_one(".did-you-mean a")
    assert link.get_text() == "login" and params(link["href"]) == {"q": "login"}
    assert html.select_one("[data-low-confidence]") is not None


def test_home_ranks_popular_articles_by_views_then_promoted(app):
    import datetime as dt

    from tests.kb.insights_traffic import write_traffic

    write_traffic(services.database(app), dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2))
    html = page(app.test_client().get("/ko/"))
    cards = [a["href"] for a in html.select(".cards a")]
    assert set(cards[:2]) == {"/ko/articles/login-trouble", "/ko/articles/password-reset"}
    promoted = [a.url for a in services.knowledge_base(app).promoted("ko")
                if a.url not in cards[:2]]
    assert cards[2:] == promoted[:len(cards) - 2] and len(cards) == min(6, 2 + len(promoted))
