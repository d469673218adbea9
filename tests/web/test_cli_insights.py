"""``deflect report``, ``deflect prune`` and ``deflect bench-insights`` on the fixture traffic
(figures worked out in ``tests/kb/insights_traffic.py``)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import func, select

from kb.events import EventRow
from tests.kb.insights_traffic import write_traffic
from web import services
from web.cli import cli


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()  # asked per test: a run may cross midnight (UTC)


@pytest.fixture
def traffic_app(app):
    write_traffic(services.database(app), today() - dt.timedelta(days=3))
    return app


def test_report_json_carries_the_documented_figures(traffic_app):
    result = traffic_app.test_cli_runner().invoke(cli, ["report", "--days", "7", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["window"] == {"from": (today() - dt.timedelta(days=6)).isoformat(),
                                 "to": today().isoformat()}
    assert (figures["searches"], figures["zero_result_searches"]) == (4, 1)
    assert figures["top_queries"][0] == {"query": "로그인안돼요", "count": 2}
    assert figures["zero_result_queries"] == [{"query": "학생 할인", "count": 1}]
    assert (figures["article_views"], figures["helpful_votes"], figures["unhelpful_votes"],
            figures["need_help"], figures["tickets"], figures["self_service_score"]) == (
        3, 1, 1, 2, 2, 2.0)


def test_report_for_one_locale_prints_its_figures(traffic_app):
    result = traffic_app.test_cli_runner().invoke(cli, ["report", "--locale", "en"])
    assert result.exit_code == 0, result.output
    lines = dict(re.findall(r"^  (\S.*?) {2,}(\S+)$", result.output, flags=re.MULTILINE))
    assert lines["searches"] == "1" and lines["tickets"] == "1"
    assert "reset password" in result.output


def test_report_longer_than_the_retention_is_refused(app):
    app.config["EVENT_RETENTION_DAYS"] = 30
    result = app.test_cli_runner().invoke(cli, ["report", "--days", "90"])
    assert result.exit_code == 1
    assert "--days: the window is 90 days long; events are kept 30 days" in result.output


def test_prune_rolls_up_then_deletes_old_events(traffic_app):
    traffic_app.config["EVENT_RETENTION_DAYS"] = 1
    result = traffic_app.test_cli_runner().invoke(cli, ["prune"])
    assert result.exit_code == 0, result.output
    assert f"deleted 22 events before {today()}" in result.output
    with services.database(traffic_app).session() as session:
        assert session.scalar(select(func.count()).select_from(EventRow)) == 0
    traffic_app.config["EVENT_RETENTION_DAYS"] = 30
    report = traffic_app.test_cli_runner().invoke(cli, ["report", "--days", "7", "--json"])
    assert json.loads(report.output)["searches"] == 4


def test_a_bad_retention_setting_is_named(traffic_app):
    traffic_app.config["EVENT_RETENTION_DAYS"] = "forever"
    result = traffic_app.test_cli_runner().invoke(cli, ["prune"])
    assert result.exit_code == 1 and "DEFLECT_EVENT_RETENTION_DAYS" in result.output


def test_bench_insights_writes_the_events_asked_for_and_times_every_report(app):
    result = app.test_cli_runner().invoke(cli, ["bench-insights", "--events", "3000",
                                                "--days", "7", "--json"])
    assert result.exit_code == 0, result.output
    measured = json.loads(result.output)
    assert measured["events"] == 3000
    assert {(t["name"], t["days"]) for t in measured["timings"]} == {("roll-up", 7)} | {
        (name, days) for name in ("search", "articles", "funnel", "daily", "summary")
        for days in (7, 30, 90)}
