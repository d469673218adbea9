"""Query-time synonyms in Solr's format: groups, explicit mappings, multi-word entries, problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.korean import configure_korean
from search.synonyms import (
    DEFAULT_WEIGHT,
    SynonymError,
    Synonyms,
    load_synonyms,
    parse_synonyms,
)

SYNONYMS = """\
# Bilingual groups, as the editors write them
로그인, login, log in, sign in
계정 삭제, 탈퇴, delete account
결제, payment, 결재

# One-way mappings
비번 => 비밀번호, password
"""


USERDICT = Path(__file__).resolve().parents[2] / "articles" / "userdict.txt"


@pytest.fixture(scope="module", autouse=True)
def korean():
    """Kiwi with the editors' dictionary, as the engine configures it for the sample articles."""
    configure_korean(USERDICT)


@pytest.fixture
def synonyms_file(tmp_path) -> Path:
    path = tmp_path / "synonyms.txt"
    path.write_text(SYNONYMS, encoding="utf-8")
    return path


@pytest.fixture
def synonyms(synonyms_file) -> Synonyms:
    synonyms, problems = load_synonyms(synonyms_file)
    assert problems == []
    return synonyms



def added(synonyms: Synonyms, query: str, locale: str = "ko", view: str = "morph") -> list[str]:
    return [term for term, _ in synonyms.expand(query, locale)[view]]


def test_file_parses_into_rules_with_their_lines(synonyms):
    assert [rule.line for rule in synonyms.rules] == [2, 3, 4, 7]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("login 안 돼요", ["로그인", "log", "sign"]),
        ("로그인이 안돼요", ["login", "log", "sign"]),
        ("결재 오류", ["결제", "payment"]),
    ],
    ids=["english-entry", "korean-entry-with-particle", "misspelt-korean-entry"],
)
def test_a_group_entry_adds_the_rest_of_its_group(synonyms, query, expected):
    assert added(synonyms, query) == expected


def test_explicit_mapping_adds_the_right_side_only(synonyms):
    assert added(synonyms, "비번을 잊었어요", "en", "word") == ["password"]
    assert added(synonyms, "비밀번호 재설정", "en", "word") == []


@pytest.mark.parametrize(
    ("query", "entry"),
    [
        ("how to log in", "log in"),
        ("logging in fails", "log in"),
        ("계정을 삭제하고 싶어요", "계정 삭제"),
        ("계정삭제", "계정 삭제"),
        ("Delete account", "delete account"),
    ],
    ids=["log-in", "inflected", "particle-between", "no-space", "case"],
)
def test_multi_word_entries_match_across_tokens(synonyms, query, entry):
    assert [match.entry for match in synonyms.matches(query)] == [entry]


@pytest.mark.parametrize("query", ["log file", "delete my account", "sign the form"],
                         ids=["log-alone", "words-apart", "sign-alone"])
def test_multi_word_entries_need_all_their_words_in_order(synonyms, query):
    assert synonyms.matches(query) == []


def test_expansions_have_the_lower_weight(synonyms):
    weights = {weight for terms in synonyms.expand("탈퇴", "ko").values() for _, weight in terms}

    assert weights == {DEFAULT_WEIGHT}
    assert 0 < DEFAULT_WEIGHT < 1


def test_weight_can_be_chosen(synonyms_file):
    synonyms, _ = load_synonyms(synonyms_file, weight=0.7)

    assert synonyms.expand("login", "en") == {"word": [("log", 0.7), ("sign", 0.7)]}


def test_query_terms_are_not_added_again(synonyms):
    assert "login" not in added(synonyms, "login 로그인", "en", "word")


def test_a_query_without_synonyms_adds_nothing(synonyms):
    assert synonyms.expand("환불 신청", "ko") == {"morph": [], "bigram": []}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("a,, b", "empty entry"),
        ("환불 =>", "needs entries on both sides"),
        ("=> 환불", "needs entries on both sides"),
        ("환불", "two or more entries"),
        ("a => b => c", "more than one '=>'"),
    ],
    ids=["empty-entry", "empty-right", "empty-left", "lone-entry", "two-arrows"],
)
def test_bad_line_is_reported_with_its_number(line, message):
    text = f"로그인, login\n# comment\n{line}\n결제, payment\n"

    synonyms, problems = parse_synonyms(text, Path("synonyms.txt"))

    assert [(p.level, p.line) for p in problems] == [("error", 3)]
    assert message in problems[0].message
    assert [rule.line for rule in synonyms.rules] == [1, 4]


def test_entry_of_stop_words_only_is_a_warning():
    _, problems = parse_synonyms("the, 환불\n", Path("synonyms.txt"))

    assert [(p.level, p.line) for p in problems] == [("warning", 1)]


def test_strict_load_raises_with_every_problem(tmp_path):
    path = tmp_path / "synonyms.txt"
    path.write_text("환불\n로그인, login\nx =>\n", encoding="utf-8")

    with pytest.raises(SynonymError) as raised:
        load_synonyms(path, strict=True)

    assert [p.line for p in raised.value.problems] == [1, 3]
    assert f"{path}:1" in str(raised.value)


def test_missing_file_gives_no_synonyms_and_a_warning(tmp_path):
    synonyms, problems = load_synonyms(tmp_path / "synonyms.txt")

    assert len(synonyms) == 0
    assert synonyms.expand("로그인", "ko") == {"morph": [], "bigram": []}
    assert [p.level for p in problems] == ["warning"]


def test_korean_entries_match_without_kiwi(synonyms, without_kiwi):
    assert [match.entry for match in synonyms.matches("로그인이 안돼요")] == ["로그인"]
