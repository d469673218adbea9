"""Korean/English help-center search: analysis, the Whoosh index of record, BM25F and TF-IDF
legs fused into one ranking, autocomplete, evaluation and benchmarks. Never imports Flask.

    from search import Engine
    engine = Engine.open(articles, data_dir, articles_dir=articles_dir)
    engine.search("로그인이 안 돼요", locale="ko")
    problems = check_vocabulary(articles_dir)  # synonyms.txt and userdict.txt, for lint
"""

from search.clusters import cluster_queries
from search.engine import MAX_QUERY_LENGTH, Engine, Hit, SearchResults, Settings, Suggestion
from search.errors import IndexStateError, QueryError, SearchError
from search.query import query_key
from search.vocabulary import check_vocabulary

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
    "check_vocabulary",
    "cluster_queries",
    "query_key",
]
