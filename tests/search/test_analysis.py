"""Analysis views: the must-match cases of search-design.md §6 at the analyser level."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.analysis import analysis_settings, analyze, korean_terms
from search.korean import (
    configure_korean,
    is_kiwi_available,
    load_userdict,
    parse_userdict,
    strip_particle,
)

USERDICT = Path(__file__).resolve().parents[2] / "articles" / "userdict.txt"


@pytest.fixture(scope="module", autouse=True)
def korean():
    """Kiwi with the editors' dictionary, as the engine configures it for the sample articles.

    Not restored afterwards on purpose: another dictionary would reload Kiwi (seconds).
    """
    configure_korean(USERDICT)



def terms(text: str, view: str) -> list[str]:
    return [token.text for token in analyze(text, view)]


def test_kiwi_loads_here():
    assert is_kiwi_available()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("로그인이 안돼요", "로그인"),
        ("로그인을 못 해요", "로그인"),
        ("로그인 안됨", "로그인"),
        ("결제가 안 돼요", "결제"),
        ("비밀번호를 재설정하려면", "비밀번호"),
        ("환불받고 싶어요", "환불"),
    ],
    ids=["particle-i", "particle-eul", "no-particle", "particle-ga", "split-rejoined", "verb"],
)
def test_particles_and_endings_are_dropped(query, expected):
    morph = terms(query, "morph")

    assert expected in morph
    assert all(not term.endswith(("이", "을", "가", "를")) or term == expected for term in morph)


@pytest.mark.parametrize(
    ("spaced", "joined", "shared"),
    [
        ("비밀번호 재설정", "비밀번호재설정", {"비밀번호", "재설정"}),
        ("비밀 번호 재 설정", "비밀번호재설정", {"비밀번호", "재설정"}),
        ("로그 인", "로그인", {"로그인"}),
        ("구독 해지", "구독해지", {"구독해지"}),  # a user-dictionary word: kept whole
        ("환불 신청", "환불신청", {"환불", "신청", "환불신청"}),
    ],
    ids=["password-reset", "fully-spaced", "login", "unsubscribe", "refund-request"],
)
def test_spacing_variants_share_terms(spaced, joined, shared):
    assert shared <= set(terms(spaced, "morph"))
    assert shared <= set(terms(joined, "morph"))


def test_prefix_is_kept_and_joined():
    morph = terms("비밀번호 재설정", "morph")

    assert {"재", "설정", "재설정"} <= set(morph)


def test_noun_pair_in_a_sentence_is_also_joined():
    assert {"비밀", "번호", "비밀번호"} <= set(terms("비밀번호를 바꾸고 싶어요", "morph"))


def test_verb_stem_is_kept_as_the_stem():
    assert "되" in terms("결제가 안 돼요", "morph")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("카카오 login 안됨", ["카카오", "login", "되"]),
        ("password 재설정", ["password", "재", "재설정", "설정"]),
        ("E-1002 오류가 나요", ["e-1002", "e", "1002", "오류", "나"]),
    ],
    ids=["kakao-login", "password-reset", "error-code"],
)
def test_mixed_queries_route_each_run_to_its_chain(query, expected):
    assert terms(query, "morph") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Customer's passwords", ["custom", "password"]),
        ("Resetting the password", ["reset", "password"]),
        ("Activate my card", ["activ", "card"]),
        ("refunds and cancellations", ["refund", "cancel"]),
        ("can't log in", ["cant", "log"]),
        ("sign-in e-mail", ["sign", "signin", "e", "mail", "email"]),
        ("Error E-1002 costs 7,900", ["error", "e-1002", "e", "1002", "cost", "7,900"]),
    ],
    ids=["possessive", "stop-word", "pronoun", "plural", "contraction", "hyphen", "codes"],
)
def test_english_chain(text, expected):
    assert [token.text for token in analyze(text, "word")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("비밀번호", ["비밀", "밀번", "번호"]),
        ("결제가 안 돼요", ["결제", "제가", "안", "돼요"]),
        ("로그ㅇ", ["로그"]),
        ("login 오류", ["login", "오류"]),
    ],
    ids=["word", "one-syllable-run", "bare-jamo-left-out", "latin-passes"],
)
def test_bigram_view(text, expected):
    assert [token.text for token in analyze(text, "bigram")] == expected


def test_word_view_ignores_hangul():
    assert terms("비밀번호 password", "word") == ["password"]


@pytest.mark.parametrize("view", ["morph", "bigram", "word"])
def test_token_offsets_slice_the_original_text(view):
    text = "로그인이 안 돼요 Customer's password"

    for token in analyze(text, view):
        assert text[token.start:token.end], token
    by_term = {token.text: text[token.start:token.end] for token in analyze(text, view)}
    assert by_term["password"] == "password"
    assert by_term["custom"] == "Customer's"


def test_user_dictionary_keeps_product_words_whole():
    assert "연간이용권" in terms("연간이용권 환불", "morph")


def test_unknown_view_is_an_error():
    with pytest.raises(ValueError, match="use one of"):
        analyze("x", "nope")


def test_settings_name_kiwi_and_the_dictionary():
    assert "kiwi=0." in analysis_settings()
    assert "userdict=none" not in analysis_settings()


class TestWithoutKiwi:
    def test_morph_view_is_empty_for_korean(self, without_kiwi):
        assert not is_kiwi_available()
        assert korean_terms("로그인이 안돼요") == []
        assert terms("로그인이 안돼요 login", "morph") == ["login"]

    def test_bigram_view_still_carries_korean(self, without_kiwi):
        assert terms("로그인이 안돼요", "bigram") == ["로그", "그인", "인이", "안돼", "돼요"]

    def test_settings_say_kiwi_is_off(self, without_kiwi):
        assert "kiwi=off" in analysis_settings()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("멤버십", "expected 'word<TAB>POS<TAB>score'"),
        ("멤버십\tNOUN\t0", "unknown POS 'NOUN'"),
        ("멤버십\tNNP\thigh", "score 'high' is not a number"),
    ],
    ids=["no-tag", "bad-tag", "bad-score"],
)
def test_user_dictionary_problems_name_the_line(line, message):
    words, problems = parse_userdict(f"# products\n플루마\tNNP\t0\n{line}\n", Path("userdict.txt"))

    assert [word.word for word in words] == ["플루마"]
    assert [(p.level, p.line) for p in problems] == [("error", 3)]
    assert message in problems[0].message


def test_missing_user_dictionary_is_a_warning(tmp_path):
    words, problems = load_userdict(tmp_path / "userdict.txt")

    assert words == []
    assert [p.level for p in problems] == ["warning"]


def test_the_repository_user_dictionary_is_clean():
    assert load_userdict(USERDICT)[1] == []


@pytest.mark.parametrize(("word", "expected"),
                         [("로그인이", "로그인"), ("환불을", "환불"), ("이", "이")],
                         ids=["i", "eul", "particle-alone"])
def test_strip_particle(word, expected):
    assert strip_particle(word) == expected
