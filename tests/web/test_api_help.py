"""The help-center JSON API: search, suggest, articles, feedback, OpenAPI and the error shape."""

from __future__ import annotations

import pytest

import search
from kb.events import count_events
from web import services, visitor
from web.help import queries

SEARCH_KEYS = {"query", "results", "total", "did_you_mean", "confidence", "low_confidence",
               "took_ms"}
RESULT_KEYS = {"slug", "locale", "title", "url", "snippet", "score", "category"}


@pytest.fixture
def client(shared_app):
    return shared_app.test_client()


def assert_error(response, status: int, code: str, *, fields: set[str] | None = None) -> dict:
    """Check the one API error shape: ``{"error": {"code", "message"[, "fields"]}}``."""
    assert response.status_code == status
    assert response.content_type == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message"} | ({"fields"} if fields is not None else set())
    assert error["code"] == code and error["message"]
    if fields is not None:
        assert set(error["fields"]) == fields
    return error


# Search

@pytest.mark.parametrize(("locale", "query"), [("ko", "결제가 안 돼요"), ("en", "payment failed")],
                         ids=["ko", "en"])
def test_search_returns_the_documented_shape_with_the_best_answer_first(client, locale, query):
    response = client.get("/api/search", query_string={"q": query, "locale": locale})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == SEARCH_KEYS
    assert body["query"] == query
    assert all(set(result) == RESULT_KEYS for result in body["results"])
    first = body["results"][0]
    assert (first["slug"], first["locale"]) == ("payment-failed", locale)
    assert first["url"] == f"/{locale}/articles/payment-failed"
    assert "<mark>" in first["snippet"]


def test_search_honours_limit_and_category(client):
    body = client.get("/api/search?q=payment&locale=en&limit=2&category=refund").get_json()
    assert len(body["results"]) <= 2
    assert {result["category"] for result in body["results"]} == {"refund"}


@pytest.mark.parametrize(("locale", "query"), [
    ("ko", "헬스장 몇 시에 문 열어요"), ("ko", "통신사 멤버십 포인트 사용"),
    ("en", "can I order pizza here"), ("en", "best restaurants near me")],
    ids=["ko-gym", "ko-carrier", "en-pizza", "en-restaurants"])
def test_out_of_domain_question_is_flagged_low_confidence(client, locale, query):
    body = client.get("/api/search", query_string={"q": query, "locale": locale}).get_json()
    assert 0.0 <= body["confidence"] < 1.0
    assert body["low_confidence"] is True


@pytest.mark.parametrize(("locale", "query", "slug"), [
    ("ko", "비밀번호를 잊어버렸어요", "password-reset"),
    ("en", "I forgot my password", "password-reset")], ids=["ko", "en"])
def test_answered_question_is_confident(client, locale, query, slug):
    body = client.get("/api/search", query_string={"q": query, "locale": locale}).get_json()
    assert body["results"][0]["slug"] == slug
    assert body["low_confidence"] is False
    assert body["confidence"] >= search.confidence.THRESHOLD


def test_search_total_counts_only_what_matches(client):
    body = client.get("/api/search", query_string={"q": "결제가 안 돼요", "locale": "ko",
                                                   "limit": 50}).get_json()
    assert body["total"] == len(body["results"]) <= 8


def test_search_without_matches_says_low_confidence(client):
    body = client.get("/api/search?q=xylophone+zzqx&locale=en").get_json()
    assert body["results"] == [] and body["low_confidence"] is True
    assert body["confidence"] == 0.0 and body["total"] == 0


@pytest.mark.parametrize("query", ["", "   ", "가" * 201], ids=["empty", "blank", "too-long"])
@pytest.mark.parametrize("endpoint", ["search", "suggest"])
def test_empty_or_overlong_query_is_a_400_naming_q(client, endpoint, query):
    response = client.get(f"/api/{endpoint}", query_string={"q": query, "locale": "ko"})
    assert_error(response, 400, "invalid_query", fields={"q"})


def test_missing_query_is_a_400(client):
    assert_error(client.get("/api/search"), 400, "invalid_query", fields={"q"})


def test_unknown_locale_is_a_400_naming_locale(client):
    response = client.get("/api/search?q=login&locale=fr")
    assert_error(response, 400, "invalid_parameter", fields={"locale"})


@pytest.mark.parametrize("limit", ["0", "51", "ten", "-1"])
def test_limit_out_of_range_is_a_400_naming_limit(client, limit):
    response = client.get(f"/api/search?q=login&locale=en&limit={limit}")
    assert_error(response, 400, "invalid_parameter", fields={"limit"})


# Suggest

