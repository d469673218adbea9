"""``search.query_key``: the analysed form the insights group queries by."""

import pytest

from search import query_key


@pytest.mark.parametrize(("variants", "locale"), [
    (["로그인안돼요", "로그인 안 돼요", "로그인이 안 돼요"], "ko"),
    (["비밀번호 변경", "비밀 번호 변경", "비밀번호변경"], "ko"),
    (["학생 할인", "학생할인"], "ko"),
    (["Reset my password", "reset password!", "RESET PASSWORDS"], "en"),
], ids=["login-spacing", "compound", "student-discount", "english-stems"])
def test_variants_of_one_question_share_a_key(variants, locale):
    assert len({query_key(text, locale) for text in variants}) == 1


def test_different_questions_get_different_keys():
    assert query_key("환불", "ko") != query_key("결제", "ko")


def test_text_without_words_keys_by_its_folded_characters():
    assert query_key("  !!! ", "en") == "!!!"
