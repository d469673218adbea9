"""Retrieval metrics on hand-computed cases, and data set loading."""

from __future__ import annotations

import json
import math

import pytest

from search.evaluation import evaluate, load_dataset, ndcg_at, recall_at, reciprocal_rank


@pytest.mark.parametrize(("ranked", "k", "expected"), [
    (["a", "b", "c"], 1, 0.0), (["a", "b", "c"], 2, 1.0), ([], 5, 0.0), (["b"], 1, 1.0),
], ids=["below-k", "at-k", "empty", "first"])
def test_recall_at_k(ranked, k, expected):
    assert recall_at(ranked, {"b"}, k) == expected


def test_reciprocal_rank_uses_the_first_relevant():
    assert reciprocal_rank(["x", "y", "a", "b"], {"a", "b"}) == pytest.approx(1 / 3)


def test_reciprocal_rank_ignores_ranks_after_10():
    assert reciprocal_rank([str(i) for i in range(11)] + ["a"], {"a"}) == 0.0


def test_ndcg_of_a_perfect_ranking_is_one():
    assert ndcg_at(["a", "b", "x"], {"a", "b"}) == pytest.approx(1.0)


def test_ndcg_with_relevant_at_ranks_2_and_3():
    expected = (1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at(["x", "a", "b"], {"a", "b"}) == pytest.approx(expected)


def test_evaluate_averages_over_queries_and_counts_zero_results():
    report = evaluate([(["a", "b"], ["a"]), (["x", "b"], ["b"]), ([], ["c"]), (["z"], ["y"])])
    assert report.queries == 4
    assert report.recall_at_1 == pytest.approx(0.25)
    assert report.recall_at_5 == pytest.approx(0.5)
    assert report.mrr_at_10 == pytest.approx((1 + 0.5) / 4)
    assert report.zero_result_rate == pytest.approx(0.25)


def test_report_json_keys_are_the_documented_ones():
    keys = set(evaluate([(["a"], ["a"])]).as_dict())
    assert keys == {"queries", "recall@1", "recall@5", "mrr@10", "ndcg@10", "zero_result_rate"}


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def test_load_dataset_with_examples_fills_questions(tmp_path):
    _write_jsonl(tmp_path / "kb.jsonl", [{"id": "k1", "title": "Card arrival", "body": "",
                                           "category": "cards", "lang": "en"}])
    _write_jsonl(tmp_path / "kb_examples.jsonl", [{"kb_id": "k1", "text": "Where is my card?"}])
    _write_jsonl(tmp_path / "queries.dev.jsonl", [{"id": "q1", "query": "card not here",
                                                    "relevant": ["k1"], "lang": "en"}])
    docs, queries = load_dataset(tmp_path, split="dev", examples=True)
    assert docs[0].questions == ("Where is my card?",)
    assert queries[0].relevant == ("k1",)


def test_auroc_counts_pairs_ranked_right_and_ties_as_half():
    from search.evaluation import auroc

    assert auroc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auroc([0.1], [0.9]) == 0.0
    assert auroc([0.9, 0.8], [0.1, 0.8]) == 0.875
    assert auroc([], [0.3]) == 0.5
