"""``Engine``: the search API the web app and the CLI use.

It keeps one snapshot of the live index generation per process (matrices, documents, the
keystroke vocabulary) and reopens it when the pointer file changes, so a rebuild or refresh by
any process is picked up by every worker at its next query. Whoosh is the index of record
(``search.index``); ranking runs on the same analysed terms as sparse matrices
(``search.postings``, ``search.similarity``), fused by ``search.ranking``.
"""

from __future__ import annotations

import ctypes
import gc
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import numpy as np

from search import confidence as confidence_model
from search import meaning as meaning_leg
from search import vocabulary as vocab_layer
from search.documents import (
    SearchDocument,
    analyse_document,
    analyse_documents,
    combine_digests,
    documents_digest,
    hangul_bigrams,
)
from search.errors import QueryError
from search.index import Generation, IndexStore
from search.postings import BM25FParams, KeywordScorer, coordinated
from search.ranking import FUSION, TAIL, Fusion, Tail, cut_tail, fuse, rerank, top_indices
from search.similarity import CharacterIndex, PhraseIndex, SimilarityIndex
from search.snippets import make_snippet
from search.terms import analyze, is_kiwi_available

MAX_QUERY_LENGTH = 200
"""Longest query accepted, in characters (``QueryError`` beyond)."""
MAX_QUERY_TERMS = 48
"""Analysed query terms kept (a long paste must not become a slow query)."""
MAX_TEXT_LENGTH = 5000
"""Characters of a text block (a ticket) used by ``similar_to_text``."""
CACHE_SIZE = 2048
SPACE_BIGRAM_WEIGHT = 0.7
"""Weight of a query bigram made across a space (a spacing variant, not what was typed)."""


@dataclass(frozen=True)
class Hit:
    """One search result: what to display and link, with a safe-HTML snippet."""

    slug: str
    locale: str
    title: str
    category: str
    score: float
    snippet: str
    url: str


@dataclass(frozen=True)
class SearchResults:
    """The answer to one query: ranked hits, facet counts and hints for the page."""

    query: str
    hits: list[Hit]
    total: int
    facets: dict[str, int]
    did_you_mean: str | None
    is_low_confidence: bool
    took_ms: float
    confidence: float = 0.0
    """Estimated probability that the first hit answers the query (``search.confidence``)."""


@dataclass(frozen=True)
class Judgement:
    """A query's ranked slugs (after the tail cut) and how sure the engine is of the first."""

    ranked: list[str]
    confidence: float
    signals: confidence_model.Signals
    scores: list[float]
    """Fused score of each ranked slug."""
    coverage: list[float]
    """Share of the query's terms each ranked slug matched."""
    total: int
    """Documents left after the tail cut."""


@dataclass(frozen=True)
class Suggestion:
    """An autocomplete entry: an article whose title or question matches what was typed."""

    slug: str
    locale: str
    title: str
    url: str


@dataclass(frozen=True)
class Settings:
    """Ranking settings; defaults are the values tuned on dev (see ``search/ranking.py``)."""

    bm25: BM25FParams = field(default_factory=BM25FParams)
    fusion: Fusion = FUSION
    coordination: float = 0.0
    """Power of the matched-terms share multiplied into BM25F (0 = plain OR)."""
    low_confidence: float = confidence_model.THRESHOLD
    """Searches whose confidence (``search.confidence``) is below this are flagged."""
    tail: Tail = TAIL
    """Which weak matches are cut from the results (``search.ranking.Tail``)."""
    expansion_weight: float = 0.6
    """Weight of terms added by the keystroke layer (corrections and completions)."""


@dataclass(frozen=True)
class _Query:
    text: str
    terms: list[tuple[str, float]]
    marks: frozenset[str]
    corrected: str | None


@dataclass(frozen=True)
class _Carried:
    """What a snapshot takes over from the previous one when its generation was refreshed
    from the previous one's: every document (with the refreshed ones patched in) and the
    keystroke vocabulary, to answer with until the new one is built."""

    docs: dict[tuple[str, str], tuple[SearchDocument, str]]
    vocabulary: vocab_layer.Vocabulary


