"""Korean/English help-center search: analysis, the Whoosh index of record, BM25F and TF-IDF
legs fused into one ranking, autocomplete, evaluation and benchmarks. Never imports Flask.

    from search import Engine
    engine = Engine.open(articles, data_dir, synonyms_path=..., userdict_path=...)
    engine.search("로그인이 안 돼요", locale="ko")
"""

from search.engine import MAX_QUERY_LENGTH, Engine, Hit, SearchResults, Settings, Suggestion
from search.errors import IndexStateError, QueryError, SearchError

__all__ = [
    "MAX_QUERY_LENGTH",
    "Engine",
    "Hit",
    "IndexStateError",
    "QueryError",
    "SearchError",
    "SearchResults",
    "Settings",
    "Suggestion",
]
