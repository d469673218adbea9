"""R5: search queries fuzzed through the search engine, over HTTP in-process.

Hypothesis strings mix query-syntax tokens (operators, brackets, quotes, ``title:``, wildcards),
NUL, zero-width and bidi characters, Hangul jamo and syllables, and long runs, sent to the
search API, the suggestions API and the search page in both locales. Pass: never a 5xx (an
unhandled exception), and an empty or over-long query is a clear 400 naming ``q``.

Negative control: the same harness with a query builder that trips on an unbalanced quote
(a classic query-syntax bug) finds it.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from web.help import queries

from .conftest import SCALE

TOKENS = ["(", ")", "((((", "))))", '"', "'", "AND", "OR", "NOT", "title:", "body:", "*", "?",
          "~", "^2", "[a TO z]", "{", "}", "-", "+", "\\", "/", ":", "\x00", "\u200b", "\u202e",
          "\ufeff", "ㄹㅗㄱㅡㅇㅣㄴ", "로그인", "비밀번호 재설정", "가", "card", "refund", " ",
          "%", "&", "#", "<script>", "\n", "\t", "🙂", "é"]
query_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=40).map("".join),
    st.builds(lambda token, n: token * n, st.sampled_from(TOKENS), st.integers(1, 700)),
)


def fuzz_search(client, outcome: Counter) -> None:
    @settings(settings.get_profile("battery"), max_examples=150 * SCALE)
    @given(query=query_text, locale=st.sampled_from(["ko", "en"]),
           target=st.sampled_from(["/api/search", "/api/suggest", "/{locale}/search"]))
    def run(query, locale, target):
        url = target.format(locale=locale)
        response = client.get(url, query_string={"q": query, "locale": locale})
        outcome[f"{response.status_code}"] += 1
        if response.status_code == 400 and url.startswith("/api/"):
            assert "q" in response.get_json()["error"].get("fields", {})
        assert response.status_code < 500, (url, query[:200])

    run()


def test_fuzzed_queries_never_fail(shared_app, figures):
    outcome: Counter[str] = Counter()
    fuzz_search(shared_app.test_client(), outcome)
    long_query = shared_app.test_client().get(
        "/api/search", query_string={"q": "로그인 " * 2000, "locale": "ko"})
    figures("R5", examples=sum(outcome.values()), **{f"status_{k}": v
                                                     for k, v in sorted(outcome.items())},
            over_long_query_status=long_query.status_code)
    assert long_query.status_code == 400
    assert not [status for status in outcome if status.startswith("5")]


def test_negative_control_a_query_builder_that_trips_on_quotes(shared_app, figures,
                                                                monkeypatch):
    """A builder that fails on an unbalanced quote, a classic query-syntax bug: caught."""
    real = queries.search_articles

    def tripping(query, **kwargs):
        if (query or "").count('"') % 2:
            raise ValueError("unbalanced quote")
        return real(query, **kwargs)

    monkeypatch.setattr(queries, "search_articles", tripping)
    outcome: Counter[str] = Counter()
    with pytest.raises(AssertionError):
        fuzz_search(shared_app.test_client(), outcome)
    figures("R5", control_5xx=sum(v for k, v in outcome.items() if k.startswith("5")))
