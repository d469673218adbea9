"""``deflect bench``: engines timed by turns, and a whole (small) run's report."""

from __future__ import annotations

from search.bench import format_report, run_bench
from search.bench.measure import time_by_turns


def test_engines_take_turns_a_block_at_a_time_each_block_in_a_rotated_order():
    calls = []

    def engine(name):
        return lambda text, locale: calls.append((name, text))

    queries = [(f"q{number}", "en") for number in range(7)]
    samples = time_by_turns({"a": engine("a"), "b": engine("b"), "c": engine("c")}, queries,
                            block=3)

    assert {name: len(times) for name, times in samples.items()} == {"a": 7, "b": 7, "c": 7}
    assert all(time >= 0 for times in samples.values() for time in times)
    turns = [name for index, (name, _) in enumerate(calls)
             if index == 0 or calls[index - 1][0] != name]
    assert turns == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    for name in "abc":
        assert [text for who, text in calls if who == name] == [text for text, _ in queries]


def test_a_small_bench_reports_our_figures_and_the_ratios_to_both_baselines():
    report = run_bench(60, queries=30, refreshes=1)

    ours = report["search"]["p50_ms"]
    assert set(report["baselines"]) == {"whoosh_default", "tfidf"}
    for figures in report["baselines"].values():
        assert figures["p50_ms"] > 0 and figures["build_s"] >= 0
        assert figures["our_p50_ratio"] == round(ours / figures["p50_ms"], 3)
    assert 0 < report["search"]["p50_ms"] <= report["search"]["p99_ms"]
    assert report["refresh"]["rounds"] == 1
    assert report["serving_rss_mb"] >= report["serving_opened_rss_mb"] > 0
    text = format_report(report)
    assert "baseline whoosh_default" in text and "60 articles" in text
