"""``Engine``: the search API the web app and the CLI use.

It keeps one snapshot of the live index generation per process (``search.snapshot``) and
reopens it when the pointer file changes, so a rebuild or refresh by any process is picked up
by every worker at its next query. Whoosh is the index of record (``search.index``); queries
are analysed by ``search.query``; ranking runs on the same analysed terms as sparse matrices
(``search.postings``, ``search.similarity``), fused by ``search.ranking``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from html import escape
from pathlib import Path

import numpy as np

from search import confidence as confidence_model
from search import meaning as meaning_leg
from search import vocabulary as vocab_layer
from search.cache import CACHE_SIZE, ResultCache
from search.documents import (
    SearchDocument,
    analyse_document,
    analyse_documents,
    combine_digests,
    documents_digest,
)
from search.errors import IndexStateError
from search.index import Generation, IndexStore
from search.postings import coordinated
from search.query import (
    MAX_QUERY_LENGTH,
    ParsedQuery,
    analyse_prefix,
    analyse_query,
    check_length,
    check_query,
    normalise,
)
from search.ranking import cut_tail, fuse, rerank, top_indices
from search.results import Hit, SearchResults, Suggestion
from search.settings import Settings
from search.snapshot import Snapshot, release_free_memory
from search.snippets import forget_texts, split_sentences
from search.terms import is_kiwi_available
from search.text_match import TextHook, match_text

__all__ = ["MAX_QUERY_LENGTH", "Engine", "Hit", "SearchResults", "Settings", "Suggestion",
           "load_models"]

MAX_TEXT_LENGTH = 5000
"""Characters of a text block (a ticket) used by ``similar_to_text``."""


def load_models() -> None:
    """Load Kiwi (2–3 s) and the sentence encoder (~1 s) now: before gunicorn forks its
    workers, which then share them, and before anything is timed."""
    is_kiwi_available()
    meaning_leg.is_available()


class Engine:
    """Search, autocomplete, related articles and refresh over one on-disk index."""

    def __init__(self, store: IndexStore, *, settings: Settings | None = None,
                 synonyms_path: Path | None = None, processes: int = 2,
                 cache_size: int = CACHE_SIZE) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.processes = processes
        self.synonyms = vocab_layer.load_synonyms(synonyms_path)
        self.cache = ResultCache(cache_size)
        """Answers of ``search`` (``cache.hits`` and ``cache.misses`` count them)."""
        self._snapshot_: Snapshot | None = None
        self._stamp: tuple[int, int] | None = None
        self.text_hook: TextHook | None = None
        """Gets each ``similar_to_text`` match before hits are made (a confidence model)."""

    @classmethod
    def open(cls, articles: Iterable | None, data_dir: Path, *,
             articles_dir: Path | None = None, settings: Settings | None = None,
             processes: int = 2, cache_size: int = CACHE_SIZE) -> Engine:
        """Open the index under ``data_dir/index``; build it if ``articles`` changed.

        The one set-up of an engine: the Korean analyser gets the user dictionary of
        ``articles_dir`` (none without it), the engine its ``synonyms.txt``, and Kiwi and the
        sentence encoder are loaded. ``articles`` are ``kb.Article`` objects (drafts are
        skipped) or ``SearchDocument``s; a new generation is built only when their content
        hash differs from the live generation's. ``None`` opens without syncing, for callers
        that build themselves (``deflect index``, evaluation, the bench).
        """
        folder = Path(articles_dir) if articles_dir is not None else None
        vocab_layer.load_user_dictionary(folder / "userdict.txt" if folder else None)
        load_models()
        engine = cls(IndexStore(Path(data_dir) / "index"), settings=settings,
                     synonyms_path=folder / "synonyms.txt" if folder else None,
                     processes=processes, cache_size=cache_size)
        if articles is not None:
            engine.sync([a if isinstance(a, SearchDocument) else SearchDocument.from_article(a)
                         for a in articles if getattr(a, "is_published", True)])
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
        carried = snap.carry([(doc, doc.digest, split_sentences(doc.text))])
        snap = self._snapshot_ = None  # let the old snapshot go before building the new one
        self._snapshot_ = Snapshot(generation, self.settings, carried, matrix=matrix)
        self._stamp = self.store.pointer_stamp()
        self._forget_answers()

    # -- queries ---------------------------------------------------------------------------

    def search(self, query: str, *, locale: str, category: str | None = None,
               limit: int = 10) -> SearchResults:
        """Rank the articles of ``locale`` for ``query``; raise ``QueryError`` if it is empty
        or longer than ``MAX_QUERY_LENGTH``."""
        started = time.perf_counter()
        text = check_query(query)
        snap = self._snapshot()
        key = (text, locale, category, limit, snap.generation.name)
        cached = self.cache.get(key)
        if cached is None:
            cached = self._search(snap, text, locale, category, limit)
            self.cache.put(key, cached)
        hits, total, facets, did_you_mean, sure = cached
        return SearchResults(query=query, hits=list(hits), total=total, facets=dict(facets),
                             did_you_mean=did_you_mean,
                             is_low_confidence=sure < self.settings.low_confidence,
                             took_ms=(time.perf_counter() - started) * 1000, confidence=sure)

    def rank(self, query: str, *, locale: str, limit: int = 10) -> list[str]:
        """Return the ranked slugs only (evaluation): no snippets, no cache."""
        return self.judge(query, locale=locale, limit=limit).ranked

    def judge(self, query: str, *, locale: str, limit: int = 10,
              exclude: Iterable[str] = ()) -> confidence_model.Judgement:
        """Rank like ``rank`` and say how sure the engine is of the first result; the
        ``exclude`` slugs are left out as if not indexed (evaluation of unanswerable queries)."""
        snap = self._snapshot()
        fused, matched, signals = self._scores(
            snap, self._analyse(snap, check_query(query), locale), locale,
            [row for slug in exclude if (row := snap.rows.get((locale, slug))) is not None])
        rows = top_indices(fused, limit)
        return confidence_model.Judgement(
            [snap.docs[row].slug for row in rows],
            confidence_model.estimate(signals) if rows.size else 0.0, signals,
            fused[rows].tolist(), matched[rows].tolist(), int(np.count_nonzero(fused)))

    def confidence(self, text: str, *, locale: str) -> float:
        """Return the confidence (0–1) of searching ``text`` cut to ``MAX_QUERY_LENGTH``."""
        text = normalise(text).strip()[:MAX_QUERY_LENGTH]
        return self.judge(text, locale=locale, limit=1).confidence if text else 0.0

    def _scores(self, snap: Snapshot, parsed: ParsedQuery, locale: str,
                exclude: Sequence[int] = ()
                ) -> tuple[np.ndarray, np.ndarray, confidence_model.Signals]:
        ids = snap.scorer.term_ids(parsed.terms)
        keyword, matched = snap.scorer.score(ids)
        keyword = coordinated(keyword, matched, self.settings.coordination)
        mask = snap.locale_masks.get(locale)
        if mask is None:
            mask = np.zeros(len(snap.docs), dtype=bool)
        elif exclude:  # evaluation's unanswerable runs
            mask = mask.copy()
            mask[list(exclude)] = False
        fusion = self.settings.fusion
        similarity = snap.similarity.score(parsed.terms) if fusion.alpha else keyword
        phrases = (snap.phrases.score(parsed.terms)
                   if fusion.beta and snap.phrases is not None else None)
        characters = (snap.characters.score(parsed.text)
                      if fusion.gamma and snap.characters is not None else None)
        fused = fuse(keyword, similarity, mask, fusion, phrases, characters)
        # what does not need the query's vector comes first: its encoding may still be running
        bound = confidence_model.keyword_bound(ids, snap.scorer)
        known = confidence_model.known_share(parsed.terms, snap.scorer.vocabulary)
        sense = None
        if snap.meaning is not None:
            candidates = top_indices(fused, fusion.depth)
            sense = (candidates, snap.meaning.score(parsed.text, candidates))
            fused = rerank(fused, candidates, sense[1], fusion)
        signals = confidence_model.measure(
            fused, keyword=keyword, keyword_bound=bound, coverage=matched,
            similarity=similarity, phrases=phrases, meaning=sense, known=known,
            is_corrected=parsed.corrected is not None)
        return cut_tail(fused, matched, self.settings.tail), matched, signals

    def _search(self, snap: Snapshot, text: str, locale: str, category: str | None,
                limit: int):
        if snap.meaning is not None:
            # the meaning leg's encoding runs beside the analysis and the lexical legs, and
            # ``_scores`` picks it up from the query-vector cache
            meaning_leg.start_query_vector(text)
        parsed = self._analyse(snap, text, locale)
        fused, _, signals = self._scores(snap, parsed, locale)
        found = fused > 0
        counts = np.bincount(snap.category_codes[found], minlength=len(snap.categories))
        facets = {snap.categories[i]: int(n) for i, n in enumerate(counts) if n}
        if category is not None:
            fused = np.where(snap.category_codes == snap.categories.index(category), fused, 0) \
                if category in snap.categories else np.zeros_like(fused)
        rows = top_indices(fused, limit)
        hits = tuple(self._hit(snap, row, float(fused[row]), parsed.marks)
                     for row in rows)
        total = int(np.count_nonzero(fused))
        sure = confidence_model.estimate(signals) if hits else 0.0
        return hits, total, facets, parsed.corrected, sure

    def _hit(self, snap: Snapshot, row: int, score: float, marks) -> Hit:
        doc = snap.docs[row]
        return Hit(slug=doc.slug, locale=doc.locale, title=doc.title, category=doc.category,
                   score=round(score, 4), url=doc.url,
                   snippet=snap.snippet(row, marks))

    def _analyse(self, snap: Snapshot, text: str, locale: str) -> ParsedQuery:
        return analyse_query(text, locale, vocabulary=snap.vocabulary, synonyms=self.synonyms,
                             expansion_weight=self.settings.expansion_weight)

    def suggest(self, prefix: str, *, locale: str, limit: int = 8) -> list[Suggestion]:
        """Return articles whose title or questions match ``prefix`` as typed so far,
        including an unfinished last Korean syllable (로그ㅇ). An empty prefix gives []."""
        check_length(prefix)
        text = normalise(prefix)
        if not text.strip():
            return []
        snap = self._snapshot()
        terms, readings = analyse_prefix(text, locale, vocabulary=snap.vocabulary,
                                         settings=self.settings)
        ids = snap.suggester.term_ids(terms)
        fixed = {index for index, _ in ids}
        alternatives = [(index, weight) for index, weight in snap.suggester.term_ids(readings)
                        if index not in fixed]
        scores, matched = snap.suggester.score(ids, [alternatives] if alternatives else [])
        scores = coordinated(scores, matched, self.settings.suggest_coordination)
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
        text = normalise(text)[:MAX_TEXT_LENGTH]
        if not text.strip():
            return []
        snap = self._snapshot()
        parsed = self._analyse(snap, text, locale)
        mask = snap.locale_masks.get(locale)
        if mask is None:
            return []
        found = match_text(text, locale, snap.similarity.score(parsed.terms), mask,
                           snap.meaning, limit=limit, fusion=self.settings.fusion)
        if self.text_hook is not None:
            found = self.text_hook(found)
        return [self._hit(snap, int(r), float(s), parsed.marks)
                for r, s in zip(found.rows, found.scores, strict=True)]

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

    @property
    def digests(self) -> list[str]:
        """The content digest of each document of the live generation, in index order."""
        return list(self._snapshot().digests)

    @property
    def generation(self) -> Generation:
        """The live generation this engine answers from."""
        return self._snapshot().generation

    @property
    def has_meaning_leg(self) -> bool:
        """Whether the meaning leg re-ranks (the encoder was installed when the live
        generation was built, and the fusion gives it weight)."""
        return self._snapshot().meaning is not None

    def wait_for_vocabulary(self, timeout: float | None = None) -> bool:
        """Wait until the keystroke vocabulary of the live generation is built (after a
        refresh it is built in the background); return False on timeout."""
        return self._snapshot().vocabulary_ready.wait(timeout)

    def _summary_hit(self, snap: Snapshot, row: int, score: float) -> Hit:
        doc = snap.docs[row]
        summary = doc.text[:160] + ("…" if len(doc.text) > 160 else "")
        return Hit(slug=doc.slug, locale=doc.locale, title=doc.title, category=doc.category,
                   score=round(score, 4), snippet=escape(summary), url=doc.url)

    def _forget_answers(self) -> None:
        """The live generation changed: drop the cached answers, and the snippet caches keyed
        by article texts (they would keep the old generation's texts alive)."""
        self.cache.clear()
        forget_texts()

    def _snapshot(self, force: bool = False) -> Snapshot:
        stamp = self.store.pointer_stamp()
        if force or self._snapshot_ is None or stamp != self._stamp:
            generation = self.store.current()
            if generation is None:
                raise IndexStateError(f"no search index under {self.store.root}; "
                                      "run `deflect index` to build it")
            if (force or self._snapshot_ is None
                    or generation.name != self._snapshot_.generation.name):
                previous, self._snapshot_ = self._snapshot_, None
                changed = (None if force or previous is None
                           else self.store.changes_since(generation, previous.generation.name))
                if changed is None or not set(generation.keys) <= changed.union(previous.rows):
                    previous = None  # let the old snapshot go before building the new one
                    self._snapshot_ = Snapshot(generation, self.settings)
                    release_free_memory()
                else:
                    # refreshed by another process: read only the documents that changed
                    carried = previous.carry(zip(*generation.read_documents(sorted(changed)),
                                                 strict=True))
                    previous = None
                    self._snapshot_ = Snapshot(generation, self.settings, carried)
                self._forget_answers()
            self._stamp = stamp
        return self._snapshot_
