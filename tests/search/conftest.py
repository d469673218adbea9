"""Search fixtures: one engine over the sample articles per session, and tiny corpora."""

from __future__ import annotations

import pytest

from kb import KnowledgeBase
from search import Engine
from search.documents import SearchDocument
from search.korean import configure_korean, korean_config
from web.config import REPOSITORY

SAMPLE_ARTICLES = REPOSITORY / "articles"


@pytest.fixture(scope="session")
def sample_engine(tmp_path_factory) -> Engine:
    """The engine over the repository's sample articles, built once (read-only in tests)."""
    return Engine.open(KnowledgeBase.load(SAMPLE_ARTICLES).articles(),
                       tmp_path_factory.mktemp("sample-data"),
                       articles_dir=SAMPLE_ARTICLES, processes=1)


@pytest.fixture
def without_kiwi():
    """The analysis as it runs where kiwipiepy is missing: bigrams carry Korean."""
    config = korean_config()
    configure_korean(config.userdict_path, use_kiwi=False)
    yield
    configure_korean(config.userdict_path, use_kiwi=config.use_kiwi)


def make_doc(slug: str, title: str, *, locale: str = "en", category: str = "account",
             questions: tuple[str, ...] = (), text: str = "", related: tuple[str, ...] = ()
             ) -> SearchDocument:
    """Return a small search document (keywords empty unless given through questions)."""
    return SearchDocument(slug=slug, locale=locale, category=category, title=title,
                          questions=questions, text=text or title, related=related)


@pytest.fixture
def new_doc():
    """``make_doc``, for tests that add or replace an article in an index."""
    return make_doc


@pytest.fixture
def tiny_docs() -> list[SearchDocument]:
    """Five small articles: three English, two Korean (two share the slug ``refund``)."""
    return list(_TINY)


_TINY = [
    make_doc("reset-password", "Reset your password",
             questions=("I forgot my password",), text="Open settings and choose reset."),
    make_doc("delete-account", "Delete your account", category="privacy",
             questions=("How do I close my account?",), text="Deleting removes your data."),
    make_doc("refund", "Ask for a refund", category="payment",
             questions=("Can I get my money back?",), text="Refunds take five days."),
    make_doc("login-trouble", "로그인이 안 돼요", locale="ko",
             questions=("로그인 안됨",), text="비밀번호를 확인해 주세요."),
    make_doc("refund", "환불 신청 방법", locale="ko", category="payment",
             questions=("환불받고 싶어요",), text="환불은 5일 걸려요."),
]
