"""Query analysis: what a typed query, an autocomplete prefix or a ticket's text becomes
before ranking.

A query is NFKC-normalised and checked (``check_query``), then analysed into weighted,
space-prefixed terms (``m:`` morphemes and stems, ``b:`` Hangul bigrams) plus what the index
vocabulary adds (synonyms, keystroke repairs and completions: ``search.vocabulary``). An
autocomplete prefix is analysed by ``analyse_prefix``: the word being typed becomes a set of
alternative readings. The terms are the index's, so ``search.postings`` and
``search.similarity`` score them directly.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from search.errors import QueryError
from search.keystroke import expand_query
from search.settings import Settings
from search.synonyms import Synonyms
from search.terms import (
    HANGUL_RUN,
    analyze,
    hangul_bigrams,
    is_kiwi_available,
    syllable_bigrams,
)
from search.tokens import is_hangul
from search.vocabulary import Vocabulary, expansion_terms

MAX_QUERY_LENGTH = 200
"""Longest query accepted, in characters (``QueryError`` beyond)."""
MAX_QUERY_TERMS = 48
"""Analysed query terms kept (a long paste must not become a slow query)."""
SPACE_BIGRAM_WEIGHT = 0.7
"""Weight of a query bigram made across a space (a spacing variant, not what was typed)."""

Terms = list[tuple[str, float]]


@dataclass(frozen=True)
class ParsedQuery:
    """An analysed query: its normalised text, weighted terms, the words to highlight in
    snippets, and the repaired query to offer (did-you-mean) or None."""

    text: str
    terms: Terms
    marks: frozenset[str]
    corrected: str | None


def normalise(text: str) -> str:
    """Return ``text`` in NFKC (full-width letters, compatibility jamo spacing)."""
    return unicodedata.normalize("NFKC", text)


def check_query(query: str) -> str:
    """Return the normalised, stripped query; raise ``QueryError`` if it is empty or longer
    than ``MAX_QUERY_LENGTH``."""
    text = normalise(query or "").strip()
    if not text:
        raise QueryError("the query is empty: type a few words to search for")
    check_length(query)
    return text


def check_length(query: str) -> None:
    """Raise ``QueryError`` if ``query`` is longer than ``MAX_QUERY_LENGTH``."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is {len(query)} characters long; "
                         f"the limit is {MAX_QUERY_LENGTH}")


def analyse_query(text: str, locale: str, *, vocabulary: Vocabulary,
                  synonyms: Synonyms | None, expansion_weight: float) -> ParsedQuery:
    """Analyse a checked query for ranking in ``locale``."""
    terms: Terms = []
    marks: set[str] = set()
    spans: list[tuple[int, int]] = []  # where the Korean content morphemes are written
    for term, start, end in analyze(text, "morph" if locale == "ko" else "word"):
        terms.append((f"m:{term}", 1.0))
        if locale != "ko" or not is_hangul(term):
            marks.add(term)
        else:
            spans.append((start, end))
    if locale == "ko":
        terms += [(f"b:{term}", 1.0) for term in hangul_bigrams(text)]
        marks |= _korean_marks(text, spans)
        # bigrams across one space, so 로 그인 and 비밀 번호 meet 로그인 and 비밀번호
        words = text.split()
        for left, right in zip(words, words[1:], strict=False):
            if is_hangul(left[-1:]) and is_hangul(right[:1]):
                terms.append((f"b:{left[-1]}{right[0]}", SPACE_BIGRAM_WEIGHT))
    extra, corrected = vocabulary.expand(text, locale=locale, synonyms=synonyms,
                                         weight=expansion_weight)
    for term, weight in extra:
        terms.append((term, weight))
        marks.update(_marks_of(term))
    return ParsedQuery(text, _dedupe(terms)[:MAX_QUERY_TERMS], frozenset(marks), corrected)


