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
    weights.save(tmp_path / "copy.npz")
    copy = TfidfWeights.load(tmp_path / "copy.npz")
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
