"""The index vocabulary as seen by the query side: the keystroke layer, synonyms and the prefix
terms of autocomplete, adapted to one generation's term matrix.

``search.keystroke`` and ``search.synonyms`` are pure; this module feeds them the generation's
``m:`` vocabulary (morphemes, joined compounds, English stems) and turns what they return into
weighted, space-prefixed query terms. The keystroke layer only *adds* terms, and only for words
the vocabulary does not know (or the unfinished last word), so a query of known words ranks
exactly as without it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from search.keystroke import KeystrokeIndex, expand_query
from search.postings import TermMatrix
from search.synonyms import Synonyms
from search.synonyms import load_synonyms as _load_synonyms
from search.terms import analyze, configure_korean
from search.tokens import has_bare_jamo

SHORT_STREAMS = ("title.m", "questions.m", "keywords.m")
BODY_MIN_DF = 2
"""Body-only terms enter the keystroke vocabulary from this document frequency (rare body
terms are mostly noise that typo correction would wrongly snap to)."""
TYPO_WEIGHT = 0.6
"""Candidates at or above this keystroke weight are typo or layout repairs (did-you-mean);
below are completions and initials."""

PREFIX_CUT_WEIGHT = 0.4
"""Autocomplete weight of a term analysed out of the word being typed that is not one of its
completions (``로그ㅇ`` → ``로그``): under the completions (0.8), which the customer is typing."""


class Vocabulary:
    """Known ``m:`` terms of one generation, with a keystroke index over them."""

    def __init__(self, matrix: TermMatrix) -> None:
        short_df = np.diff(matrix.counts(SHORT_STREAMS).tocsc().indptr)
        body_df = np.diff(matrix.counts(("body.m",)).tocsc().indptr)
        terms = sorted(matrix.vocabulary, key=matrix.vocabulary.get)
        frequencies: dict[str, int] = {}
        completable: dict[str, int] = {}
        for i, term in enumerate(terms):
            if not term.startswith("m:"):
                continue
            if short_df[i]:
                completable[term[2:]] = int(short_df[i])
            if short_df[i] or body_df[i] >= BODY_MIN_DF:
                frequencies[term[2:]] = int(short_df[i] + body_df[i])
        self.keystrokes = KeystrokeIndex.build(frequencies.items())
        self.titles = KeystrokeIndex.build(completable.items())

    def expand(self, text: str, *, locale: str, synonyms: Synonyms | None,
               weight: float) -> tuple[list[tuple[str, float]], str | None]:
        """Return extra ``(prefixed term, weight)`` pairs and a corrected query (or None)."""
        extra: list[tuple[str, float]] = []
        if synonyms is not None and len(synonyms):
            for view, pairs in synonyms.expand(text, locale).items():
                space = "b" if view == "bigram" else "m"
                extra += [(f"{space}:{term}", w) for term, w in pairs
                          if space == "m" or _is_hangul(term)]
        for term, strength in expand_query(text, self.keystrokes):
            extra += _terms_of(term, locale, weight * strength)
        return extra, self._corrected(text)

    def _corrected(self, text: str) -> str | None:
        """Return the query with each mistyped word replaced by its best repair, but only if
        every word is then known (a half-typed last word is completion, not a typo)."""
        words = text.split()
        changed = False
        for position, word in enumerate(words):
            if has_bare_jamo(word):
                return None
            candidates = [(t, w) for t, w in expand_query(word, self.keystrokes,
                                                          complete_last=False)
                          if w >= TYPO_WEIGHT]
            if candidates:
                words[position] = candidates[0][0]
                changed = True
        if not changed:
            return None
        corrected = " ".join(words)
        return corrected if not expand_query(corrected, self.keystrokes,
                                             complete_last=False) else None

    def prefix_terms(self, text: str, *, locale: str
                     ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """Return the terms of an autocomplete prefix: ``(terms, readings)``.

        ``terms`` are the finished words' (and the typed text's bigrams); ``readings`` are the
        alternatives for the word being typed (the last, unless a space follows it): what it
        analyses to, its completions (an unfinished syllable included: 로그ㅇ → 로그인) and
        its repairs. When it completes to known title terms, the most frequent completion is
        the obvious one, and what its unfinished text analyses to (로그) and its typo repairs
        weigh less; ``KeywordScorer.score`` counts the readings as one word.
        """
        view = "morph" if locale == "ko" else "word"
        words = text.split()
        typing = words[-1] if words and not text[-1:].isspace() else ""
        typed_from = len(text.rstrip()) - len(typing)
        completions = self.titles.completions(typing, 6) if typing else []
        terms: list[tuple[str, float]] = []
        readings: list[tuple[str, float]] = []
        for term, start, _ in analyze(text, view):
            if typing and start >= typed_from:
                is_cut = completions and term not in completions
                readings.append((f"m:{term}", PREFIX_CUT_WEIGHT if is_cut else 1.0))
            else:
                terms.append((f"m:{term}", 1.0))
        if locale == "ko":
            terms += [(f"b:{t}", 0.5) for t, _, _ in analyze(text, "bigram") if _is_hangul(t)]
        if completions:
            top = max(self.titles.frequency(term) for term in completions)
            readings += [(f"m:{term}", 0.8 * self.titles.frequency(term) / top)
                         for term in completions]
        for term, strength in expand_query(text[:typed_from], self.titles,
                                           complete_last=False):
            terms += _terms_of(term, locale, 0.8 * strength)
        if typing:
            # whole terms only: the bigrams of a completion's untyped part (환불|부분) are noise
            readings += [(f"m:{term}", 0.8 * strength)
                         for term, strength in expand_query(typing, self.titles)]
        return terms, readings


def _is_hangul(term: str) -> bool:
    return "가" <= term[:1] <= "힣"


def _terms_of(word: str, locale: str, weight: float) -> list[tuple[str, float]]:
    terms = [(f"m:{word}", weight)]
    if locale == "ko" and _is_hangul(word):
        terms += [(f"b:{t}", weight * 0.5) for t, _, _ in analyze(word, "bigram")]
    return terms


def load_synonyms(path: Path | None) -> Synonyms | None:
    """Load the editor's synonym groups (``articles/synonyms.txt``); None when absent.

    Problems in the file are reported by ``deflect lint``; bad lines are skipped here.
    """
    if path is None or not Path(path).is_file():
        return None
    synonyms, _problems = _load_synonyms(Path(path))
    return synonyms


def load_user_dictionary(path: Path | None) -> None:
    """Register the editor's product words with the Korean analyser (a missing file is none).

    Problems in the file are reported by ``deflect lint``; here they are only skipped.
    """
    configure_korean(path if path is not None and Path(path).is_file() else None)
