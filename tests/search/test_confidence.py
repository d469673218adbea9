"""Confidence (``search.confidence``) and the tail cut (``search.ranking.cut_tail``): the
signals on a tiny index, the flag, and which weak matches are cut."""

from __future__ import annotations

import numpy as np
import pytest

from search import Engine, Settings
from search.confidence import (
    FEATURES,
    NOTHING,
    THRESHOLD,
    Signals,
    estimate,
    is_low,
    known_share,
    measure,
)
from search.index import IndexStore
from search.ranking import Tail, cut_tail
from tests.search.conftest import _TINY


@pytest.fixture(scope="module")
def tiny_engine(tmp_path_factory):
    engine = Engine(IndexStore(tmp_path_factory.mktemp("tiny") / "index"), processes=1)
    engine.sync(list(_TINY))
    return engine


def test_known_share_counts_only_the_query_s_own_terms():
    terms = [("m:pizza", 1.0), ("m:order", 1.0), ("m:ordr", 0.6)]
    assert known_share(terms, {"m:order": 0, "m:ordr": 1}) == 0.5
    assert known_share([], {"m:order": 0}) == 0.0


def test_measure_reads_the_top_row_before_normalisation():
    fused = np.array([0.2, 1.0, 0.5, 0.0], dtype=np.float32)
    signals = measure(
        fused, keyword=np.array([1.0, 4.0, 2.0, 0.0]), keyword_bound=8.0,
        coverage=np.array([0.5, 0.75, 0.5, 0.0]), similarity=np.array([0.1, 0.6, 0.3, 0.0]),
        phrases=np.array([0.0, 0.9, 0.2, 0.0]),
        meaning=(np.array([1, 2]), np.array([0.7, 0.4])), known=1.0, is_corrected=True)
    assert signals == Signals(keyword=0.5, coverage=0.75, similarity=pytest.approx(0.6),
                              phrase=pytest.approx(0.9), meaning=pytest.approx(0.7),
                              margin=0.5, meaning_margin=pytest.approx(0.3), known=1.0,
                              corrected=1.0)


@pytest.mark.parametrize(("fused", "margin"), [
    ([0.0, 0.8, 0.3, 0.8], 0.0),   # a tie at the top: no margin, the first row is read
    ([0.0, 0.0, 0.6, 0.0], 1.0),   # one match: nothing to beat
    ([0.9, 0.0, 0.3, 0.45], 0.5),  # the runner-up after the top row
    ([0.2, 0.0, 0.3, 0.4], 0.25),  # ... and before it
])
def test_margin_is_the_share_the_runner_up_is_behind(fused, margin):
    fused = np.array(fused, dtype=np.float32)
    keyword = np.arange(1.0, 5.0)
    signals = measure(fused, keyword=keyword, keyword_bound=4.0, coverage=fused,
                      similarity=fused, phrases=None, meaning=None, known=1.0,
                      is_corrected=False)
    assert signals.margin == pytest.approx(margin)
    assert signals.keyword == keyword[int(np.argmax(fused))] / 4.0


def test_measure_of_no_match_is_nothing():
    empty = np.zeros(3, dtype=np.float32)
    assert measure(empty, keyword=empty, keyword_bound=0.0, coverage=empty, similarity=empty,
                   phrases=None, meaning=None, known=0.0, is_corrected=False) is NOTHING


def test_estimate_is_a_probability_that_grows_with_the_evidence():
    weak = Signals(0.1, 0.3, 0.05, 0.05, 0.1, 0.0, -0.1, 0.5, 0.0)
    strong = Signals(0.8, 1.0, 0.6, 0.9, 0.8, 0.6, 0.2, 1.0, 0.0)
    assert 0.0 < estimate(weak) < estimate(strong) < 1.0
    assert is_low(estimate(weak)) and not is_low(estimate(strong))
    assert len(FEATURES) == len(weak.vector()) == 9


def test_exact_title_is_confident_and_a_question_of_unknown_words_less(tiny_engine):
    sure = tiny_engine.judge("Reset your password", locale="en")
    unsure = tiny_engine.judge("where can I park my bicycle", locale="en")
    assert sure.ranked[0] == "reset-password" and sure.signals.known == 1.0
    assert sure.confidence >= THRESHOLD
    assert unsure.signals.known < 0.5 and unsure.signals.similarity < sure.signals.similarity
    assert unsure.confidence < sure.confidence


def test_search_results_carry_the_confidence_and_the_flag(tiny_engine):
    results = tiny_engine.search("환불 신청 방법", locale="ko")
    assert results.hits[0].slug == "refund"
    assert results.confidence == pytest.approx(
        tiny_engine.judge("환불 신청 방법", locale="ko").confidence)
    assert results.is_low_confidence is (results.confidence < THRESHOLD)


def test_no_match_has_zero_confidence_and_is_flagged(tiny_engine):
    results = tiny_engine.search("xylophone", locale="en")
    assert results.hits == [] and results.confidence == 0.0 and results.is_low_confidence


def test_excluded_entries_are_searched_as_if_not_indexed(tiny_engine):
    judged = tiny_engine.judge("Reset your password", locale="en", exclude=["reset-password"])
    assert "reset-password" not in judged.ranked
    assert judged.confidence < tiny_engine.judge("Reset your password", locale="en").confidence


def test_cut_tail_drops_weak_and_barely_matching_rows_and_keeps_the_best():
    fused = np.array([1.0, 0.5, 0.2, 0.0, 0.6], dtype=np.float32)
    coverage = np.array([0.2, 0.8, 0.9, 0.0, 0.1], dtype=np.float32)
    kept = cut_tail(fused, coverage, Tail(relative=0.3, coverage=0.3))
    assert kept.tolist() == [1.0, 0.5, 0.0, 0.0, 0.0]
    assert cut_tail(fused, coverage, Tail()) is fused


def test_the_tail_cut_changes_total_but_not_the_order(tiny_engine):
    loose = Engine(tiny_engine.store, settings=Settings(tail=Tail()))
    strict = Engine(tiny_engine.store, settings=Settings(tail=Tail(relative=0.99)))
    everything = loose.search("refund password account", locale="en")
    cut = strict.search("refund password account", locale="en")
    assert everything.total > 1 and cut.total == 1
    assert cut.hits[0].slug == everything.hits[0].slug
    assert sum(cut.facets.values()) == cut.total
