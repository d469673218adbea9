"""The editor's vocabulary files as ``deflect lint`` sees them (``search.check_vocabulary``), and
the did-you-mean of ``Vocabulary``."""

from __future__ import annotations

from kb.articles import Problem
from search import check_vocabulary
from search.keystroke import KeystrokeIndex
from search.vocabulary import Vocabulary


def test_missing_vocabulary_files_are_no_problem(tmp_path):
    assert check_vocabulary(tmp_path) == []


def test_each_bad_line_is_a_problem_with_its_file_and_line(tmp_path):
    (tmp_path / "synonyms.txt").write_text("로그인, login\n, 비번\n", encoding="utf-8")
    (tmp_path / "userdict.txt").write_text("멤버십\tNNP\t0\n\n멤버십\n", encoding="utf-8")
    assert check_vocabulary(tmp_path) == [
        Problem("error", tmp_path / "synonyms.txt", 2,
                "empty entry: remove the stray comma or write a word"),
        Problem("error", tmp_path / "userdict.txt", 3,
                "expected 'word<TAB>POS<TAB>score', got '멤버십'"),
    ]


def test_a_file_that_is_not_utf8_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "synonyms.txt").write_bytes("로그인, login\n".encode("cp949"))
    [problem] = check_vocabulary(tmp_path)
    assert (problem.level, problem.path, problem.line) == ("error", tmp_path / "synonyms.txt",
                                                           None)
    assert problem.message.startswith("not UTF-8 (byte 0)")


def test_a_word_known_in_the_query_is_not_repaired_alone(monkeypatch):
    from search import keystroke

    index = KeystrokeIndex.build([("환불", 5), ("신청", 3), ("결제", 4)])
    vocabulary = Vocabulary.__new__(Vocabulary)
    vocabulary.keystrokes = index
    alone = []
    real = keystroke.expand_query

    def spy(text, *args, **kwargs):
        alone.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr("search.vocabulary.expand_query", spy)
    assert vocabulary.expand("환뷸 신청", locale="ko", synonyms=None, weight=0.5)[1] == "환불 신청"
    assert "신청" not in alone  # only the unknown word was looked at on its own
    assert vocabulary.expand("환불 신청", locale="ko", synonyms=None, weight=0.5)[1] is None
