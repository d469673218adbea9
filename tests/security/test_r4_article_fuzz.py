"""R4: article files fuzzed through the loader and linter.

Hypothesis builds whole files: front matter that is valid, broken or strange (YAML edge cases,
huge keys, wrong types), bodies from a dictionary of Markdown and HTML tokens (``<!``, ``<![``,
``]]>``, ``{: }``, entities, backticks, Hangul), then a byte-level twist (a BOM, CRLF line ends,
NUL characters, a byte that is not UTF-8). Pass: no exception escapes ``load_articles``, and
every file either loads as an article or has an error naming that file and a line.

Negative control: the token dictionary found a real crash in Markdown 3.8 (GHSA-5wmx-573v-2qwq,
an AssertionError from ``html.parser`` on ``<![``); the same harness with a renderer that
fails the way it did must count the crashes.
"""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import articles as kb_articles
from kb.loader import load_articles

from .conftest import SCALE

TOKENS = ["<!", "<![", "<![CDATA[", "]]>", "-->", "<!--", "{: onclick=x }", "{:", "&#", "&#x",
          "&amp;", "`", "```", "~~~", "[", "]", "(", ")", "](", "![", "<", ">", "</", "<a ",
          "<script>", "*", "_", "#", "|", "---", "\n", "\n\n", "    ", "\t", "\\", "javascript:",
          "로그인", "비밀번호", "한글 ", "ㄱㅏ", "\u200b", "\u202e", "\ufeff", "\x00", "\r", "é"]
FRONT_KEYS = ["title", "slug", "locale", "category", "questions", "keywords", "status",
              "promoted", "related", "updated", "titel", "x" * 300, "", "? ", "- "]
FRONT_VALUES = st.one_of(
    st.sampled_from(["login-trouble", "en", "ko", "account", "draft", "published", "", "~",
                     "null", "yes", "2026-13-45", "2026-11-02", "[a, b", "{", "'", "*anchor",
                     "&anchor x", "!!python/object:os.system", "Not A Slug", "로그인", "- a"]),
    st.integers(), st.booleans(), st.lists(st.text(max_size=8), max_size=3),
    st.text(max_size=20))

markdown_bodies = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)),
                           max_size=60).map("".join)


@st.composite
def article_files(draw) -> bytes:
    """The bytes of one article file."""
    front = {"title": "Cannot sign in", "slug": "fuzzed", "locale": "en",
             "category": "account"}
    if draw(st.booleans()):  # half the files: valid front matter, so the body is rendered
        body = draw(markdown_bodies)
        return ("---\n" + yaml.safe_dump(front) + "---\nAnswer.\n\n" + body).encode(
            "utf-8", "surrogatepass")
    # Mostly small changes, so that most files reach the Markdown renderer.
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 1, 2, 4]))):
        front[draw(st.sampled_from(FRONT_KEYS))] = draw(FRONT_VALUES)
    if draw(st.integers(0, 5)) == 0:
        front.pop(draw(st.sampled_from(list(front))))
    header = yaml.safe_dump(front, allow_unicode=True) if draw(st.integers(0, 5)) else \
        draw(st.lists(st.sampled_from([f"{k}: " for k in FRONT_KEYS] + TOKENS
                                      + ["en", "account", "\n"]), max_size=20).map("".join))
    text = "---\n" + header + ("---\n" if draw(st.integers(0, 9)) else "") \
        + draw(markdown_bodies)
    twist = draw(st.sampled_from(["none"] * 5 + ["bom", "crlf", "nul", "latin1", "no-front"]))
    if twist == "bom":
        text = "\ufeff" + text
    elif twist == "crlf":
        text = text.replace("\n", "\r\n")
    elif twist == "nul":
        text = text.replace("\n", "\n\x00", 1)
    elif twist == "no-front":
        text = text.split("---\n", 2)[-1]
    return text.encode("latin-1", "replace") + b"\xff" if twist == "latin1" else \
        text.encode("utf-8", "surrogatepass")


def check_file(content_dir, data: bytes, outcome: Counter) -> None:
    path = content_dir / "en" / "account" / "fuzzed.md"
    path.write_bytes(data)
    try:
        result = load_articles(content_dir)
    except Exception as error:  # noqa: BLE001 (counting every escape is the point)
        outcome[f"exception {type(error).__name__}"] += 1
        raise
    loaded = any(article.path == path for article in result.articles)
    named = [p for p in result.errors if p.path == path and p.line is not None]
    outcome["loaded" if loaded else "refused with file and line" if named else "lost"] += 1
    assert loaded or named, [str(p) for p in result.problems]


@pytest.fixture
def fuzz_folder(content_dir):
    (content_dir / "en" / "account").mkdir(parents=True)
    return content_dir


def test_every_file_loads_or_gets_an_error_with_file_and_line(fuzz_folder, figures):
    outcome: Counter[str] = Counter()

    @settings(settings.get_profile("battery"), max_examples=300 * SCALE)
    @given(article_files())
    def run(data):
        check_file(fuzz_folder, data, outcome)

    run()
    figures("R4", examples=sum(outcome.values()), **{k.replace(" ", "_"): v
                                                     for k, v in sorted(outcome.items())})
    assert not [k for k in outcome if k.startswith("exception") or k == "lost"]


def test_negative_control_a_renderer_that_crashes_on_cdata_is_caught(
        fuzz_folder, figures, monkeypatch):
    """Markdown 3.8's failure, put back: the harness must find it within the same examples."""
    real = kb_articles.render_body

    def crashing(body: str, locale: str):
        if "<![" in body:
            raise AssertionError("we should not get here!")  # html.parser's message in 3.8
        return real(body, locale)

    monkeypatch.setattr(kb_articles, "render_body", crashing)
    outcome: Counter[str] = Counter()

    @settings(settings.get_profile("battery"), max_examples=300 * SCALE)
    @given(article_files())
    def run(data):
        check_file(fuzz_folder, data, outcome)

    with pytest.raises(AssertionError, match="we should not get here"):
        run()
    figures("R4", control_crashes_found=outcome["exception AssertionError"])
