"""The insights pages, exports, plots and JSON on the fixture traffic of
``tests/kb/insights_traffic.py`` (its figures are worked out there and in
``tests/kb/test_insights.py``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from kb import content
from kb.events import EventRow
from kb.insights.models import PhrasingDecision
from tests.kb.insights_traffic import XSS, write_traffic
from web import services
from web.insights.exports import neutralise

from .desking import add_person, new_client, sign_in


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()  # asked per test: a run may cross midnight (UTC)


@pytest.fixture
def first() -> dt.date:
    """The fixture traffic's first day: three days ago."""
    return today() - dt.timedelta(days=3)


@pytest.fixture
def insights_app(app, first):
    write_traffic(services.database(app), first)
    return app


@pytest.fixture
def staff(insights_app):
    """An editor signed in to the desk."""
    add_person(insights_app, "editor@example.com", "editor")
    client = new_client(insights_app)
    assert sign_in(client, "editor@example.com").status_code == 303
    return client


def page(response) -> BeautifulSoup:
    assert response.content_type.startswith("text/html")
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def stats(html: BeautifulSoup) -> dict[str, str]:
    return {div.dt.get_text(strip=True): div.dd.contents[0].strip()
            for div in html.select(".stats div")}


def table_rows(html: BeautifulSoup, table_id: str) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.select("th, td")]
            for row in html.select(f"#{table_id} tbody tr")]


PATHS = ["/desk/insights/", "/desk/insights/search.csv", "/desk/insights/plots/daily.svg",
         "/api/desk/insights/summary"]


@pytest.mark.parametrize("path", PATHS)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 303 and "/desk/login" in response.location


@pytest.mark.parametrize("path", PATHS)
def test_an_agent_may_not_see_insights(insights_app, path):
    add_person(insights_app, "agent@example.com", "agent")
    client = new_client(insights_app)
    sign_in(client, "agent@example.com")
    assert client.get(path).status_code == 403


def test_the_desk_navigation_links_insights_for_editors(staff):
    html = page(staff.get("/desk/?locale=en"))
    assert "/desk/insights/" in [a["href"] for a in html.select(".desk-nav a")]


def test_page_shows_the_search_figures_of_the_window(staff):
    response = staff.get("/desk/insights/?days=7&locale=en")
    assert response.status_code == 200
    html = page(response)
    assert stats(html) == {"Searches": "4", "Distinct queries": "3", "Zero-result rate": "25.0 %",
                           "Click-through": "50.0 %", "Self-service score": "2.0",
                           "Stage-1 deflection": "25.0 %", "Stage-2 deflection": "33.3 %"}
    assert html.select_one(".alarm").get_text(strip=True) == "above 10 %"
    assert table_rows(html, "top-queries") == [
        ["로그인안돼요", "2", "0", "50.0 %", "1"], ["reset password", "1", "0", "100.0 %", "1"],
        ["학생 할인", "1", "1", "0.0 %", "1"]]
    assert table_rows(html, "zero-queries") == [["학생 할인", "1", "1", "0.0 %", "1"]]
    assert table_rows(html, "funnel") == [
        ["Visited", "5"], ["Searched", "3"], ["Clicked a result", "2"], ["Read an article", "3"],
        ["Pressed “still need help”", "2"], ["Opened the contact form", "3"],
        ["Opened a suggested article", "1"], ["Submitted a ticket", "2"]]


def test_plots_are_asked_for_in_the_pages_language_and_window(staff):
    html = page(staff.get("/desk/insights/?days=7&language=en&locale=en"))
    for image in html.select("img.plot"):
        assert parse_qs(urlsplit(image["src"]).query) == {
            "from": [str(today() - dt.timedelta(days=6))], "to": [str(today())],
            "locale": ["en"],
            "language": ["en"]}


def test_page_in_korean_filters_by_language(staff):
    html = page(staff.get("/desk/insights/?days=7&language=en&locale=ko"))
    assert html.h1.get_text(strip=True) == "인사이트"
    assert stats(html)["검색 수"] == "1"
    assert html.select_one("#language option[selected]")["value"] == "en"


def test_customer_text_is_shown_as_text_never_run(staff, insights_app, first):
    with services.database(insights_app).session() as session:
        session.execute(EventRow.__table__.insert(), [{
            "session_id": "e" * 32, "created_at": dt.datetime.combine(first, dt.time(12)),
            "kind": "search", "locale": "ko", "query": XSS, "query_key": XSS,
            "result_count": 0, "is_zero_result": True}])
    html = page(staff.get("/desk/insights/?days=7&locale=en"))
    assert html.find("script") is None or all(s.get("src") for s in html.find_all("script"))
    assert not html.select("img[onerror]")
    assert XSS in [n.get_text() for n in html.select(".note")]
    assert XSS in [row[0] for row in table_rows(html, "zero-queries")]


