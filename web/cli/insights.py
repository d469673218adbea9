"""``deflect report``, ``deflect prune`` and ``deflect bench-insights``: the insights in a
terminal, retention, and the benchmark of the reports over many events."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from kb import Database, insights, schema
from kb.errors import InvalidWindow
from kb.events import EventRow
from web import services
from web.errors import DeflectError


def retention_days() -> int:
    """``EVENT_RETENTION_DAYS`` of the app's config, checked."""
    value = current_app.config.get("EVENT_RETENTION_DAYS") or insights.DEFAULT_RETENTION_DAYS
    if not isinstance(value, int) or value < 1:
        raise DeflectError(f"DEFLECT_EVENT_RETENTION_DAYS must be a whole number of days "
                           f"(1 or more), not {value!r}")
    return value


@click.command("report")
@click.option("--days", default=insights.window.DEFAULT_DAYS, show_default=True,
              type=click.IntRange(1), help="Days ending today (UTC) to report on.")
@click.option("--locale", type=click.Choice(["ko", "en"]), help="Only this locale.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@with_appcontext
def report_command(days: int, locale: str | None, as_json: bool) -> None:
    """Print the headline insights: searches, queries, articles, tickets, deflection."""
    today = insights.rollups.utc_now().date()
    try:
        window = insights.parse_window(days=days, today=today, retention_days=retention_days())
    except InvalidWindow as error:
        raise DeflectError(f"--days: {error}") from error
    figures = insights.summary(services.database(current_app), window, locale=locale)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"{figures['window']['from']} .. {figures['window']['to']} "
               f"({locale or 'all locales'})")
    for label, key in (("searches", "searches"), ("distinct queries", "distinct_queries"),
                       ("zero-result searches", "zero_result_searches"),
                       ("zero-result rate", "zero_result_rate"),
                       ("click-through rate", "click_through_rate"),
                       ("article views", "article_views"), ("helpful votes", "helpful_votes"),
                       ("unhelpful votes", "unhelpful_votes"),
                       ('"still need help"', "need_help"), ("tickets", "tickets"),
                       ("sessions", "sessions"), ("self-service score", "self_service_score"),
                       ("stage-1 deflection", "stage1_deflection_rate"),
                       ("stage-2 deflection", "stage2_deflection_rate")):
        value = figures[key]
        click.echo(f"  {label:<22} {'-' if value is None else value}")
    for title, key in (("top queries", "top_queries"),
                       ("zero-result queries", "zero_result_queries")):
        click.echo(f"{title}:")
        for item in figures[key] or [{"query": "(none)", "count": ""}]:
            click.echo(f"  {item['count']:>6}  {item['query']}")


@click.command("prune")
@with_appcontext
def prune_command() -> None:
    """Roll up, then delete, raw events older than DEFLECT_EVENT_RETENTION_DAYS."""
    pruned = insights.prune(services.database(current_app), retention_days=retention_days())
    click.echo(f"rolled up {pruned.rolled_days} days; deleted {pruned.deleted} events "
               f"before {pruned.kept_from}")


@click.command("bench-insights")
@click.option("--events", default=100_000, show_default=True, type=click.IntRange(1),
              help="Synthetic events to generate.")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 400),
              help="Days the events are spread over.")
@click.option("--database-url", help="A throw-away database to fill (default: a temporary "
                                     "SQLite file); never the live one.")
@click.option("--json", "as_json", is_flag=True, help="Print the timings as JSON.")
def bench_insights_command(events: int, days: int, database_url: str | None,
                           as_json: bool) -> None:
    """Generate EVENTS synthetic events, roll them up and time every report."""
    from kb.insights import bench

    with tempfile.TemporaryDirectory(prefix="deflect-bench-insights-") as folder:
        database = Database(database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        schema.upgrade(database)
        if database_url:
            with database.session() as session:
                if session.scalar(select(EventRow.id).limit(1)) is not None:
                    raise DeflectError(f"{database_url} already holds events: give an empty, "
                                       "throw-away database")
        now = insights.rollups.utc_now()
        started = dt.datetime.now()
        written = bench.generate_events(database, events, days=days, now=now)
        generated = (dt.datetime.now() - started).total_seconds()
        timings = bench.run_bench(database, days=days, now=now)
        database.engine.dispose()
    if as_json:
        click.echo(json.dumps({"events": written, "generate_seconds": round(generated, 2),
                               "timings": [t.__dict__ for t in timings]}, indent=2))
        return
    click.echo(f"{written} events over {days} days written in {generated:.1f} s "
               f"({written / generated:,.0f}/s) on {database.engine.dialect.name}")
    for timing in timings:
        click.echo(f"  {timing.name:<10} {timing.days:>3} days  {timing.seconds * 1000:8.1f} ms"
                   f"  (CPU {timing.cpu_seconds * 1000:.1f} ms)")