def query_key(text: str, locale: str) -> str:
    """The analysed form a query is grouped by in the insights: its morphemes (Korean, joined
    without spaces, the analyser's re-joined compounds left out) or stems (English), in order,
    so spacing and particle variants share one key.

    >>> query_key("로그인안돼요", "ko") == query_key("로그인 안 돼요", "ko")
    True
    """
    normal = normalise(text).strip()
    if locale != "ko":
        terms = [term for term, _, _ in analyze(normal, "word")]
        return (" ".join(terms) or " ".join(normal.casefold().split()))[:MAX_QUERY_LENGTH]
    terms = [term for term, _, _ in analyze(normal, "morph")]
    found = set(terms)
    # 비밀 번호 and 비밀번호 analyse to 비밀 + 비밀번호 + 번호 and to 비밀번호: drop the joins.
    parts = [t for t in terms
             if not any(t[:cut] in found and t[cut:] in found for cut in range(1, len(t)))]
    return ("".join(parts) or "".join(normal.casefold().split()))[:MAX_QUERY_LENGTH]


def analyse_prefix(text: str, locale: str, *, vocabulary: Vocabulary,
                   settings: Settings) -> tuple[Terms, Terms]:
    """Return the terms of an autocomplete prefix: ``(terms, readings)``.

    ``terms`` are the finished words' (and the typed text's bigrams); ``readings`` are the
    alternatives for the word being typed (the last, unless a space follows it): what it
    analyses to, its completions (an unfinished syllable included: 로그ㅇ → 로그인) and its
    repairs. When it completes to known title terms, the most frequent completion is the
    obvious one, and what its unfinished text analyses to (로그) and its typo repairs weigh
    less; ``KeywordScorer.score`` counts the readings as one word.
    """
    titles = vocabulary.titles
    completion = settings.prefix_completion_weight
    view = "morph" if locale == "ko" else "word"
    words = text.split()
    typing = words[-1] if words and not text[-1:].isspace() else ""
    typed_from = len(text.rstrip()) - len(typing)
    completions = titles.completions(typing, 6) if typing else []
    terms: Terms = []
    readings: Terms = []
    for term, start, _ in analyze(text, view):
        if typing and start >= typed_from:
            is_cut = completions and term not in completions
            readings.append((f"m:{term}", settings.prefix_cut_weight if is_cut else 1.0))
        else:
            terms.append((f"m:{term}", 1.0))
    if locale == "ko":
        terms += [(f"b:{t}", settings.prefix_bigram_weight)
                  for t, _, _ in analyze(text, "bigram") if is_hangul(t)]
    if completions:
        top = max(titles.frequency(term) for term in completions)
        readings += [(f"m:{term}", completion * titles.frequency(term) / top)
                     for term in completions]
    for term, strength in expand_query(text[:typed_from], titles, complete_last=False):
        terms += expansion_terms(term, locale, completion * strength)
    if typing:
        # whole terms only: the bigrams of a completion's untyped part (환불|부분) are noise
        readings += [(f"m:{term}", completion * strength)
                     for term, strength in expand_query(typing, titles)]
    return terms, readings


def _dedupe(terms: Terms) -> Terms:
    best: dict[str, float] = {}
    for term, weight in terms:
        if weight > best.get(term, 0.0):
            best[term] = weight
    return list(best.items())


def _korean_marks(text: str, spans: list[tuple[int, int]]) -> set[str]:
    """Return what a Korean query highlights: the bigrams of its content morphemes as written
    (카드에서 → 카드, not 드에 and 에서; 실패했어요 → 실패; Kiwi tags a word it does not know
    as a proper noun), and a one-syllable word that is one (앱); without Kiwi, every bigram.
    A query's particles and endings (에서, 으로, 어요) and words like 안 or 주세요 are in nearly
    every sentence: marked, they chose the passage and lit up every line of it.

    >>> sorted(_korean_marks("카드에서 결제", [(0, 2), (5, 7)]))
    ['결제', '카드']
    """
    if not is_kiwi_available():
        return set(hangul_bigrams(text))
    marks: set[str] = set()
    for word in HANGUL_RUN.finditer(text):
        first, last = word.span()
        for start, end in spans:
            if start >= last or end <= first:
                continue  # a morpheme of another word
            piece = text[max(start, first):min(end, last)]  # its part in this word
            if len(piece) > 1 or last - first == 1:
                marks.update(syllable_bigrams(piece))
    return marks


def _marks_of(term: str) -> set[str]:
    """Return the words to highlight for an added term: a Hangul word by its bigrams, nothing
    for one Hangul syllable (인 of the synonym 로그 인 would mark 확인 everywhere)."""
    body = term[2:]
    if is_hangul(body) and len(body) > 2:
        return set(syllable_bigrams(body))
    if is_hangul(body) and len(body) < 2:
        return set()
    return {body}
