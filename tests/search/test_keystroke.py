"""The keystroke layer: unfinished syllables, jamo and English typos, keyboard-layout mistakes."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from search.jamo import compose, initials, qwerty_to_keystrokes, to_keystrokes
from search.keystroke import KeystrokeIndex, expand_query, keystroke_distance
from search.korean import configure_korean

USERDICT = Path(__file__).resolve().parents[2] / "articles" / "userdict.txt"

VOCABULARY = [
    ("로그인", 40), ("비밀번호", 30), ("재설정", 12), ("환불", 25), ("환불신청", 6),
    ("신청", 10), ("방법", 20), ("영수증", 8), ("결제", 30), ("오류", 15), ("구독", 12),
    ("해지", 9), ("안", 50), ("되", 50), ("password", 20), ("reset", 10), ("payment", 12),
    ("error", 14), ("refund", 9), ("login", 15), ("sign", 5), ("account", 7),
]


@pytest.fixture(scope="module", autouse=True)
def korean():
    """Kiwi with the editors' dictionary, as the engine configures it for the sample articles."""
    configure_korean(USERDICT)


@pytest.fixture(scope="module")
def index() -> KeystrokeIndex:
    return KeystrokeIndex.build(VOCABULARY)



@pytest.mark.parametrize(
    ("text", "keys"),
    [("로그인", "ㄹㅗㄱㅡㅇㅣㄴ"), ("환불", "ㅎㅗㅏㄴㅂㅜㄹ"), ("닭", "ㄷㅏㄹㄱ"), ("의", "ㅇㅡㅣ"),
     ("까", "ㄲㅏ"), ("로그ㅇ", "ㄹㅗㄱㅡㅇ"), ("login", "login")],
    ids=["plain", "compound-vowel", "final-cluster", "ui", "double-consonant", "bare-jamo",
         "latin"],
)
def test_keystrokes_split_compound_jamo_into_keys(text, keys):
    assert to_keystrokes(text) == keys


@pytest.mark.parametrize("word",
                         ["로그인", "환불", "닭이", "읽기", "왜", "앉아요", "비밀번호", "뛰어"])
def test_compose_undoes_keystrokes(word):
    assert compose(to_keystrokes(word)) == word


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("fhrmdls", "로그인"), ("qlalfqjsgh", "비밀번호"), ("ghksqnf", "환불"), ("dudtnwmd", "영수증"),
     ("Rkcl", "까치")],
    ids=["login", "password", "refund", "receipt", "shift"],
)
def test_qwerty_letters_compose_to_the_korean_meant(typed, meant):
    assert compose(qwerty_to_keystrokes(typed)) == meant


def test_qwerty_mapping_rejects_non_letters():
    assert qwerty_to_keystrokes("e-1002") is None


def test_initials():
    assert initials("비밀번호 재설정") == "ㅂㅁㅂㅎ ㅈㅅㅈ"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("pasword", "password", 1), ("refnud", "refund", 1), ("paymnet", "payment", 1),
     ("abc", "abc", 0), ("kitten", "sitting", 3)],
    ids=["deletion", "transposition", "transposition-2", "same", "over-limit"],
)
def test_keystroke_distance(a, b, distance):
    assert keystroke_distance(a, b, limit=2) == min(distance, 3)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("로그ㅇ", "로그인"),
        ("비밀번ㅎ", "비밀번호"),
        ("환부", "환불"),
        ("결제 오ㄹ", "오류"),
        ("영수ㅈ", "영수증"),
        ("환뷸", "환불"),
        ("빌밀번호", "비밀번호"),
        ("로그닌", "로그인"),
        ("영수층", "영수증"),
        ("구독 헤지", "해지"),
        ("fhrmdls", "로그인"),
        ("qlalfqjsgh", "비밀번호"),
        ("ghksqnf", "환불"),
        ("dudtnwmd", "영수증"),
        ("fhrmd", "로그인"),
        ("pasword reset", "password"),
        ("paymnet error", "payment"),
        ("refnud", "refund"),
        ("ㅂㅁㅂㅎ", "비밀번호"),
    ],
    ids=["partial-login", "partial-password", "partial-final-as-next-initial",
         "partial-after-word", "partial-receipt", "jamo-typo", "extra-syllable-final",
         "jamo-typo-login", "jamo-typo-receipt", "typo-second-word", "layout-login",
         "layout-password", "layout-refund", "layout-receipt", "layout-partial",
         "english-deletion", "english-transposition", "english-transposition-2", "initials"],
)
def test_expand_query_finds_what_was_meant(index, query, expected):
    expansions = expand_query(query, index)

    assert expected in [term for term, _ in expansions]
    assert all(0 < weight <= 1 for _, weight in expansions)
    assert [w for _, w in expansions] == sorted((w for _, w in expansions), reverse=True)


