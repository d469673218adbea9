"""``deflect bench``: a whole (small) run's report."""

from __future__ import annotations

from search.bench import format_report, run_bench


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
