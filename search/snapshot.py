"""``Snapshot``: everything derived from one index generation, built once per process and
shared by all queries, and what a refreshed generation's snapshot carries over.

``search.engine`` keeps one per process and reopens it when the live generation changes; a
generation refreshed from the previous snapshot's takes over its documents and keystroke
vocabulary (``carry``) instead of reading and rebuilding them.
"""

from __future__ import annotations

import ctypes
import gc
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from search import meaning as meaning_leg
from search.documents import SearchDocument
from search.index import Generation, StoredDocuments
from search.postings import KeywordScorer
from search.settings import Settings
from search.similarity import CharacterIndex, PhraseIndex, SimilarityIndex
from search.snippets import Sentences, make_snippet
from search.vocabulary import Vocabulary

SNIPPETS_KNOWN = 4096
"""Snippets a snapshot remembers, by article row and the query's marks (~3 MB): queries that
differ only in particles, spacing or words that mark nothing show the same passages."""


@dataclass(frozen=True)
class Carried:
    """What a snapshot takes over from the previous one when its generation was refreshed
    from the previous one's: every document (with the refreshed ones patched in) and the
    keystroke vocabulary, to answer with until the new one is built."""

    docs: dict[tuple[str, str], tuple[SearchDocument, str, Sentences | None]]
    """Each document's key → the document, its content digest and its sentences."""
    vocabulary: Vocabulary


class Snapshot:
    """Everything derived from one generation, built once and shared by all queries."""

    def __init__(self, generation: Generation, settings: Settings,
                 carried: Carried | None = None, matrix=None) -> None:
        self.generation = generation
        if matrix is None:  # not kept: refresh reloads it, saving ~80 MB at 10,000 articles
            matrix = generation.terms()
        if carried is not None:
            self.docs, self.digests, self.sentences = StoredDocuments.of(
                carried.docs[key] for key in generation.keys)
        else:
            self.docs, self.digests, self.sentences = generation.read_documents()
        self.rows = {doc.key: row for row, doc in enumerate(self.docs)}
        self.scorer = KeywordScorer(matrix, settings.bm25)
        weights = generation.tfidf()
        self.similarity = SimilarityIndex(matrix, weights)
        self.similarity.share_positions(self.scorer.indptr, self.scorer.indices)
        self.phrases = PhraseIndex(matrix, weights) if weights.phrases is not None else None
        self.meaning = (meaning_leg.MeaningIndex(matrix.doc_vectors)
                        if matrix.doc_vectors is not None and settings.fusion.delta else None)
        self.characters = (CharacterIndex([" ".join((d.title, *d.questions, *d.keywords))
                                           for d in self.docs])
                           if settings.fusion.gamma else None)
        self.suggester = KeywordScorer(matrix, settings.suggest_bm25)
        locales = np.array([doc.locale for doc in self.docs])
        self.locale_masks = {loc: locales == loc for loc in set(locales.tolist())}
        self.categories = sorted({doc.category for doc in self.docs})
        codes = {c: i for i, c in enumerate(self.categories)}
        self.category_codes = np.array([codes[doc.category] for doc in self.docs], dtype=np.int32)
        self.snippet = _remembered_snippets(self.docs, self.sentences)
        self.vocabulary_ready = threading.Event()
        if carried is None:
            self.vocabulary = Vocabulary(matrix)
            self.vocabulary_ready.set()
        else:
            # the keystroke vocabulary takes ~0.5 s at 10,000 articles: keep answering with
            # the previous one while the new one is built
            self.vocabulary = carried.vocabulary
            threading.Thread(target=self._build_vocabulary, args=([matrix],),
                             daemon=True).start()

    def _build_vocabulary(self, holder: list) -> None:
        # the matrix comes in a list emptied here, so that it is freed before the memory is
        # released (the thread's own arguments would keep it until the thread ends)
        self.vocabulary = Vocabulary(holder.pop())
        self.vocabulary_ready.set()
        release_free_memory()  # what the previous snapshot held, off the query path

    def carry(self, refreshed: Iterable[tuple[SearchDocument, str, Sentences | None]]
              ) -> Carried:
        """Return what a snapshot of a generation refreshed from this one takes over, with
        the ``refreshed`` (document, digest, sentences) added or replaced."""
        docs = dict(zip((d.key for d in self.docs),
                        zip(self.docs, self.digests, self.sentences, strict=True), strict=True))
        docs.update((item[0].key, item) for item in refreshed)
        return Carried(docs, self.vocabulary)


def _remembered_snippets(docs: Sequence[SearchDocument], sentences: Sequence[Sentences | None]
                         ) -> Callable[[int, frozenset[str]], str]:
    """Return ``snippet(row, marks)``: the passage of the article at ``row`` with the query's
    ``marks`` marked (``make_snippet``), remembered. The passage depends on the article and
    the marks only, whatever language the search was asked in. It holds the documents, not
    the snapshot, so a snapshot let go is freed at once (no reference cycle to collect)."""

    @lru_cache(maxsize=SNIPPETS_KNOWN)
    def snippet(row: int, marks: frozenset[str]) -> str:
        return make_snippet(docs[row].text, marks, sentences=sentences[row])

    return snippet


def release_free_memory() -> None:
    """Return the heap freed while a snapshot was built to the OS (glibc keeps it otherwise:
    ~60 MB of a 10,000-article open); a no-op where ``malloc_trim`` does not exist."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