@pytest.mark.parametrize(
    "query",
    ["로그인이 안 돼요", "비밀번호 재설정", "환불 신청 방법", "결제 오류", "password reset",
     "Passwords", "login", "E-1002", "안", "로그인을"],
    ids=["particles", "compound", "three-words", "two-words", "english", "inflected", "one-word",
         "code", "adverb-only", "particle-last"],
)
def test_known_words_get_no_additions(index, query):
    assert expand_query(query, index) == []


def test_completion_only_for_the_last_word(index):
    assert "환불신청" in [term for term, _ in expand_query("환부", index)]
    assert "환불신청" not in [term for term, _ in expand_query("환부 방법", index)]
    assert expand_query("로그ㅇ", index, complete_last=False) == []


def test_completions_of_the_last_word_outrank_its_typo_repairs():
    index = KeystrokeIndex.build([("로그", 50), ("로그인", 3), ("paus", 9), ("password", 2)])
    korean, english = dict(expand_query("로그ㅇ", index)), dict(expand_query("pass", index))
    assert korean["로그인"] > korean["로그"]
    assert english["password"] > english["paus"]


def test_a_word_that_completes_to_nothing_keeps_its_typo_repairs(index):
    assert dict(expand_query("환뷸", index))["환불"] == 0.6


def test_short_words_get_no_typo_corrections(index):
    assert index.corrections("환") == []


def test_first_keystroke_must_match(index):
    assert index.corrections("밀밀번호") == []


def test_two_typos_only_for_long_words(index):
    assert index.corrections("빌밀번허") == [("비밀번호", 0.4)]
    assert index.corrections("rafund") == [("refund", 0.6)]
    assert index.corrections("rafumd") == []


def test_completions_are_most_frequent_first(index):
    assert index.completions("환") == ["환불", "환불신청"]
    assert index.completions("pa") == ["password", "payment"]


def test_layout_repair_only_into_known_words(index):
    assert index.from_keyboard("dkssud") == []  # 안녕: a real word, but not in the vocabulary


def test_index_survives_pickling(index):
    copy = pickle.loads(pickle.dumps(index))

    assert copy.corrections("환뷸") == index.corrections("환뷸")
    assert len(copy) == len(index)


def test_repeated_terms_add_up():
    index = KeystrokeIndex.build([("환불", 1), ("환불", 2), ("Refund", 1)])

    assert index.frequency("환불") == 3
    assert "refund" in index


class TestWithoutKiwi:
    def test_typos_still_corrected(self, index, without_kiwi):
        assert "환불" in [term for term, _ in expand_query("환뷸", index)]

    def test_word_with_particle_is_known(self, index, without_kiwi):
        assert expand_query("로그인이 환불", index) == []


def test_a_typo_search_is_remembered_and_the_memory_starts_afresh_when_full(monkeypatch):
    from search import keystroke

    index = KeystrokeIndex.build([("비밀번호", 9), ("환불", 3), ("결제", 5)])
    first = index.corrections("빌밀번호")
    assert index.corrections("빌밀번호") == first == [("비밀번호", 0.6)]
    assert len(index._near_cache) == 1
    monkeypatch.setattr(keystroke, "NEAR_CACHE_SIZE", 2)
    for word in ("환뷸", "겔제", "빌밀번호"):
        index.corrections(word)
    assert len(index._near_cache) <= 2
    assert index.corrections("환뷸") == [("환불", 0.6)]


@pytest.mark.parametrize(("a", "b", "limit", "distance"), [
    ("pasword", "password", 2, 1), ("refnud", "refund", 2, 1),  # a transposition is one edit
    ("ㅎㅘㄴㅂㅜㄹ", "ㅎㅘㄴㅂㅠㄹ", 1, 1), ("abcdef", "zzzzzz", 2, 3), ("abc", "abcdef", 2, 3),
    ("", "", 0, 0), ("ca", "abc", 2, 3),  # optimal string alignment: no edit of a swapped pair
])
def test_keystroke_distance_is_the_optimal_string_alignment_capped_above_the_limit(
        a, b, limit, distance):
    assert keystroke_distance(a, b, limit) == distance