class _Snapshot:
    """Everything derived from one generation, built once and shared by all queries."""

    def __init__(self, generation: Generation, settings: Settings,
                 carried: _Carried | None = None, matrix=None) -> None:
        self.generation = generation
        if matrix is None:  # not kept: refresh reloads it, saving ~80 MB at 10,000 articles
            matrix = generation.terms()
        if carried is not None:
            self.docs = [carried.docs[key][0] for key in generation.keys]
            self.digests = [carried.docs[key][1] for key in generation.keys]
        else:
            self.docs, self.digests = generation.read_documents()
        self.rows = {doc.key: row for row, doc in enumerate(self.docs)}
        self.scorer = KeywordScorer(matrix, settings.bm25)
        weights = generation.tfidf()
        self.similarity = SimilarityIndex(matrix, weights)
        self.phrases = PhraseIndex(matrix, weights) if weights.phrases is not None else None
        self.meaning = (meaning_leg.MeaningIndex(matrix.doc_vectors)
                        if matrix.doc_vectors is not None and settings.fusion.delta else None)
        self.characters = (CharacterIndex([" ".join((d.title, *d.questions, *d.keywords))
                                           for d in self.docs])
                           if settings.fusion.gamma else None)
        short = ("title.m", "title.b", "questions.m", "questions.b")
        self.suggester = KeywordScorer(matrix, BM25FParams(
            weights={"title.m": 2.0, "title.b": 1.0, "questions.m": 1.0, "questions.b": 0.5},
            b={name: 0.3 for name in short}))
        locales = np.array([doc.locale for doc in self.docs])
        self.locale_masks = {loc: locales == loc for loc in set(locales.tolist())}
        self.categories = sorted({doc.category for doc in self.docs})
        codes = {c: i for i, c in enumerate(self.categories)}
        self.category_codes = np.array([codes[doc.category] for doc in self.docs], dtype=np.int32)
        self.vocabulary_ready = threading.Event()
        if carried is None:
            self.vocabulary = vocab_layer.Vocabulary(matrix)
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
        self.vocabulary = vocab_layer.Vocabulary(holder.pop())
        self.vocabulary_ready.set()
        _release_free_memory()  # what the previous snapshot held, off the query path

    def carry(self, refreshed: Iterable[tuple[SearchDocument, str]]) -> _Carried:
        """Return what a snapshot of a generation refreshed from this one takes over, with
        the ``refreshed`` (document, digest) pairs added or replaced."""
        docs = dict(zip((d.key for d in self.docs),
                        zip(self.docs, self.digests, strict=True), strict=True))
        docs.update((doc.key, (doc, digest)) for doc, digest in refreshed)
        return _Carried(docs, self.vocabulary)


def load_models() -> None:
    """Load Kiwi (2–3 s) and the sentence encoder (~1 s) now: before gunicorn forks its
    workers, which then share them, and before anything is timed."""
    is_kiwi_available()
    meaning_leg.is_available()


