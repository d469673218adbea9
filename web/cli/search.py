"""``deflect index``, ``search``, ``eval`` and ``bench``: thin shells over ``search``."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from web.errors import DeflectError


def register(group: click.Group) -> None:
    """Add the search commands to the ``deflect`` group."""
    for command in (index_command, search_command, eval_command, bench_command):
        group.add_command(command)


def _documents():
    from search.documents import SearchDocument
    from web.services import knowledge_base

    return [SearchDocument.from_article(a) for a in knowledge_base(current_app).articles()]


@click.command("index")
@with_appcontext
@click.option("--rebuild", is_flag=True, help="Build a new generation even if nothing changed.")
@click.option("--processes", default=2, show_default=True,
              help="Processes that analyse the articles.")
def index_command(rebuild: bool, processes: int) -> None:
    """Build the search index from the articles, if they changed since the last build.

    A new generation is written under DATA_DIR/index and swapped in atomically, so a running
    server keeps answering from the old one until the new one is complete.
    """
    from search import Engine

    docs = _documents()
    engine = Engine.open(None, Path(current_app.config["DATA_DIR"]),
                         articles_dir=Path(current_app.config["ARTICLES_DIR"]),
                         processes=processes)
    started = time.perf_counter()
    with click.progressbar(length=2 * len(docs), label="Indexing", file=None) as bar:
        if rebuild:
            engine.rebuild(docs, progress=bar.update)
            built = True
        else:
            built = engine.sync(docs, progress=bar.update)
    by_locale = {}
    for doc in docs:
        by_locale[doc.locale] = by_locale.get(doc.locale, 0) + 1
    counts = ", ".join(f"{n} {locale}" for locale, n in sorted(by_locale.items()))
    took = time.perf_counter() - started
    if built:
        click.echo(f"Indexed {len(docs)} articles ({counts}) in {took:.1f} s.")
    else:
        click.echo(f"The index is up to date: {len(docs)} articles ({counts}).")


@click.command("search")
@with_appcontext
@click.argument("query")
@click.option("--locale", default="ko", show_default=True, type=click.Choice(["ko", "en"]),
              help="Language of the articles to search.")
@click.option("--category", default=None, help="Only this category.")
@click.option("--limit", default=10, show_default=True, help="Number of results.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def search_command(query: str, locale: str, category: str | None, limit: int,
                   as_json: bool) -> None:
    """Search the help center for QUERY, as the search page would."""
    from dataclasses import asdict

    from search import QueryError
    from web.services import search_engine

    try:
        results = search_engine(current_app).search(query, locale=locale, category=category,
                                                    limit=limit)
    except QueryError as error:
        raise DeflectError(str(error)) from error
    if as_json:
        click.echo(json.dumps(asdict(results), ensure_ascii=False, indent=2))
        return
    click.echo(f"{results.total} results for {query!r} ({results.took_ms:.1f} ms)"
               + (" — low confidence" if results.is_low_confidence else ""))
    if results.did_you_mean:
        click.echo(f"Did you mean: {results.did_you_mean}")
    for rank, hit in enumerate(results.hits, start=1):
        click.echo(f"{rank:2}. {hit.title}  [{hit.category}] {hit.url}  {hit.score:.3f}")
    if results.facets:
        click.echo("Categories: " + ", ".join(f"{c} {n}" for c, n in results.facets.items()))


@click.command("eval")
@with_appcontext
@click.argument("dataset", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(["dev", "test"]),
              help="Which queries to run: DATASET's split files (default dev), or for "
                   "--queries the hash split of shared/eval (default all).")
@click.option("--examples", is_flag=True,
              help="Index kb_examples.jsonl texts as each entry's questions.")
@click.option("--queries", "queries_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="A query file to run against the help center's own articles (repeatable; "
                   "rows without relevant slugs are out-of-domain questions).")
@click.option("--tickets", "tickets_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A ticket file (JSON lines: id, text, relevant, lang, split) to run through "
                   "the contact form's article suggestions (R@1, R@3, MRR@10).")
@click.option("--articles", "articles_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Articles folder for --queries and --tickets (default: the configured one).")
@click.option("--rankings", type=click.Path(dir_okay=False, path_type=Path),
              help="Write each query's ranked ids (JSON lines) to this file.")
@click.option("--unanswerable", is_flag=True,
              help="Also run every query without its relevant entries, and report how well "
                   "the confidence tells them apart (auroc, flagged_answerable, "
                   "flagged_unanswerable).")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def eval_command(dataset: Path | None, split: str, examples: bool,
                 queries_files: tuple[Path, ...], tickets_file: Path | None,
                 articles_dir: Path | None, rankings: Path | None, unanswerable: bool,
                 as_json: bool) -> None:
    """Measure search quality on DATASET (shared/eval layout), --queries files or a --tickets
    file."""
    from kb import KnowledgeBase
    from search.documents import SearchDocument
    from search.evaluation import (
        build_engine,
        evaluate,
        judge_all,
        load_dataset,
        load_queries,
        rank_all,
        split_of,
        unanswerable_report,
    )

    if [dataset is not None, bool(queries_files), tickets_file is not None].count(True) != 1:
        raise click.UsageError("give one of DATASET, --queries FILE or --tickets FILE")
    if tickets_file is not None:
        _eval_tickets(tickets_file, articles_dir, split, rankings, as_json)
        return
    folder = None
    try:
        if dataset is not None:
            docs, queries = load_dataset(dataset, split=split or "dev", examples=examples)
        else:
            folder = articles_dir or Path(current_app.config["ARTICLES_DIR"])
            docs = [SearchDocument.from_article(a) for a in KnowledgeBase.load(folder)]
            queries = [q for file in queries_files for q in load_queries(file)]
            if split:
                queries = [q for q in queries if split_of(q.id) == split]
    except FileNotFoundError as error:
        raise DeflectError(f"cannot read {error.filename}: {error.strerror}") from error
    with tempfile.TemporaryDirectory(prefix="deflect-eval-") as scratch:
        engine = build_engine(docs, Path(scratch), articles_dir=folder)
        if unanswerable:
            judged = judge_all(engine, queries)
            by_id = {j.query.id: j.as_is.ranked for j in judged}
            ranked = [by_id.get(q.id, []) for q in queries]
            figures = evaluate([(r, q.relevant) for r, q in zip(ranked, queries, strict=True)
                                if q.relevant]).as_dict()
            figures.update(unanswerable_report(judged, engine.settings.low_confidence))
        else:
            report, ranked = rank_all(engine, queries)
            figures = report.as_dict()
    if rankings:
        with open(rankings, "w", encoding="utf-8") as file:
            for query, ids in zip(queries, ranked, strict=True):
                file.write(json.dumps({"query_id": query.id, "ranked": ids},
                                      ensure_ascii=False) + "\n")
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    for name, value in figures.items():
        click.echo(f"{name:>21}: {value}")


def _eval_tickets(path: Path, articles_dir: Path | None, split: str | None,
                  rankings: Path | None, as_json: bool) -> None:
    """``deflect eval --tickets``: the help center's articles suggested for ticket texts."""
    from kb import KnowledgeBase
    from search.documents import SearchDocument
    from search.evaluation import build_engine, load_tickets, rank_tickets

    folder = articles_dir or Path(current_app.config["ARTICLES_DIR"])
    try:
        tickets = [t for t in load_tickets(path) if split is None or t.split == split]
        docs = [SearchDocument.from_article(a) for a in KnowledgeBase.load(folder)]
    except FileNotFoundError as error:
        raise DeflectError(f"cannot read {error.filename}: {error.strerror}") from error
    except ValueError as error:
        raise DeflectError(str(error)) from error
    with tempfile.TemporaryDirectory(prefix="deflect-eval-") as scratch:
        report, ranked = rank_tickets(build_engine(docs, Path(scratch), articles_dir=folder),
                                      tickets)
    if rankings:
        with open(rankings, "w", encoding="utf-8") as file:
            for ticket, slugs in zip(tickets, ranked, strict=True):
                file.write(json.dumps({"ticket_id": ticket.id, "ranked": slugs},
                                      ensure_ascii=False) + "\n")
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    for name, value in report.items():
        click.echo(f"{name:>9}: {value}")


@click.command("bench")
@with_appcontext
@click.option("--articles", "sizes", multiple=True, type=int,
              help="Corpus size (repeatable; default 1000 and 10000).")
@click.option("--queries", default=1000, show_default=True, help="Queries per measurement.")
@click.option("--no-baselines", is_flag=True, help="Skip the Whoosh-default and TF-IDF runs.")
@click.option("--refreshes", default=3, show_default=True,
              help="One-article refreshes timed, seen by this and a second process (0: none).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_command(sizes: tuple[int, ...], queries: int, no_baselines: bool, refreshes: int,
                  as_json: bool) -> None:
    """Time index build, search, suggest and refresh on synthetic help centers of N articles."""
    from search.bench import format_report, run_bench

    reports = [run_bench(n, queries=queries, baselines=not no_baselines, refreshes=refreshes)
               for n in (sizes or (1000, 10000))]
    if as_json:
        click.echo(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2))
    else:
        for report in reports:
            click.echo(format_report(report))
