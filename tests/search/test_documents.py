"""What the index holds per article: the analysed streams and the fast bigram view."""

from __future__ import annotations

from kb import KnowledgeBase
from search.analysis import analyze, hangul_bigrams
from search.documents import PHRASES, SearchDocument, analyse_document
from web.config import REPOSITORY


def test_fast_hangul_bigrams_equal_the_analysis_bigram_view_on_the_sample_articles():
    for article in KnowledgeBase.load(REPOSITORY / "articles").articles("ko"):
        for text in (article.title, article.text, *article.questions):
            expected = [t.text for t in analyze(text, "bigram") if "가" <= t.text[0] <= "힣"]
            assert hangul_bigrams(text) == expected, (article.slug, text[:40])


def test_english_article_fills_only_the_m_space():
    streams = analyse_document(SearchDocument("a", "en", "x", "Reset passwords"))
    assert streams["title.m"] == {"reset": 1, "password": 1}
    assert not streams["title.b"]


def test_each_question_is_also_a_phrase_of_its_own():
    doc = SearchDocument("a", "en", "x", "Refunds", questions=("money back", "refund please"))
    phrases = analyse_document(doc)[PHRASES]
    assert len(phrases) == 3 and phrases[1] == {"m:money": 1, "m:back": 1}


def test_digest_changes_with_the_text():
    doc = SearchDocument("a", "en", "x", "Title", text="one")
    assert doc.digest != SearchDocument("a", "en", "x", "Title", text="two").digest
