"""The Engine API against the sample articles: the must-match cases of search-design.md §6,
the result shape, snippets, suggestions and errors."""

from __future__ import annotations

import pytest

from search import MAX_QUERY_LENGTH, Engine, QueryError, SearchError, Settings
from search.index import IndexStore
from web.config import REPOSITORY

SAMPLE_ARTICLES = REPOSITORY / "articles"

MUST_MATCH = [
    # particles and endings
    ("로그인이 안돼요", "ko", "login-trouble"),
    ("로그인 안됨", "ko", "login-trouble"),
    ("로그인을 못 해요", "ko", "login-trouble"),
    # spacing
    ("비밀번호재설정", "ko", "password-reset"),
    ("비밀 번호 재 설정", "ko", "password-reset"),
    ("로 그인", "ko", "login-trouble"),
    ("구독해지", "ko", "cancel-subscription"),
    ("구독 해지", "ko", "cancel-subscription"),
    # partial syllables
    ("로그ㅇ", "ko", "login-trouble"),
    ("비밀번ㅎ", "ko", "password-reset"),
    ("환부", "ko", "refund-request"),
    ("영수ㅈ", "ko", "receipt"),
    # jamo typos
    ("환뷸", "ko", "refund-request"),
    ("빌밀번호", "ko", "password-reset"),
    ("로그닌", "ko", "login-trouble"),
    ("영수층", "ko", "receipt"),
    ("구독 헤지", "ko", "cancel-subscription"),
    ("결재 오류", "ko", "payment-failed"),
    # keyboard layout
    ("fhrmdls", "ko", "login-trouble"),
    ("qlalfqjsgh", "ko", "password-reset"),
    ("ghksqnf", "ko", "refund-request"),
    ("dudtnwmd", "ko", "receipt"),
    # mixed Korean/English and loanwords
    ("password 재설정", "ko", "password-reset"),
    ("login 안됨", "ko", "login-trouble"),
    ("비번", "ko", "password-reset"),
    ("receipt", "ko", "receipt"),
    ("sign in", "en", "login-trouble"),
    # English typos
    ("pasword reset", "en", "password-reset"),
    ("paymnet error", "en", "payment-failed"),
    ("refnud", "en", "refund-request"),
]


@pytest.mark.parametrize(("query", "locale", "slug"), MUST_MATCH,
                         ids=[f"{q}-{locale}" for q, locale, _ in MUST_MATCH])
def test_must_match_query_finds_its_article_in_the_top_5(sample_engine, query, locale, slug):
    hits = sample_engine.search(query, locale=locale, limit=5).hits
    assert slug in [hit.slug for hit in hits]


def test_results_carry_the_contract_fields(sample_engine):
    results = sample_engine.search("로그인이 안 돼요", locale="ko")
    hit = results.hits[0]
    assert (hit.slug, hit.locale, hit.url) == ("login-trouble", "ko", "/ko/articles/login-trouble")
    assert hit.category == "account" and hit.title and hit.score > 0
    assert results.total >= len(results.hits)
    # without a category filter every found article is counted in exactly one facet
    assert results.total == sum(results.facets.values())
    assert isinstance(results.took_ms, float)


def test_a_repeated_query_is_answered_from_the_cache(tmp_path, tiny_docs):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    first = engine.search("refund", locale="en")
    second = engine.search("refund", locale="en")
    assert (engine.cache.hits, engine.cache.misses) == (1, 1)
    assert second.hits == first.hits and second.facets == first.facets


def test_an_engine_without_a_cache_ranks_every_query_anew(tmp_path, tiny_docs):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1, cache_size=0)
    engine.sync(tiny_docs)
    answers = [engine.search("refund", locale="en").hits for _ in range(3)]
    assert (engine.cache.hits, engine.cache.misses, len(engine.cache)) == (0, 3, 0)
    assert answers[0] == answers[1] == answers[2]


def test_a_refresh_empties_the_cache(tmp_path, tiny_docs, new_doc):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    engine.search("voucher", locale="en")
    engine.refresh(new_doc("voucher", "Use a voucher", category="payment", text="Vouchers."))
    assert engine.search("voucher", locale="en").hits[0].slug == "voucher"
    assert (engine.cache.hits, engine.cache.misses) == (0, 2)


def test_a_negative_cache_size_is_refused(tmp_path):
    with pytest.raises(ValueError, match="cache size must be 0 or more, not -1"):
        Engine(IndexStore(tmp_path / "index"), cache_size=-1)


def test_facets_count_matches_per_category_ignoring_the_category_filter(sample_engine):
    everything = sample_engine.search("환불", locale="ko")
    filtered = sample_engine.search("환불", locale="ko", category="refund")
    assert filtered.facets == everything.facets
    assert {hit.category for hit in filtered.hits} == {"refund"}
    assert filtered.total == everything.facets["refund"]


def test_results_stay_in_the_requested_locale(sample_engine):
    assert {hit.locale for hit in sample_engine.search("password", locale="en").hits} == {"en"}


def test_snippet_marks_matched_words(sample_engine):
    snippet = sample_engine.search("refund", locale="en").hits[0].snippet
    assert "<mark>" in snippet.lower()


