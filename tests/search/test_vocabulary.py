"""The editor's vocabulary files as ``deflect lint`` sees them (``search.check_vocabulary``)."""

from __future__ import annotations

from kb.articles import Problem
from search import check_vocabulary


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
