"""Loading and linting a content folder: every rule names the file and the line."""

from pathlib import Path

import pytest

from kb import load_articles
from kb.articles import MAX_ARTICLE_BYTES


def _only(result, level="error"):
    found = [p for p in result.problems if p.level == level]
    assert len(found) == 1, found
    return found[0]


def _translate(write_article, slug="login-trouble", **fields):
    write_article(slug, locale="ko", **fields)


def test_valid_articles_load_with_rendered_fields(write_article, content_dir):
    write_article(body="## Steps\n\nSee [reset](password-reset).\n", related=["password-reset"],
                  promoted=True)
    write_article("password-reset")
    _translate(write_article)
    _translate(write_article, "password-reset")
    result = load_articles(content_dir)
    assert result.problems == []
    article = next(a for a in result.articles if a.key == ("en", "login-trouble"))
    assert article.is_promoted and article.related == ("password-reset",)
    assert 'href="/en/articles/password-reset"' in article.html
    assert article.headings[0].text == "Steps"
    assert article.url == "/en/articles/login-trouble"


def test_broken_yaml_names_file_and_line(write_article, content_dir):
    path = write_article(raw="---\ntitle: Login\nslug: login-trouble\nlocale: [en\n---\nBody\n")
    problem = _only(load_articles(content_dir))
    assert (problem.path, problem.line) == (path, 5)
    assert "not valid YAML" in problem.message


def test_missing_front_matter_is_an_error_on_line_1(write_article, content_dir):
    path = write_article(raw="# Just a heading\n\nNo front matter.\n")
    problem = _only(load_articles(content_dir))
    assert (problem.path, problem.line) == (path, 1)
    assert "no front matter" in problem.message


def test_missing_title_names_file_and_line(write_article, content_dir):
    path = write_article(title=None)
    problem = _only(load_articles(content_dir))
    assert (problem.path, problem.line) == (path, 1)
    assert problem.message == "missing required field 'title'"


def test_empty_required_field_names_its_line(write_article, content_dir):
    path = write_article(title="  ")
    problem = _only(load_articles(content_dir))
    assert (problem.path, problem.line) == (path, 2)
    assert "'title' must be a non-empty text" in problem.message


def test_unknown_field_suggests_the_close_one(write_article, content_dir):
    path = write_article(titel="Typo")
    problem = _only(load_articles(content_dir))
    assert problem.path == path and problem.line == 12
    assert "unknown field 'titel' (did you mean 'title'?)" in problem.message


@pytest.mark.parametrize("slug", ["Login_Trouble", "로그인", "a--b", "-a"])
def test_bad_slug_format_is_an_error(write_article, content_dir, slug):
    path = write_article(slug, path="en/account/bad.md")
    problems = [p for p in load_articles(content_dir).errors]
    assert [(p.path, p.line) for p in problems] == [(path, 3)]
    assert "lowercase ASCII" in problems[0].message


def test_duplicate_slug_in_a_locale_names_both_files(write_article, content_dir):
    first = write_article("login-trouble")
    second = write_article("login-trouble", path="en/account/login-again.md")
    problem = _only(load_articles(content_dir))
    assert (problem.path, problem.line) == (second, 1) or (problem.path, problem.line) == (first, 1)
    assert "already used in locale 'en'" in problem.message


def test_same_slug_in_two_locales_is_a_translation_not_a_duplicate(write_article, content_dir):
    write_article()
    _translate(write_article)
    assert load_articles(content_dir).problems == []


def test_unknown_locale_names_file_and_line(write_article, content_dir):
    path = write_article(locale="fr")
    problem = _only(load_articles(content_dir))
    assert (problem.path, problem.line) == (path, 4)
    assert "unknown locale 'fr'" in problem.message


def test_unknown_category_is_an_error(write_article, content_dir):
    path = write_article(category="billing")
    problem = _only(load_articles(content_dir))
    assert problem.path == path
    assert "unknown category 'billing'" in problem.message


def test_link_to_missing_slug_names_its_line(write_article, content_dir):
    path = write_article(body="Intro.\n\nSee [this](no-such-article) too.\n")
    _translate(write_article)
    problem = _only(load_articles(content_dir))
    assert (problem.path, problem.line) == (path, 15)
    assert "link to 'no-such-article'" in problem.message


def test_related_naming_a_missing_slug_is_an_error(write_article, content_dir):
    path = write_article(related=["ghost"])
    _translate(write_article)
    problem = _only(load_articles(content_dir))
    assert problem.path == path and problem.line is not None
    assert "related article 'ghost' does not exist" in problem.message


def test_missing_translation_is_a_warning(write_article, content_dir):
    path = write_article()
    problem = _only(load_articles(content_dir), "warning")
    assert problem.path == path
    assert "no 'ko' version" in problem.message


def test_empty_body_names_the_line_after_the_front_matter(write_article, content_dir):
    path = write_article(body="\n  \n")
    problem = _only(load_articles(content_dir))
    assert (problem.path, problem.line) == (path, 13)
    assert "no body" in problem.message


def test_raw_html_the_sanitizer_strips_is_a_warning_with_its_line(write_article, content_dir):
    path = write_article(body="Intro.\n\n<script>alert(1)</script>\n")
    _translate(write_article)
    result = load_articles(content_dir)
    problem = _only(result, "warning")
    assert (problem.path, problem.line) == (path, 15)
    assert "raw HTML" in problem.message
    assert "alert" not in result.articles[0].html


def test_oversized_article_is_refused(write_article, content_dir):
    path = write_article(body="word " * (MAX_ARTICLE_BYTES // 5 + 10))
    result = load_articles(content_dir)
    problem = _only(result)
    assert problem.path == path and "limit is" in problem.message
    assert result.articles == []


def test_file_that_is_not_utf8_names_the_line(write_article, content_dir):
    path = write_article(raw="---\ntitle: Caf\xe9\n---\nbody\n".encode("latin-1"))
    problem = _only(load_articles(content_dir))
    assert (problem.path, problem.line) == (path, 2)
    assert "not UTF-8" in problem.message


@pytest.mark.parametrize(("field", "value", "message"), [
    ("questions", "not a list", "must be a list of texts"),
    ("status", "live", "status 'live' must be one of"),
    ("promoted", "yes please", "must be true or false"),
    ("updated", "last week", "must be a date"),
], ids=["questions", "status", "promoted", "updated"])
def test_badly_typed_fields_are_errors(write_article, content_dir, field, value, message):
    path = write_article(**{field: value})
    problem = _only(load_articles(content_dir))
    assert problem.path == path and problem.line is not None
    assert message in problem.message


def test_every_problem_is_collected_not_just_the_first(write_article, content_dir):
    write_article("a", title=None)
    write_article("b", locale="fr")
    write_article("c", raw="---\nbad: [\n---\n")
    assert len(load_articles(content_dir).errors) == 3


def test_missing_categories_file_is_an_error(tmp_path):
    result = load_articles(tmp_path)
    assert [p.message for p in result.errors] == [
        "categories file is missing: every content folder needs a categories.yml that names "
        "its categories"]


def test_draft_articles_load_but_are_not_published(write_article, content_dir):
    write_article(status="draft")
    _translate(write_article)
    article = next(a for a in load_articles(content_dir).articles if a.locale == "en")
    assert not article.is_published


def test_sample_articles_have_no_errors():
    result = load_articles(Path(__file__).parents[2] / "articles")
    assert result.errors == []