class Engine:
    """Search, autocomplete, related articles and refresh over one on-disk index."""

    def __init__(self, store: IndexStore, *, settings: Settings | None = None,
                 synonyms_path: Path | None = None, processes: int = 2) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.processes = processes
        self.synonyms = vocab_layer.load_synonyms(synonyms_path)
        self._snapshot_: _Snapshot | None = None
        self._stamp: tuple[int, int] | None = None
        self._cache: OrderedDict = OrderedDict()

    @classmethod
    def open(cls, articles: Iterable, data_dir: Path, *, synonyms_path: Path | None = None,
             userdict_path: Path | None = None, settings: Settings | None = None,
             processes: int = 2) -> Engine:
        """Open the index under ``data_dir/index``, building it if the articles changed.

        ``articles`` are ``kb.Article`` objects (drafts are skipped). The content hash of the
        articles is compared with the live generation's; a new generation is built only when
        they differ.
        """
        vocab_layer.load_user_dictionary(userdict_path)
        load_models()
        engine = cls(IndexStore(Path(data_dir) / "index"), settings=settings,
                     synonyms_path=synonyms_path, processes=processes)
        docs = [SearchDocument.from_article(a) for a in articles
                if getattr(a, "is_published", True)]
        engine.sync(docs)
        return engine

    def sync(self, docs: Sequence[SearchDocument],
             progress: Callable[[int], None] | None = None) -> bool:
        """Make the live index hold exactly ``docs``; return True if a generation was built."""
        digest = documents_digest(docs)
        current = self.store.current()
        if current is not None and current.digest == digest:
            self._snapshot()
            return False
        self.rebuild(docs, progress=progress)
        return True

    def rebuild(self, docs: Sequence[SearchDocument],
                progress: Callable[[int], None] | None = None) -> Generation:
        """Build a new generation from ``docs`` and make it live (never in place)."""
        analysed = analyse_documents(docs, processes=self.processes, progress=progress)
        generation = self.store.build(docs, analysed, digest=documents_digest(docs),
                                      progress=progress)
        self._snapshot(force=True)
        return generation

    def refresh(self, article) -> None:
        """Make one saved article searchable (added, replaced, or removed if not published)."""
        snap = self._snapshot()
        doc = SearchDocument.from_article(article)
        if not getattr(article, "is_published", True):
            docs = [d for d in snap.docs if d.key != doc.key]
            if len(docs) != len(snap.docs):
                self.rebuild(docs)
            return
        digests = [digest for d, digest in zip(snap.docs, snap.digests, strict=True)
                   if d.key != doc.key]
        generation, matrix = self.store.refresh(snap.generation, snap.generation.terms(), doc,
                                           analyse_document(doc),
                                           digest=combine_digests([*digests, doc.digest]))
        carried = snap.carry([(doc, doc.digest)])
        snap = self._snapshot_ = None  # let the old snapshot go before building the new one
        self._snapshot_ = _Snapshot(generation, self.settings, carried, matrix=matrix)
        self._stamp = self.store.pointer_stamp()
        self._cache.clear()

    # -- queries ---------------------------------------------------------------------------

    def search(self, query: str, *, locale: str, category: str | None = None,
               limit: int = 10) -> SearchResults:
        """Rank the articles of ``locale`` for ``query``; raise ``QueryError`` if it is empty
        or longer than ``MAX_QUERY_LENGTH``."""
        started = time.perf_counter()
        text = _check_query(query)
        snap = self._snapshot()
        key = (text, locale, category, limit, snap.generation.name)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._search(snap, text, locale, category, limit)
            self._cache[key] = cached
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        hits, total, facets, did_you_mean, sure = cached
        return SearchResults(query=query, hits=list(hits), total=total, facets=dict(facets),
                             did_you_mean=did_you_mean,
                             is_low_confidence=sure < self.settings.low_confidence,
                             took_ms=(time.perf_counter() - started) * 1000, confidence=sure)

    def rank(self, query: str, *, locale: str, limit: int = 10) -> list[str]:
        """Return the ranked slugs only (evaluation): no snippets, no cache."""
        return self.judge(query, locale=locale, limit=limit).ranked

    def judge(self, query: str, *, locale: str, limit: int = 10,
              exclude: Iterable[str] = ()) -> Judgement:
        """Rank like ``rank`` and say how sure the engine is of the first result; the
        ``exclude`` slugs are left out as if not indexed (evaluation of unanswerable queries)."""
        snap = self._snapshot()
        fused, matched, signals = self._scores(
            snap, self._analyse_query(snap, _check_query(query), locale), locale,
            [row for slug in exclude if (row := snap.rows.get((locale, slug))) is not None])
        rows = top_indices(fused, limit)
        return Judgement([snap.docs[row].slug for row in rows],
                         confidence_model.estimate(signals) if rows.size else 0.0, signals,
                         [float(fused[row]) for row in rows],
                         [float(matched[row]) for row in rows], int(np.count_nonzero(fused)))

    def confidence(self, text: str, *, locale: str) -> float:
        """Return how sure a search for the first ``MAX_QUERY_LENGTH`` characters of ``text``
        is of its top result (0–1; the contact form's suggestions use it)."""
        text = _normalise(text).strip()[:MAX_QUERY_LENGTH]
        if not text:
            return 0.0
        return self.judge(text, locale=locale, limit=1).confidence

    def _scores(self, snap: _Snapshot, parsed: _Query, locale: str, exclude: Sequence[int] = ()
                ) -> tuple[np.ndarray, np.ndarray, confidence_model.Signals]:
        ids = snap.scorer.term_ids(parsed.terms)
        keyword, matched = snap.scorer.score(ids)
        keyword = coordinated(keyword, matched, self.settings.coordination)
        mask = snap.locale_masks.get(locale)
        if mask is None:
            mask = np.zeros(len(snap.docs), dtype=bool)
        if len(exclude):
            mask = mask.copy()
            mask[list(exclude)] = False
        fusion = self.settings.fusion
        similarity = snap.similarity.score(parsed.terms) if fusion.alpha else keyword
        phrases = (snap.phrases.score(parsed.terms)
                   if fusion.beta and snap.phrases is not None else None)
        characters = (snap.characters.score(parsed.text)
                      if fusion.gamma and snap.characters is not None else None)
        fused = fuse(keyword, similarity, mask, fusion, phrases, characters)
        sense = None
        if snap.meaning is not None:
            candidates = top_indices(fused, fusion.depth)
            sense = (candidates, snap.meaning.score(parsed.text, candidates))
            fused = rerank(fused, candidates, sense[1], fusion)
        # confidence reads the legs before the cut and before max-normalisation
        signals = confidence_model.measure(
            fused, keyword=keyword, keyword_bound=snap.scorer.max_score(ids), coverage=matched,
            similarity=similarity, phrases=phrases, meaning=sense,
            known=confidence_model.known_share(parsed.terms, snap.scorer.vocabulary),
            is_corrected=parsed.corrected is not None)
        return cut_tail(fused, matched, self.settings.tail), matched, signals

    def _search(self, snap: _Snapshot, text: str, locale: str, category: str | None,
                limit: int):
        parsed = self._analyse_query(snap, text, locale)
        fused, _, signals = self._scores(snap, parsed, locale)
        found = fused > 0
        counts = np.bincount(snap.category_codes[found], minlength=len(snap.categories))
        facets = {snap.categories[i]: int(n) for i, n in enumerate(counts) if n}
        if category is not None:
            fused = np.where(snap.category_codes == snap.categories.index(category), fused, 0) \
                if category in snap.categories else np.zeros_like(fused)
        rows = top_indices(fused, limit)
        hits = tuple(self._hit(snap, row, float(fused[row]), parsed.marks, locale)
                     for row in rows)
        total = int(np.count_nonzero(fused))
        sure = confidence_model.estimate(signals) if hits else 0.0
        return hits, total, facets, parsed.corrected, sure

    def _hit(self, snap: _Snapshot, row: int, score: float, marks, locale: str) -> Hit:
        doc = snap.docs[row]
        return Hit(slug=doc.slug, locale=doc.locale, title=doc.title, category=doc.category,
                   score=round(score, 4), snippet=make_snippet(doc.text, marks, locale=locale),
                   url=doc.url)

    def _analyse_query(self, snap: _Snapshot, text: str, locale: str) -> _Query:
        terms: list[tuple[str, float]] = []
        marks: set[str] = set()
        for term, _, _ in analyze(text, "morph" if locale == "ko" else "word"):
            terms.append((f"m:{term}", 1.0))
            if locale != "ko" or not ("가" <= term[0] <= "힣"):
                marks.add(term)
        if locale == "ko":
            for term in hangul_bigrams(text):
                terms.append((f"b:{term}", 1.0))
                marks.add(term)
            # bigrams across one space, so 로 그인 and 비밀 번호 meet 로그인 and 비밀번호
            words = text.split()
            for left, right in zip(words, words[1:], strict=False):
                if _is_hangul(left[-1:]) and _is_hangul(right[:1]):
                    terms.append((f"b:{left[-1]}{right[0]}", SPACE_BIGRAM_WEIGHT))
        extra, corrected = snap.vocabulary.expand(text, locale=locale, synonyms=self.synonyms,
                                                  weight=self.settings.expansion_weight)
        for term, weight in extra:
            terms.append((term, weight))
            marks.update(_marks_of(term))
        return _Query(text, _dedupe(terms)[:MAX_QUERY_TERMS], frozenset(marks), corrected)

    def suggest(self, prefix: str, *, locale: str, limit: int = 8) -> list[Suggestion]:
        """Return articles whose title or questions match ``prefix`` as typed so far,
        including an unfinished last Korean syllable (로그ㅇ). An empty prefix gives []."""
        if len(prefix) > MAX_QUERY_LENGTH:
            raise QueryError(f"the query is {len(prefix)} characters long; "
                             f"the limit is {MAX_QUERY_LENGTH}")
        text = _normalise(prefix)
        if not text.strip():
            return []
        snap = self._snapshot()
        terms, readings = snap.vocabulary.prefix_terms(text, locale=locale)
        ids = snap.suggester.term_ids(terms)
        fixed = {index for index, _ in ids}
        alternatives = [(index, weight) for index, weight in snap.suggester.term_ids(readings)
                        if index not in fixed]
        scores, matched = snap.suggester.score(ids, [alternatives] if alternatives else [])
        scores = coordinated(scores, matched, 2.0)
        mask = snap.locale_masks.get(locale)
        if mask is None:
            return []
        scores = np.where(mask, scores, 0)
        return [Suggestion(d.slug, d.locale, d.title, d.url)
                for d in (snap.docs[r] for r in top_indices(scores, limit))]

    def related(self, slug: str, *, locale: str, limit: int = 5) -> list[Hit]:
        """Return articles related to ``slug``: the editor's ``related`` links first, then the
        most similar articles (TF-IDF cosine) in the same locale. Unknown slug gives []."""
        snap = self._snapshot()
        row = snap.rows.get((locale, slug))
        if row is None:
            return []
        cosine = snap.similarity.similar_to_row(row)
        cosine = np.where(snap.locale_masks[locale], cosine, 0)
        cosine[row] = 0
        chosen: list[int] = []
        for linked in snap.docs[row].related:
            linked_row = snap.rows.get((locale, linked))
            if linked_row is not None and linked_row not in chosen:
                chosen.append(linked_row)
        for other in top_indices(cosine, limit + len(chosen)):
            if int(other) not in chosen:
                chosen.append(int(other))
        return [self._summary_hit(snap, r, float(cosine[r])) for r in chosen[:limit]]

    def similar_to_text(self, text: str, *, locale: str, limit: int = 3) -> list[Hit]:
        """Return the articles of ``locale`` most similar to a block of text (a ticket)."""
        text = _normalise(text)[:MAX_TEXT_LENGTH]
        if not text.strip():
            return []
        snap = self._snapshot()
        parsed = self._analyse_query(snap, text, locale)
        cosine = snap.similarity.score(parsed.terms)
        mask = snap.locale_masks.get(locale)
        if mask is None:
            return []
        cosine = np.where(mask & (cosine >= 0.05), cosine, 0)
        return [self._hit(snap, int(r), float(cosine[r]), parsed.marks, locale)
                for r in top_indices(cosine, limit)]

    def near_duplicates(self, *, locale: str, threshold: float = 0.8
                        ) -> list[tuple[str, str, float]]:
        """Return pairs of article slugs in ``locale`` whose TF-IDF cosine ≥ ``threshold``."""
        snap = self._snapshot()
        rows = [r for r, d in enumerate(snap.docs) if d.locale == locale]
        return [(snap.docs[a].slug, snap.docs[b].slug, round(c, 3))
                for a, b, c in snap.similarity.near_duplicates(rows, threshold)]

    @property
    def documents(self) -> list[SearchDocument]:
        """The documents of the live generation, in index order."""
        return list(self._snapshot().docs)

    def _summary_hit(self, snap: _Snapshot, row: int, score: float) -> Hit:
        doc = snap.docs[row]
        summary = doc.text[:160] + ("…" if len(doc.text) > 160 else "")
        return Hit(slug=doc.slug, locale=doc.locale, title=doc.title, category=doc.category,
                   score=round(score, 4), snippet=escape(summary), url=doc.url)

    def _snapshot(self, force: bool = False) -> _Snapshot:
        stamp = self.store.pointer_stamp()
        if force or self._snapshot_ is None or stamp != self._stamp:
            generation = self.store.current()
            if generation is None:
                from search.errors import IndexStateError
                raise IndexStateError(f"no search index under {self.store.root}; "
                                      "run `deflect index` to build it")
            if (force or self._snapshot_ is None
                    or generation.name != self._snapshot_.generation.name):
                previous, self._snapshot_ = self._snapshot_, None
                changed = (None if force or previous is None
                           else self.store.changes_since(generation, previous.generation.name))
                if changed is None or not set(generation.keys) <= changed.union(previous.rows):
                    previous = None  # let the old snapshot go before building the new one
                    self._snapshot_ = _Snapshot(generation, self.settings)
                    _release_free_memory()
                else:
                    # refreshed by another process: read only the documents that changed
                    docs, digests = generation.read_documents(sorted(changed))
                    carried = previous.carry(zip(docs, digests, strict=True))
                    previous = None
                    self._snapshot_ = _Snapshot(generation, self.settings, carried)
                self._cache.clear()
            self._stamp = stamp
        return self._snapshot_


def _release_free_memory() -> None:
    """Return the heap freed while a snapshot was built to the OS (glibc keeps it otherwise:
    ~60 MB of a 10,000-article open); a no-op where ``malloc_trim`` does not exist."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _check_query(query: str) -> str:
    text = _normalise(query or "").strip()
    if not text:
        raise QueryError("the query is empty: type a few words to search for")
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is {len(query)} characters long; "
                         f"the limit is {MAX_QUERY_LENGTH}")
    return text


def _is_hangul(text: str) -> bool:
    return "가" <= text[:1] <= "힣"


def _dedupe(terms: list[tuple[str, float]]) -> list[tuple[str, float]]:
    best: dict[str, float] = {}
    for term, weight in terms:
        if weight > best.get(term, 0.0):
            best[term] = weight
    return list(best.items())


def _marks_of(term: str) -> set[str]:
    body = term[2:]
    if "가" <= body[:1] <= "힣" and len(body) > 2:
        return {body[i:i + 2] for i in range(len(body) - 1)}
    return {body}
