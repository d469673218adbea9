"""Fusion of the keyword and similarity legs."""

from __future__ import annotations

import numpy as np

from search.ranking import SORTED_BELOW, Fusion, fuse, top_indices


def test_top_indices_orders_positive_scores_best_first():
    scores = np.array([0.0, 0.5, 2.0, 0.1, 0.0], dtype=np.float32)
    assert top_indices(scores, 10).tolist() == [2, 1, 3]


def test_top_indices_cuts_at_limit():
    scores = np.array([3.0, 1.0, 2.0], dtype=np.float32)
    assert top_indices(scores, 2).tolist() == [0, 2]


def test_top_indices_orders_equal_scores_by_index_even_at_the_cut():
    scores = np.array([0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 1.0], dtype=np.float32)
    assert top_indices(scores, 3).tolist() == [2, 1, 3]
    assert top_indices(scores, 10).tolist() == [2, 1, 3, 5, 6]


def test_top_indices_sorts_or_partitions_to_the_same_order():
    # few positive scores are sorted, many partitioned first: both orders equal ties by index
    rng = np.random.default_rng(5)
    for positives in (SORTED_BELOW // 2, SORTED_BELOW, SORTED_BELOW + 1, 4 * SORTED_BELOW):
        scores = np.zeros(8 * SORTED_BELOW, dtype=np.float32)
        rows = rng.choice(scores.size, positives, replace=False)
        scores[rows] = rng.integers(1, 20, positives)  # many equal scores, also at the cut
        expected = [row for row in np.argsort(-scores, kind="stable") if scores[row] > 0]
        for limit in (1, 10, 100, positives):
            assert top_indices(scores, limit).tolist() == expected[:limit]


def test_top_indices_of_no_match_is_empty():
    assert top_indices(np.zeros(4, dtype=np.float32), 3).tolist() == []


def test_convex_fusion_lets_similarity_break_a_keyword_tie():
    keyword = np.array([1.0, 1.0, 0.0], dtype=np.float32)
    similarity = np.array([0.2, 0.9, 0.0], dtype=np.float32)
    fused = fuse(keyword, similarity, np.ones(3, dtype=bool), Fusion("convex", 0.3))
    assert top_indices(fused, 3).tolist() == [1, 0]


def test_fusion_zeroes_masked_documents():
    keyword = np.array([1.0, 2.0], dtype=np.float32)
    fused = fuse(keyword, keyword, np.array([True, False]), Fusion("convex", 0.3))
    assert fused.tolist()[1] == 0


def test_rrf_ranks_a_document_both_legs_like_first():
    keyword = np.array([3.0, 2.0, 1.0], dtype=np.float32)
    similarity = np.array([0.1, 0.9, 0.5], dtype=np.float32)
    fused = fuse(keyword, similarity, np.ones(3, dtype=bool), Fusion("rrf", 1.0))
    assert top_indices(fused, 1).tolist() == [1]


def test_alpha_zero_is_the_keyword_leg_alone():
    keyword = np.array([1.0, 3.0], dtype=np.float32)
    similarity = np.array([5.0, 0.0], dtype=np.float32)
    fused = fuse(keyword, similarity, np.ones(2, dtype=bool), Fusion("convex", 0.0))
    assert fused.tolist() == [1.0, 3.0]
