"""What the search index holds for an article, and how each of its fields is analysed.

A ``SearchDocument`` is built from a ``kb.Article`` (or a row of an evaluation data set); its
analysed form maps each *stream* (``"<field>.<space>"``) to a list of terms. There are two term
spaces: ``m`` (Korean morphemes + joined noun pairs, English stems) and ``b`` (Hangul bigrams).
Korean articles fill both; English articles only ``m`` (the ``word`` view).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from search import meaning
from search.terms import ANALYSIS_VERSION, analysis_settings, analyze, hangul_bigrams

FIELDS = ("title", "questions", "keywords", "body")
SPACES = ("m", "b")
STREAMS = tuple(f"{field}.{space}" for field in FIELDS for space in SPACES)
PHRASES = "phrases"
"""Key of the analysis holding one term Counter per phrasing (title, then each question),
with space-prefixed terms."""
MEANING = "meaning"
"""Key of the analysis holding the document's sentence vector (``search.meaning``), when the
encoder is installed."""

BODY_MORPH_CHARS = 600
"""Only this many leading characters of a Korean body go through the morpheme analyser.

Kiwi runs at ~60k chars/s; the body's bigram view covers the rest (a design choice measured
in ``deflect bench``: short fields matter most)."""


@dataclass(frozen=True)
class SearchDocument:
    """One searchable article: identity, filters, display fields and the text to analyse."""

    slug: str
    locale: str
    category: str
    title: str
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    text: str = ""
    related: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.locale, self.slug)

    @property
    def url(self) -> str:
        return f"/{self.locale}/articles/{self.slug}"

    @property
    def digest(self) -> str:
        """Return a hash of everything that affects the index entry."""
        payload = json.dumps([self.slug, self.locale, self.category, self.title,
                              self.questions, self.keywords, self.text, str(ANALYSIS_VERSION)],
                             ensure_ascii=False)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()

    @classmethod
    def from_article(cls, article) -> SearchDocument:
        """Make the search view of a ``kb.Article`` (or anything with the same attributes)."""
        return cls(slug=article.slug, locale=article.locale, category=article.category,
                   title=article.title, questions=tuple(article.questions),
                   keywords=tuple(article.keywords), text=article.text,
                   related=tuple(getattr(article, "related", ()) or ()))


def field_texts(doc: SearchDocument) -> dict[str, str]:
    """Return the text of each field; list fields are joined one item per line."""
    return {"title": doc.title, "questions": "\n".join(doc.questions),
            "keywords": "\n".join(doc.keywords), "body": doc.text}


def analyse_document(doc: SearchDocument) -> dict:
    """Return the term counts of each stream of ``doc`` (``{"title.m": Counter(...), ...}``).

    Korean: every field in both spaces, but only the first ``BODY_MORPH_CHARS`` of the body go
    through Kiwi (the rest contributes its English words to ``m``). English: ``m`` only.
    ``analysis[PHRASES]`` lists the prefixed terms of the title and of each question, and
    ``analysis[MEANING]`` is the sentence vector of those phrasings (absent without the encoder).
    """
    streams: dict = {}
    for name, text in field_texts(doc).items():
        if name == "questions":
            continue
        streams[f"{name}.m"], streams[f"{name}.b"] = _analyse_field(name, text, doc.locale)
    # each question alone as well: the questions field is their sum, and every phrasing
    # (title and each question) is matched on its own by the phrase leg
    phrases = [_prefixed(streams["title.m"], streams["title.b"])]
    streams["questions.m"], streams["questions.b"] = Counter(), Counter()
    for question in doc.questions:
        morph, bigrams = _analyse_field("questions", question, doc.locale)
        streams["questions.m"].update(morph)
        streams["questions.b"].update(bigrams)
        phrases.append(_prefixed(morph, bigrams))
    streams[PHRASES] = phrases
    vector = meaning.document_vector([doc.title, *doc.questions])
    if vector is not None:
        streams[MEANING] = vector
    return streams


def _analyse_field(name: str, text: str, locale: str) -> tuple[Counter, Counter]:
    if locale != "ko":
        return Counter(t for t, _, _ in analyze(text, "word")), Counter()
    if name == "body" and len(text) > BODY_MORPH_CHARS:
        cut = text.rfind(" ", 0, BODY_MORPH_CHARS) + 1 or BODY_MORPH_CHARS
        morph = [t for t, _, _ in analyze(text[:cut], "morph")]
        morph += [t for t, _, _ in analyze(text[cut:], "word")]
    else:
        morph = [t for t, _, _ in analyze(text, "morph")]
    return Counter(morph), Counter(hangul_bigrams(text))


def _prefixed(morph: Counter, bigrams: Counter) -> Counter:
    phrase = Counter({f"m:{t}": c for t, c in morph.items()})
    phrase.update({f"b:{t}": c for t, c in bigrams.items()})
    return phrase


def analyse_documents(docs: Sequence[SearchDocument], *, processes: int = 2,
                      progress=None) -> Iterator[dict[str, Counter]]:
    """Yield each document's analysis in order, on ``processes`` forked workers when the corpus
    is large.

    Workers are forked after the parent has loaded the analysers, so they share Kiwi's model
    and the sentence encoder.
    ``progress(n)`` is called with the number of documents finished since the last call.
    """
    if processes <= 1 or len(docs) < 400:
        for doc in docs:
            yield analyse_document(doc)
            if progress:
                progress(1)
        return
    analyse_document(SearchDocument("warm-up", "ko", "x", "로그인 warm up"))  # loads both
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        for streams in pool.imap(analyse_document, docs, chunksize=32):
            yield streams
            if progress:
                progress(1)


def documents_digest(docs: Iterable[SearchDocument]) -> str:
    """Return one hash of a whole corpus (order-independent)."""
    return combine_digests(doc.digest for doc in docs)


def combine_digests(digests: Iterable[str]) -> str:
    """Return the corpus hash of per-document digests (as stored in the index)."""
    ordered = sorted(digests)
    # a new user dictionary, Kiwi version or sentence encoder rebuilds
    ordered.append(f"{analysis_settings()} {meaning.settings()}")
    return hashlib.sha1("\n".join(ordered).encode()).hexdigest()