@pytest.mark.parametrize(("locale", "prefix"), [("ko", "로그ㅇ"), ("en", "log")], ids=["ko", "en"])
def test_suggest_completes_a_partial_word_to_the_login_article(client, locale, prefix):
    response = client.get("/api/suggest", query_string={"q": prefix, "locale": locale})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"suggestions"}
    assert all(set(s) == {"slug", "title", "url"} for s in body["suggestions"])
    assert "login-trouble" in [s["slug"] for s in body["suggestions"]][:3]


def test_suggestion_urls_say_they_came_from_a_suggestion(client):
    body = client.get("/api/suggest?q=log&locale=en").get_json()
    assert body["suggestions"][0]["url"].startswith("/en/articles/")
    assert "src=suggestion" in body["suggestions"][0]["url"]


# Articles

@pytest.mark.parametrize("locale", ["ko", "en"])
def test_article_returns_its_content(client, locale):
    response = client.get(f"/api/articles/{locale}/login-trouble")
    assert response.status_code == 200
    body = response.get_json()
    assert body["slug"] == "login-trouble" and body["locale"] == locale
    assert body["url"] == f"/{locale}/articles/login-trouble"
    assert body["html"].startswith("<") and body["headings"] and body["updated"] == "2026-11-02"


@pytest.mark.parametrize("path", ["/api/articles/ko/no-such-article",
                                  "/api/articles/fr/login-trouble"])
def test_missing_article_is_a_json_404(client, path):
    assert_error(client.get(path), 404, "not_found")


def test_unknown_api_path_is_a_json_404(client):
    assert_error(client.get("/api/nothing-here"), 404, "not_found")


def test_wrong_method_is_a_json_405(client):
    assert_error(client.delete("/api/search"), 405, "method_not_allowed")


# Feedback

def _visitor_events(app, client, **where) -> int:
    with client.session_transaction() as session:
        visitor_id = session[visitor.SESSION_KEY]
    services.event_recorder(app).flush()
    with services.database(app).session() as session:
        return count_events(session, session_id=visitor_id, **where)


@pytest.mark.parametrize(("helpful", "value"), [(True, "yes"), (False, "no")])
def test_feedback_records_a_vote(client, shared_app, helpful, value):
    response = client.post("/api/articles/en/login-trouble/feedback", json={"helpful": helpful})
    assert response.status_code == 201
    assert response.get_json() == {"recorded": True}
    assert _visitor_events(shared_app, client, kind="vote", slug="login-trouble",
                           value=value) == 1


def test_feedback_records_what_was_missing(client, shared_app):
    response = client.post("/api/articles/ko/login-trouble/feedback",
                           json={"missing": "패스키 로그인 안내가 없어요"})
    assert response.status_code == 201
    assert _visitor_events(shared_app, client, kind="vote", value="missing",
                           comment="패스키 로그인 안내가 없어요") == 1


@pytest.mark.parametrize(("body", "fields"), [
    ({}, {"helpful"}),
    ({"helpful": "maybe"}, {"helpful"}),
    ({"helpful": [True]}, {"helpful"}),
    ({"missing": "x" * 1001}, {"missing"}),
    ({"missing": 42}, {"missing"}),
], ids=["nothing", "not-yes-or-no", "a-list", "note-too-long", "note-not-text"])
def test_invalid_feedback_is_a_400_naming_the_field(client, body, fields):
    response = client.post("/api/articles/en/login-trouble/feedback", json=body)
    assert_error(response, 400, "invalid_feedback", fields=fields)


def test_feedback_body_must_be_a_json_object(client):
    response = client.post("/api/articles/en/login-trouble/feedback", json=[1, 2])
    assert_error(response, 400, "invalid_body")


def test_feedback_on_a_missing_article_is_a_404(client):
    response = client.post("/api/articles/en/no-such-article/feedback", json={"helpful": True})
    assert_error(response, 404, "not_found")


# OpenAPI

def test_openapi_documents_every_api_route(client, shared_app):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    routes = {(rule.rule.replace("<", "{").replace(">", "}"), method.lower())
              for rule in shared_app.url_map.iter_rules() if rule.rule.startswith("/api/")
              and rule.endpoint != "api.openapi"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes <= documented


def test_openapi_references_only_declared_schemas(client):
    document = client.get("/api/openapi.json").get_json()
    text = str(document["paths"])
    for name in document["components"]["schemas"]:
        text = text.replace(f"#/components/schemas/{name}'", "")
    assert "#/components/schemas/" not in text


def test_the_web_query_limit_is_the_engines():
    # web keeps its own copy so that importing the pages does not import the search engine.
    assert queries.MAX_QUERY_LENGTH == search.MAX_QUERY_LENGTH
