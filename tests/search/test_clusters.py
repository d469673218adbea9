"""``search.cluster_queries``: content gaps grouped by meaning, across spacing and languages."""

from search import cluster_queries


def test_one_question_in_other_words_and_languages_is_one_group():
    texts = ["학생 할인", "환불 기간", "student discount", "학생 할인 있나요", "refund time",
             "비밀번호 잊어버림", "forgot password"]
    assert cluster_queries(texts) == [[0, 2, 3], [1, 4], [5, 6]]


def test_no_queries_no_groups():
    assert cluster_queries([]) == []
