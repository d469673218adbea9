"""``deflect bench``: synthetic help centers, and the time and memory our search takes on them.

The generator writes deterministic Korean (55 %) and English (45 %) articles of 200–1,500 words
over 16 support topics with a shared vocabulary, Korean nouns with particles and verbs with
endings, and a long tail of rare words and error codes. Its Korean is grammatical only on the
surface: it is for speed and size, not relevance. Latency is measured single-threaded,
in-process, uncached (the engine is opened with ``cache_size=0``), over the same queries for
our engine and the two baselines (Whoosh with its default analyzer; the TF-IDF leg alone), so
the ratios hold on a noisy machine. Every query is encoded for the meaning leg anew (its vector
cache is cleared too).

Refresh is timed the way the server sees it: one process saves a changed article
(``Engine.refresh``) while a second process, forked after the index was opened (as gunicorn
forks its workers), searches for the change every ``REFRESH_POLL_S`` until it is found; both
times run from the start of the refresh.
"""

from search.bench.corpus import generate_articles, generate_prefixes, generate_queries
from search.bench.measure import percentiles
from search.bench.report import format_report
from search.bench.run import REFRESH_POLL_S, REFRESH_WORDS, run_bench

__all__ = ["REFRESH_POLL_S", "REFRESH_WORDS", "format_report", "generate_articles",
           "generate_prefixes", "generate_queries", "percentiles", "run_bench"]
