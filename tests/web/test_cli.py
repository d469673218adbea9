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
