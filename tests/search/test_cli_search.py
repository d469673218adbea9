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


TICKETS = [
    {"id": "t1", "text": "My card statement shows the same payment twice on one day. I only paid "
                         "once. Can I get the second one back?", "relevant": ["double-charge"],
     "lang": "en", "split": "dev"},
    {"id": "t2", "text": "자막을 켜고 싶은데 재생 화면 어디에도 자막 버튼이 안 보여요. "
                         "어떻게 켜나요?",
     "relevant": ["subtitles"], "lang": "ko", "split": "dev"},
    {"id": "t3", "text": "I forgot my password and the reset email never arrives. How can I set "
                         "a new one?", "relevant": ["password-reset"], "lang": "en",
     "split": "test"},
]


def test_eval_tickets_reports_recall_through_similar_to_text(app, tmp_path):
    path, rankings = tmp_path / "tickets.jsonl", tmp_path / "ranked.jsonl"
    _write_jsonl(path, TICKETS)
    result = app.test_cli_runner().invoke(cli, args=["eval", "--tickets", str(path), "--split",
                                                     "dev", "--json", "--rankings",
                                                     str(rankings)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"tickets": 2, "recall@1": 1.0, "recall@3": 1.0,
                                         "mrr@10": 1.0}
    rows = [json.loads(line) for line in rankings.read_text(encoding="utf-8").splitlines()]
    assert [row["ticket_id"] for row in rows] == ["t1", "t2"]
    assert rows[1]["ranked"][0] == "subtitles"


def test_eval_tickets_prints_a_table_without_json(app, tmp_path):
    path = tmp_path / "tickets.jsonl"
    _write_jsonl(path, TICKETS)
    result = app.test_cli_runner().invoke(cli, args=["eval", "--tickets", str(path)])
    assert result.exit_code == 0, result.output
    assert "tickets: 3" in result.output and "recall@3: 1.0" in result.output


@pytest.mark.parametrize(("row", "message"), [
    ({"id": "t9", "relevant": ["subtitles"], "lang": "ko", "split": "dev"},
     "missing or empty text"),
    ({"id": "t9", "text": "자막", "relevant": ["subtitles"], "lang": "fr", "split": "dev"},
     "lang must be ko or en"),
    ({"id": "t9", "text": "자막", "relevant": "subtitles", "lang": "ko", "split": "dev"},
     "relevant must be a list of article slugs"),
])
def test_eval_tickets_names_the_file_and_line_of_a_bad_row(app, tmp_path, row, message):
    path = tmp_path / "tickets.jsonl"
    _write_jsonl(path, [TICKETS[0], row])
    result = app.test_cli_runner().invoke(cli, args=["eval", "--tickets", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: " in result.output and message in result.output
    assert "Traceback" not in result.output


def test_eval_tickets_on_a_line_that_is_not_json(app, tmp_path):
    path = tmp_path / "tickets.jsonl"
    path.write_text(json.dumps(TICKETS[0]) + "\n{not json\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(cli, args=["eval", "--tickets", str(path)])
    assert result.exit_code == 1 and f"{path}:2: not a JSON object" in result.output


def test_eval_with_both_queries_and_tickets_is_a_usage_error(app, tmp_path):
    path = tmp_path / "tickets.jsonl"
    _write_jsonl(path, TICKETS)
    result = app.test_cli_runner().invoke(cli, args=["eval", "--tickets", str(path),
                                                     "--queries", str(path)])
    assert result.exit_code == 2 and "give one of" in result.output


def test_the_ticket_set_is_long_form_in_both_languages_with_a_split():
    from search.evaluation import load_tickets
    from web.config import REPOSITORY

    tickets = load_tickets(REPOSITORY / "tests" / "data" / "helpcenter-tickets.jsonl")
    assert len(tickets) >= 60
    assert {t.lang for t in tickets} == {"ko", "en"} and {t.split for t in tickets} == {"dev",
                                                                                       "test"}
    assert min(len(t.text) for t in tickets) >= 60
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
