"""``deflect index``, ``search`` and ``eval`` run for real on the sample articles and tiny data."""

from __future__ import annotations

import json

import pytest

from web.cli import cli


@pytest.fixture
def indexed_runner(app):
    runner = app.test_cli_runner()
    result = runner.invoke(cli, args=["index"])
    assert result.exit_code == 0, result.output
    return runner


def test_index_reports_counts_and_time(app):
    result = app.test_cli_runner().invoke(cli, args=["index"])
    assert result.exit_code == 0, result.output
    assert "Indexed" in result.output and " ko" in result.output and " en" in result.output


def test_index_twice_says_up_to_date(indexed_runner):
    result = indexed_runner.invoke(cli, args=["index"])
    assert result.exit_code == 0
    assert "up to date" in result.output


def test_search_prints_ranked_titles(indexed_runner):
    result = indexed_runner.invoke(cli, args=["search", "비밀번호 재설정", "--locale", "ko"])
    assert result.exit_code == 0, result.output
    assert "/ko/articles/password-reset" in result.output.splitlines()[1]


def test_search_json_has_the_results_shape(indexed_runner):
    result = indexed_runner.invoke(cli, args=["search", "refund", "--locale", "en", "--json",
                                              "--limit", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"query", "hits", "total", "facets", "did_you_mean",
                         "is_low_confidence", "took_ms", "confidence"}
    assert len(data["hits"]) == 3 and data["hits"][0]["slug"].startswith("refund")


def test_search_with_empty_query_fails_cleanly(indexed_runner):
    result = indexed_runner.invoke(cli, args=["search", "  "])
    assert result.exit_code == 1
    assert "empty" in result.output and "Traceback" not in result.output


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def test_eval_on_a_dataset_prints_metrics_json_and_rankings(app, tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    _write_jsonl(folder / "kb.jsonl", [
        {"id": "a", "title": "Reset your password", "body": "", "category": "x", "lang": "en"},
        {"id": "b", "title": "Ask for a refund", "body": "", "category": "x", "lang": "en"}])
    _write_jsonl(folder / "queries.test.jsonl", [
        {"id": "q1", "query": "forgot password", "relevant": ["a"], "lang": "en"},
        {"id": "q2", "query": "money back refund", "relevant": ["b"], "lang": "en"}])
    rankings = tmp_path / "rankings.jsonl"
    result = app.test_cli_runner().invoke(cli, args=["eval", str(folder), "--split", "test",
                                                     "--json", "--rankings", str(rankings)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["recall@1"] == 1.0
    first = json.loads(rankings.read_text(encoding="utf-8").splitlines()[0])
    assert first == {"query_id": "q1", "ranked": ["a"]}


def test_eval_without_a_dataset_or_queries_is_a_usage_error(app):
    result = app.test_cli_runner().invoke(cli, args=["eval"])
    assert result.exit_code == 2


def test_eval_on_a_missing_folder_names_the_file(app, tmp_path):
    result = app.test_cli_runner().invoke(cli, args=["eval", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "kb.jsonl" in result.output


def test_eval_unanswerable_reports_auroc_and_flag_rates(app, tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    _write_jsonl(folder / "kb.jsonl", [
        {"id": "a", "title": "Reset your password", "body": "", "category": "x", "lang": "en"},
        {"id": "b", "title": "Ask for a refund", "body": "", "category": "x", "lang": "en"}])
    # without its own entry neither query matches anything: confidence 0, a perfect split
    _write_jsonl(folder / "queries.dev.jsonl", [
        {"id": "q1", "query": "reset password", "relevant": ["a"], "lang": "en"},
        {"id": "q2", "query": "refund", "relevant": ["b"], "lang": "en"},
        {"id": "q3", "query": "xylophone", "relevant": [], "lang": "en"}])
    result = app.test_cli_runner().invoke(cli, args=["eval", str(folder), "--unanswerable",
                                                     "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["queries"] == 2 and figures["recall@1"] == 1.0
    assert figures["auroc"] == 1.0
    assert figures["flagged_answerable"] == 0.0 and figures["flagged_unanswerable"] == 1.0
    assert figures["unanswerable"] == 3
    assert figures["out_of_domain"] == 1 and figures["flagged_out_of_domain"] == 1.0
