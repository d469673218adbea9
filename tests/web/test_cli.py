"""The ``deflect`` command: lint exit codes and output, version."""

import json
import re

from web.cli import cli


def _broken_folder(write_article):
    """A folder with bad YAML, a missing title, a duplicate slug, a broken link, a bad locale."""
    write_article("twin")
    paths = {
        "yaml": write_article("bad-yaml", raw="---\ntitle: [oops\n---\nBody\n",
                              path="en/account/bad-yaml.md"),
        "title": write_article("no-title", title=None),
        "duplicate": write_article("twin", path="en/account/zz-twin-copy.md"),
        "link": write_article("linker", body="See [x](missing-page).\n"),
        "locale": write_article("french", locale="fr"),
    }
    return paths


def test_lint_reports_each_broken_file_with_its_line_and_exits_1(runner, write_article,
                                                                 content_dir):
    paths = _broken_folder(write_article)
    result = runner.invoke(cli, ["lint", str(content_dir)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for path in paths.values():
        pattern = re.compile(rf"{re.escape(str(path))}:\d+: error: ")
        assert any(pattern.match(line) for line in lines), path
    assert re.fullmatch(r"\d+ articles checked: 5 errors, \d+ warnings", lines[-1])


def test_lint_json_lists_problems(runner, write_article, content_dir):
    _broken_folder(write_article)
    result = runner.invoke(cli, ["lint", str(content_dir), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["errors"] == len([p for p in report["problems"] if p["level"] == "error"])
    assert {"level", "path", "line", "message"} == set(report["problems"][0])


def test_lint_passes_on_clean_content_and_strict_fails_on_warnings(runner, write_article,
                                                                   content_dir):
    write_article()  # no Korean translation: a warning
    assert runner.invoke(cli, ["lint", str(content_dir)]).exit_code == 0
    strict = runner.invoke(cli, ["lint", str(content_dir), "--strict"])
    assert strict.exit_code == 1
    assert "warning: no translation" in strict.output


def test_lint_of_a_missing_folder_is_a_clean_error(runner, tmp_path):
    result = runner.invoke(cli, ["lint", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "Error: no such folder" in result.output
    assert "Traceback" not in result.output


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("deflect, version ")


def _vocabulary(content_dir, synonyms: str, userdict: str) -> None:
    (content_dir / "synonyms.txt").write_text(synonyms, encoding="utf-8")
    (content_dir / "userdict.txt").write_text(userdict, encoding="utf-8")


def _translated(write_article) -> None:
    """One article in both locales: no article problem at all, even with --strict."""
    write_article()
    write_article(locale="ko", title="로그인이 안 돼요")


def test_lint_names_broken_synonym_and_userdict_lines_with_file_and_line(
        runner, write_article, content_dir):
    _translated(write_article)
    _vocabulary(content_dir, "로그인, login\n비번 =>\n",
                "# product words\n멤버십\tNNP\t0\n플루마\tXYZ\t0\n")
    result = runner.invoke(cli, ["lint", str(content_dir)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{content_dir / 'synonyms.txt'}:2: error: '=>' needs entries on both sides, " \
           "e.g. '비번 => 비밀번호'" in lines
    assert any(line.startswith(f"{content_dir / 'userdict.txt'}:3: error: unknown POS 'XYZ'")
               for line in lines)
    assert lines[-1] == "2 articles checked: 2 errors, 0 warnings"


def test_lint_json_lists_vocabulary_problems(runner, write_article, content_dir):
    _translated(write_article)
    _vocabulary(content_dir, "로그인, login\n", "멤버십\tNNP\tmany\n")
    report = json.loads(runner.invoke(cli, ["lint", str(content_dir), "--json"]).output)
    assert (report["errors"], report["warnings"]) == (1, 0)
    assert report["problems"] == [{"level": "error", "path": str(content_dir / "userdict.txt"),
                                   "line": 1, "message": "score 'many' is not a number"}]


def test_lint_strict_fails_on_a_synonym_warning(runner, write_article, content_dir):
    _translated(write_article)
    _vocabulary(content_dir, "로그인, login\nthe, a\n", "멤버십\tNNP\t0\n")
    assert runner.invoke(cli, ["lint", str(content_dir)]).exit_code == 0
    strict = runner.invoke(cli, ["lint", str(content_dir), "--strict"])
    assert strict.exit_code == 1
    assert f"{content_dir / 'synonyms.txt'}:2: warning: 'the' has no searchable word " \
           "(stop words only?)" in strict.output.splitlines()


def test_lint_strict_passes_on_the_sample_articles(runner):
    from web.config import REPOSITORY

    result = runner.invoke(cli, ["lint", str(REPOSITORY / "articles"), "--strict", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["problems"] == []
