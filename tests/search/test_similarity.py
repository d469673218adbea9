"""The TF-IDF leg: related articles, text-to-article suggestions, near-duplicates."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from search import Engine
from search.documents import SearchDocument
from search.index import IndexStore
from search.similarity import TfidfWeights
from web.config import REPOSITORY


@pytest.fixture
def engine(tmp_path):
    docs = [
        SearchDocument("reset-password", "en", "account", "Reset your password",
                       ("I forgot my password",), text="Reset the password from settings.",
                       related=("refund",)),
        SearchDocument("change-password", "en", "account", "Change your password",
                       ("new password",), text="Change the password from settings."),
        SearchDocument("refund", "en", "payment", "Ask for a refund", ("money back",),
                       text="Refunds take five days."),
        SearchDocument("reset-password-copy", "en", "account", "Reset your password",
                       ("I forgot my password",), text="Reset the password from settings."),
    ]
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(docs)
    return engine


def test_related_puts_editor_links_first_then_similar_articles(engine):
    slugs = [hit.slug for hit in engine.related("reset-password", locale="en", limit=3)]
    assert slugs == ["refund", "reset-password-copy", "change-password"]


def test_related_of_an_unknown_slug_is_empty(engine):
    assert engine.related("nope", locale="en") == []


def test_similar_to_text_finds_the_article_a_ticket_is_about(engine):
    hits = engine.similar_to_text("I want my money back, please refund me", locale="en")
    assert hits[0].slug == "refund"


def test_similar_to_empty_text_is_empty(engine):
    assert engine.similar_to_text("   ", locale="en") == []


def test_near_duplicates_pairs_identical_articles(engine):
    pairs = engine.near_duplicates(locale="en", threshold=0.95)
    assert [(a, b) for a, b, _ in pairs] == [("reset-password", "reset-password-copy")]


def test_tfidf_weights_round_trip(engine, tmp_path):
    weights = engine.store.current().tfidf()
    weights.save(tmp_path / "copy")
    copy = TfidfWeights.load(tmp_path / "copy")
    assert (copy.articles != weights.articles).nnz == 0
    assert (copy.phrases != weights.phrases).nnz == 0
    assert np.array_equal(copy.article_idf, weights.article_idf)
    assert np.array_equal(copy.phrase_idf, weights.phrase_idf)


def test_saved_weights_are_what_scikit_learn_fits(engine):
    generation = engine.store.current()
    fitted = TfidfWeights.fit(generation.terms())
    assert np.allclose(generation.tfidf().articles.toarray(), fitted.articles.toarray())


def test_a_serving_process_never_imports_scikit_learn(engine):
    """Its import alone holds ~70 MB of every worker; the weights come from the index."""
    script = (
        "import sys\n"
        "from search import Engine\n"
        "from search.index import IndexStore\n"
        f"engine = Engine(IndexStore({str(engine.store.root)!r}))\n"
        "assert engine.search('forgot password', locale='en').hits\n"
        "assert engine.related('reset-password', locale='en')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn'))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=REPOSITORY, timeout=120, check=True)
    assert result.stdout.strip() == "[]"


def test_related_and_near_duplicates_read_the_cosines_of_the_tfidf_vectors(engine):
    snap = engine._snapshot()
    rows = [snap.rows[("en", slug)] for slug in ("reset-password", "reset-password-copy")]
    cosine = snap.similarity.similar_to_row(rows[0])
    assert cosine[rows[0]] == pytest.approx(1.0) and cosine[rows[1]] == pytest.approx(1.0)
    change = snap.rows[("en", "change-password")]
    refund = snap.rows[("en", "refund")]
    assert 0 < cosine[change] < 1 and cosine[refund] < cosine[change]
    pairs = snap.similarity.near_duplicates(sorted(snap.rows.values()), threshold=0.95)
    assert [(a, b) for a, b, _ in pairs] == [tuple(sorted(rows))]


def test_the_phrase_leg_scores_an_article_by_its_best_phrasing(engine):
    snap = engine._snapshot()
    phrases = snap.phrases
    terms = [("m:forgot", 1.0), ("m:password", 1.0), ("m:refund", 0.5)]
    ids = [phrases.vocabulary[t] for t, _ in terms]
    query = np.array([w * phrases._idf[i] for (_, w), i in zip(terms, ids, strict=True)])
    per_phrase = (query / np.linalg.norm(query)) @ phrases._by_term[ids].toarray()
    expected = [max((per_phrase[p] for p in np.flatnonzero(phrases.phrase_doc == row)),
                    default=0.0) for row in range(phrases.size)]
    assert phrases.score(terms) == pytest.approx(np.array(expected), abs=1e-6)
    assert phrases.score(terms)[snap.rows[("en", "reset-password")]] > 0
