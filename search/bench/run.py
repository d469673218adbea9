"""Running the bench: build, time search and suggest, measure a fresh serving process, time
refreshes seen by a second process, and time the baselines on the same corpus and queries."""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from search.bench.corpus import generate_articles, generate_prefixes, generate_queries
from search.bench.measure import (
    current_rss_mb,
    folder_mb,
    peak_rss_mb,
    percentiles,
    time_each,
)
from search.documents import SearchDocument

REFRESH_WORDS = ("quokka", "axolotl", "pangolin", "narwhal", "okapi")
"""Words no synthetic article holds: one is added to a title per timed refresh."""
REFRESH_POLL_S = 0.01
"""How often the second process searches for the refreshed article."""


def run_bench(articles: int, *, queries: int = 1000, baselines: bool = True,
              processes: int = 2, refreshes: int = 3,
              progress: Callable[[str], None] | None = None) -> dict:
    """Build an index of ``articles`` synthetic articles and time search, suggest and
    ``refreshes`` one-article refreshes (0 skips them)."""
    from search import meaning
    from search.engine import Engine

    say = progress or (lambda message: None)
    docs = generate_articles(articles)
    query_set = generate_queries(queries)
    warm_up = generate_queries(100, seed=99)
    scratch = Path(tempfile.mkdtemp(prefix="deflect-bench-"))
    try:
        engine = Engine.open(None, scratch, processes=processes, cache_size=0)
        say(f"building {articles} articles")
        started = time.perf_counter()
        engine.rebuild(docs)
        build_s = time.perf_counter() - started
        generation = engine.store.current()

        def search(text, locale):
            meaning.forget_query_vectors()  # the synthetic queries repeat: encode each time
            return engine.search(text, locale=locale)

        def suggest(text, locale):
            return engine.suggest(text, locale=locale)

        for text, locale in warm_up:
            search(text, locale)
            suggest(text[:3], locale)
        say("timing search and suggest")
        search_ms = time_each(search, query_set)
        suggest_ms = time_each(suggest, generate_prefixes(query_set))
        own, children = peak_rss_mb()
        say("measuring a fresh serving process")
        opened, serving = _fresh_process_rss(engine.store.root, queries)
        report = {
            "articles": articles, "build_s": round(build_s, 1),
            "index_mb": folder_mb(generation.path), "peak_rss_mb": own,
            "peak_rss_children_mb": children, "serving_opened_rss_mb": opened,
            "serving_rss_mb": serving,
            "search": percentiles(search_ms), "suggest": percentiles(suggest_ms),
            "baselines": {},
        }
        if refreshes:
            say("timing refreshes")
            report["refresh"] = _refresh_figures(engine, docs, refreshes)
        if baselines:
            say("timing the baselines")
            report["baselines"]["whoosh_default"] = _whoosh_default(docs, query_set, warm_up,
                                                                    scratch / "plain")
            report["baselines"]["tfidf"] = _tfidf_alone(docs, query_set, warm_up)
            for figures in report["baselines"].values():
                figures["our_p50_ratio"] = round(report["search"]["p50_ms"]
                                                 / max(figures["p50_ms"], 1e-6), 3)
        return report
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _fresh_process_rss(root: Path, queries: int) -> tuple[float, float]:
    """Return the resident memory of a new process (not forked from this one, which holds the
    corpus and the build's leftovers) after it opened the index, and after it answered the
    query set: what one server process holds."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve_queries, args=(root, queries, theirs), daemon=True)
    process.start()
    try:
        return ours.recv()
    finally:
        process.join(timeout=30)


def _serve_queries(root: Path, queries: int, connection) -> None:
    from search.engine import Engine

    engine = Engine.open(None, root.parent, processes=1)
    if not engine.documents:  # opens the live generation
        raise RuntimeError(f"no documents in the index under {root}")
    opened = current_rss_mb()
    for text, locale in generate_queries(queries):
        engine.search(text, locale=locale)
    connection.send((opened, current_rss_mb()))


def _refresh_figures(engine, docs: Sequence[SearchDocument], rounds: int) -> dict:
    """Refresh ``rounds`` English articles (a new word in each title) and return the median
    seconds until the saving process and a second process find them, the slowest second
    process, and the median duration of the second process's search that found the change
    (the one that reopened the index)."""
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    watcher = context.Process(target=_watch_refreshes, args=(engine.store.root, theirs),
                              daemon=True)
    watcher.start()
    english = [doc for doc in docs if doc.locale == "en"]
    saving, other, first = [], [], []
    try:
        ours.recv()  # the second process has opened the index
        for number in range(rounds):
            doc = english[(number * 7919) % len(english)]
            word = REFRESH_WORDS[number % len(REFRESH_WORDS)]
            ours.send((word, doc.slug))
            ours.recv()  # it is searching, and does not find the word yet
            started = time.monotonic()
            engine.refresh(replace(doc, title=f"{doc.title} {word}"))
            hits = engine.search(word, locale="en").hits
            saving.append(time.monotonic() - started)
            if not hits or hits[0].slug != doc.slug:
                raise RuntimeError(f"the refreshed article {doc.slug} is not found by {word!r}")
            found_at, took = ours.recv()
            other.append(found_at - started)
            first.append(took)
            time.sleep(1.0)  # let both processes settle (the keystroke vocabulary)
    finally:
        ours.send(None)
        watcher.join(timeout=10)
        if watcher.is_alive():
            watcher.terminate()
    return {"rounds": rounds, "saving_process_s": round(float(np.median(saving)), 3),
            "other_process_s": round(float(np.median(other)), 3),
            "other_process_max_s": round(max(other), 3),
            "other_first_search_s": round(float(np.median(first)), 3)}


def _watch_refreshes(root: Path, connection) -> None:
    """The second process: open the index, then for each ``(word, slug)`` received search
    for the word until ``slug`` is found, and send back when (``time.monotonic``, which is
    system-wide) and how long that search took."""
    from search.engine import Engine

    engine = Engine.open(None, root.parent, processes=1)
    engine.search("password", locale="en")
    connection.send("ready")
    while (message := connection.recv()) is not None:
        word, slug = message
        if slug in [hit.slug for hit in engine.search(word, locale="en").hits]:
            raise RuntimeError(f"{word!r} finds {slug} before the refresh")
        connection.send("searching")
        while True:
            started = time.monotonic()
            hits = engine.search(word, locale="en").hits
            finished = time.monotonic()
            if slug in [hit.slug for hit in hits]:
                connection.send((finished, finished - started))
                break
            time.sleep(REFRESH_POLL_S)


def _whoosh_default(docs, queries, warm_up, folder: Path) -> dict:
    from search.index import plain_whoosh

    build_s, search = plain_whoosh(docs, folder)
    for text, locale in warm_up:
        search(text, locale)
    figures = percentiles(time_each(search, queries))
    figures["build_s"] = round(build_s, 1)
    return figures


def _tfidf_alone(docs, queries, warm_up) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from search.ranking import top_indices

    started = time.perf_counter()
    vectorizer = TfidfVectorizer()
    by_term = vectorizer.fit_transform([f"{d.title} {d.text}" for d in docs]).T.tocsr()
    locales = np.array([d.locale for d in docs])
    build_s = time.perf_counter() - started

    def search(text, locale):
        query = vectorizer.transform([text])
        scores = np.asarray((query @ by_term).todense()).ravel()
        return top_indices(np.where(locales == locale, scores, 0), 10)

    for text, locale in warm_up:
        search(text, locale)
    figures = percentiles(time_each(search, queries))
    figures["build_s"] = round(build_s, 1)
    return figures
