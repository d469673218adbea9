"""Deflect's knowledge base and support domain: articles, their loading and linting, the
database, and (as they land) events and tickets. Never imports Flask, ``web`` or ``search``."""

from kb.articles import LOCALES, Article, Problem, parse_article
from kb.db import Base, Database
from kb.errors import KBError
from kb.knowledge import KnowledgeBase
from kb.loader import Category, LoadResult, load_articles, load_categories
from kb.rendering import Heading, render_body, sanitize

__all__ = [
    "LOCALES",
    "Article",
    "Base",
    "Category",
    "Database",
    "Heading",
    "KBError",
    "KnowledgeBase",
    "LoadResult",
    "Problem",
    "load_articles",
    "load_categories",
    "parse_article",
    "render_body",
    "sanitize",
]