def test_snippet_escapes_html_in_article_text(tmp_path, new_doc):
    doc = new_doc("xss", "Script tags",
                  text='Type <script>alert("x")</script> into the script box.')
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync([doc])
    snippet = engine.search("script", locale="en").hits[0].snippet
    assert "<script>" not in snippet
    assert "&lt;<mark>script</mark>&gt;" in snippet


@pytest.mark.parametrize("query", ["비밀번호 변경", "환불 신청", "cancel subscription"])
def test_known_words_rank_the_same_with_and_without_the_keystroke_layer(sample_engine, query):
    without = Engine(sample_engine.store, settings=Settings(expansion_weight=0.0),
                     synonyms_path=SAMPLE_ARTICLES / "synonyms.txt")
    locale = "en" if query.isascii() else "ko"
    assert ([h.slug for h in sample_engine.search(query, locale=locale, limit=5).hits]
            == [h.slug for h in without.search(query, locale=locale, limit=5).hits])


def test_did_you_mean_offers_the_repaired_query(sample_engine):
    assert sample_engine.search("환뷸", locale="ko").did_you_mean == "환불"


def test_did_you_mean_is_none_for_known_words(sample_engine):
    assert sample_engine.search("환불", locale="ko").did_you_mean is None


def test_nonsense_query_is_low_confidence(sample_engine):
    results = sample_engine.search("우주선 발사 일정", locale="ko")
    assert results.is_low_confidence


def test_good_match_is_not_low_confidence(sample_engine):
    assert not sample_engine.search("비밀번호 재설정", locale="ko").is_low_confidence


@pytest.mark.parametrize("query", ["", "   ", "x" * (MAX_QUERY_LENGTH + 1)],
                         ids=["empty", "blank", "too-long"])
def test_bad_query_raises_query_error(sample_engine, query):
    with pytest.raises(QueryError):
        sample_engine.search(query, locale="ko")


def test_query_error_is_a_search_error_and_a_value_error():
    assert issubclass(QueryError, SearchError) and issubclass(QueryError, ValueError)


def test_query_syntax_is_searched_as_text(sample_engine):
    results = sample_engine.search('password AND (reset OR "x") NOT *', locale="en")
    assert results.hits[0].slug == "password-reset"


@pytest.mark.parametrize(("prefix", "slug"), [
    ("로그ㅇ", "login-trouble"), ("비밀번ㅎ", "password-reset"), ("환ㅂ", "refund-request"),
    ("영수", "receipt"),
], ids=["로그ㅇ", "비밀번ㅎ", "환ㅂ", "영수"])
def test_suggest_completes_an_unfinished_korean_syllable(sample_engine, prefix, slug):
    assert slug in [s.slug for s in sample_engine.suggest(prefix, locale="ko", limit=5)]


@pytest.mark.parametrize(("prefix", "locale", "slugs"), [
    ("로그ㅇ", "ko", {"login-trouble"}), ("환부", "ko", {"refund-request", "refund-status"}),
    ("passw", "en", {"password-reset"}), ("pass", "en", {"password-reset"}),
    ("비밀버", "ko", {"password-reset"}), ("해ㅈ", "ko", {"cancel-subscription"}),
    ("영수ㅈ", "ko", {"receipt"}),
], ids=["로그ㅇ", "환부", "passw", "pass", "비밀버", "해ㅈ", "영수ㅈ"])
def test_suggest_puts_the_obvious_completion_first(sample_engine, prefix, locale, slugs):
    assert sample_engine.suggest(prefix, locale=locale)[0].slug in slugs


def test_suggest_in_english(sample_engine):
    assert "password-reset" in [s.slug for s in sample_engine.suggest("passw", locale="en")]


def test_suggest_of_empty_prefix_is_empty(sample_engine):
    assert sample_engine.suggest("", locale="ko") == []


def test_every_keystroke_of_a_title_suggests_something(sample_engine):
    title = "비밀번호를 잊어버렸어요"
    from search.jamo import compose, to_keystrokes

    keys = to_keystrokes(title)
    empty = [compose(keys[:n]) for n in range(1, len(keys) + 1)
             if not sample_engine.suggest(compose(keys[:n]), locale="ko")]
    assert empty == []


def test_related_starts_with_editor_links(sample_engine):
    related = [hit.slug for hit in sample_engine.related("login-trouble", locale="ko")]
    assert related[:3] == ["password-reset", "account-locked", "social-login"]


def test_similar_to_text_for_a_ticket(sample_engine):
    hits = sample_engine.similar_to_text("결제할 때 카드 결제가 계속 실패해요. 오류가 나요",
                                         locale="ko")
    assert "payment-failed" in [hit.slug for hit in hits]


def test_package_exports_exactly_the_public_names():
    import search

    assert set(search.__all__) == {"MAX_QUERY_LENGTH", "Engine", "Hit", "IndexStateError",
                                   "QueryError", "SearchError", "SearchResults", "Settings",
                                   "Suggestion", "check_vocabulary", "cluster_queries",
                                   "query_key"}
    assert all(hasattr(search, name) for name in search.__all__)