def test_a_content_gap_opens_a_draft_with_its_queries(staff):
    html = page(staff.get("/desk/insights/?days=7&locale=en"))
    gap = html.select_one(".gap")
    assert " ".join(gap.select_one(".gap-summary").get_text().split()) == (
        "학생 할인: 1 search, 1 ticket, no article")
    form = gap.select_one("form.gap-draft")
    assert [(i["name"], i["value"]) for i in form.select("input[type=hidden]")][1:] == [
        ("language", "ko"), ("q", "학생 할인")]


@pytest.mark.parametrize(("query", "field", "message"), [
    ("from=2026-11-20&to=2026-11-10", "from", "reversed"),
    ("from=2026-11-20&to=2999-01-01", "to", "in the future"),
    ("days=500", "days", "at most 400"),
    ("days=7&language=fr", "language", "unknown locale"),
], ids=["reversed", "future", "too-long", "bad-language"])
def test_a_bad_window_is_a_400_that_keeps_what_was_typed(staff, query, field, message):
    response = staff.get(f"/desk/insights/?{query}&locale=en")
    assert response.status_code == 400
    html = page(response)
    assert message in html.select_one("[role=alert]").get_text()
    assert html.select_one(f"#{field}")["aria-invalid"] == "true"
    typed = parse_qs(query)
    if "from" in typed:
        assert html.select_one("#from")["value"] == typed["from"][0]


def test_api_serves_each_report_as_json(staff):
    response = staff.get("/api/desk/insights/search?days=7")
    assert response.status_code == 200
    report = response.get_json()
    assert (report["searches"], report["zero_result_searches"]) == (4, 1)
    daily = staff.get("/api/desk/insights/daily?days=7").get_json()
    assert [d["searches"] for d in daily["daily"]] == [0, 0, 0, 4, 0, 0, 0]


def test_api_bad_window_names_the_field(staff):
    response = staff.get("/api/desk/insights/funnel?from=2026-11-20&to=2026-11-10")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_window" and list(error["fields"]) == ["from"]


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_is_neutralised(cell):
    assert neutralise(cell) == "'" + cell


def test_plain_cells_and_numbers_are_unchanged():
    assert (neutralise("로그인"), neutralise(-3), neutralise(None)) == ("로그인", -3, "")


def test_csv_export_neutralises_formulas_typed_by_customers(staff, insights_app, first):
    with services.database(insights_app).session() as session:
        session.execute(EventRow.__table__.insert(), [{
            "session_id": "d" * 32, "created_at": dt.datetime.combine(first, dt.time(12)),
            "kind": "search", "locale": "en", "query": '=HYPERLINK("http://x.example")',
            "query_key": "hyperlink", "result_count": 0, "is_zero_result": True}])
    response = staff.get("/desk/insights/search.csv?days=7")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["list", "query", "key", "searches"]
    assert ["top_queries", "'=HYPERLINK(\"http://x.example\")", "hyperlink", "1"] == rows[
        [r[1] for r in rows].index("'=HYPERLINK(\"http://x.example\")")][:4]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_articles_csv_carries_the_notes_as_text(staff):
    rows = list(csv.DictReader(io.StringIO(
        staff.get("/desk/insights/articles.csv?days=7").get_data(as_text=True).lstrip("\ufeff"))))
    reset = next(r for r in rows if (r["locale"], r["slug"]) == ("ko", "password-reset"))
    assert reset["missing_comments"] == XSS and reset["views_direct"] == "1"


@pytest.mark.parametrize(("name", "locale", "label"), [
    ("daily", "ko", "일별 검색 수"), ("daily", "en", "Searches, zero-result rate"),
    ("funnel", "ko", "셀프 해결 단계별"), ("funnel", "en", "Deflection funnel")])
def test_plots_are_svg_in_the_pages_language_under_their_own_policy(staff, name, locale, label):
    response = staff.get(f"/desk/insights/plots/{name}.svg?days=7&locale={locale}")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = ElementTree.fromstring(response.get_data())
    title = svg.find(".//{http://purl.org/dc/elements/1.1/}title")
    assert label in title.text
    assert not [e for e in svg.iter() if e.tag.endswith("script") or "on" in " ".join(
        name[:2] for name in e.attrib)]
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'")


def test_a_phrasing_the_article_already_has_is_not_proposed(staff):
    # 로그인안돼요 led S1 to login-trouble, whose question 로그인 안됨 has the same key
    html = page(staff.get("/desk/insights/?days=7&locale=en"))
    assert [row[0] for row in table_rows(html, "phrasings-table")] == ["Nothing to review."]


