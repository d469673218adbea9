"""BM25F scoring over the postings: one term scored as it is, more summed per document."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from search.documents import analyse_document
from search.postings import KeywordScorer, TermMatrix
from tests.search.conftest import make_doc

DOCS = [
    make_doc("card", "Card arrival", text="My card has not arrived. Card delivery takes days."),
    make_doc("pin", "Change PIN", text="Change the PIN of your card at any cash machine."),
    make_doc("refund", "Refund", text="A refund reaches your card in five days."),
    make_doc("login", "로그인이 안 돼요", locale="ko", text="비밀번호를 바꾸면 로그인이 됩니다."),
    make_doc("pay", "결제 실패", locale="ko", text="카드 결제가 실패하면 다시 시도하세요."),
]


@pytest.fixture(scope="module")
def scorer():
    return KeywordScorer(TermMatrix.from_analysed(analyse_document(d) for d in DOCS))


@pytest.mark.parametrize("weight", [1.0, 0.8, 0.35])
def test_one_term_scores_what_it_scores_among_others(scorer, weight):
    """A lone term takes a shorter path than a query of several; where a document holds no
    other term, both must give the same float32 score, bit for bit."""
    ids = sorted(scorer.vocabulary.values())
    assert len(ids) > 20
    for first, second in itertools.permutations(ids[:24], 2):
        alone, matched = scorer.score([(first, weight)])
        together, _ = scorer.score([(first, weight), (second, 0.5)])
        others, _ = scorer.score([(second, 0.5)])
        without_second = others == 0
        assert alone.dtype == together.dtype == np.float32
        assert np.array_equal(alone[without_second], together[without_second])
        # a lone term's documents match all of the query
        assert set(np.unique(matched)) <= {0.0, 1.0}
        assert np.array_equal(matched > 0, alone > 0)


def test_no_terms_score_nothing(scorer):
    scores, matched = scorer.score([])
    assert scores.dtype == matched.dtype == np.float32
    assert not scores.any() and not matched.any()
    assert scores.shape == (len(DOCS),)