def test_an_editor_accepts_a_learned_phrasing_with_one_click(staff, insights_app, first):
    from search import query_key

    at = dt.datetime.combine(first, dt.time(15))
    with services.database(insights_app).session() as session:
        session.execute(EventRow.__table__.insert(), [
            {"session_id": "c" * 32, "created_at": at, "kind": "search", "locale": "ko",
             "query": "암호 초기화 방법", "query_key": query_key("암호 초기화 방법", "ko"),
             "slug": None, "rank": None, "result_count": 4, "is_zero_result": False},
            {"session_id": "c" * 32, "created_at": at + dt.timedelta(seconds=5),
             "kind": "click", "locale": "ko", "query": "암호 초기화 방법", "query_key": None,
             "slug": "password-reset", "rank": 1, "result_count": None,
             "is_zero_result": None}])
    html = page(staff.get("/desk/insights/?days=7&locale=en"))
    form = html.select_one("form.decide")
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert (fields["slug"], fields["query"]) == ("password-reset", "암호 초기화 방법")
    response = staff.post(form["action"], data={**fields, "decision": "accepted"})
    assert response.status_code == 303 and response.location.endswith("#phrasings")
    with services.database(insights_app).session() as session:
        [decision] = session.scalars(select(PhrasingDecision)).all()
    assert (decision.slug, decision.query, decision.decision) == (
        "password-reset", "암호 초기화 방법", "accepted")
    after = page(staff.get("/desk/insights/?days=7&locale=en"))
    assert after.select("form.decide") == []
    assert "published as revision 2" in after.select_one("p.notice").text
    # The accepted phrasing is a new, published revision: served and searchable at once.
    with services.database(insights_app).session() as session:
        state = content.read_article(session, "ko", "password-reset")
    assert state.revision == state.published == 2 and "암호 초기화 방법" in state.markdown
    served = services.knowledge_base(insights_app).get("ko", "password-reset")
    assert "암호 초기화 방법" in served.questions


def test_a_decision_without_the_form_token_is_refused(staff):
    response = staff.post("/desk/insights/phrasings", data={
        "locale": "ko", "slug": "login-trouble", "key": "로그인되", "query": "x",
        "decision": "accepted"})
    assert response.status_code == 400


def test_write_an_article_starts_a_draft_with_the_groups_queries(staff, insights_app):
    html = page(staff.get("/desk/insights/?days=7&locale=ko"))
    form = next(f for f in html.select("form.gap-draft") if "학생 할인" in f.parent.text)
    fields = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    assert ("q", "학생 할인") in fields and ("language", "ko") in fields

    response = staff.post(form["action"], data=MultiDict(fields))

    assert response.status_code == 303
    slug = response.location.rsplit("/", 1)[1]
    assert response.location.endswith(f"/desk/articles/ko/{slug}") and slug.startswith("gap-")
    with services.database(insights_app).session() as session:
        draft = content.read_article(session, "ko", slug)
    assert draft.status == "draft" and draft.published is None
    front = yaml.safe_load(draft.markdown.split("---\n")[1])
    assert (front["title"], front["questions"]) == ("학생 할인", ["학생 할인"])
    # The same group again opens the same draft; nothing new is stored.
    again = staff.post(form["action"], data=MultiDict(fields))
    assert again.location == response.location
    with services.database(insights_app).session() as session:
        assert content.read_article(session, "ko", slug).revision == draft.revision


@pytest.mark.parametrize("data", [{"language": "ko"}, {"q": "학생 할인", "language": "fr"},
                                  {"q": "   ", "language": "en"}])
def test_a_draft_without_queries_or_language_is_refused(staff, data):
    html = page(staff.get("/desk/insights/?days=7"))
    token = html.select_one("input[name=csrf_token]")["value"]
    response = staff.post("/desk/insights/draft", data={**data, "csrf_token": token})
    assert response.status_code == 303 and response.location.endswith("/desk/insights/")
    notice = page(staff.get(response.location)).select_one("p.notice").text
    assert notice == "A draft needs the gap's queries and its language."


def test_korean_fonts_installed_after_matplotlib_listed_its_fonts_are_found():
    from matplotlib import font_manager

    from web.insights import plots

    manager = font_manager.FontManager()  # as listed before fonts-noto-cjk was installed:
    manager.ttflist = [entry for entry in manager.ttflist if entry.name not in plots.FONTS]
    plots.add_fonts_installed_later(manager)
    assert "Noto Sans CJK KR" in {entry.name for entry in manager.ttflist}
    added = len(manager.ttflist)
    plots.add_fonts_installed_later(manager)  # known now: nothing is added twice
    assert len(manager.ttflist) == added
