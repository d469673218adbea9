"""The index vocabulary as seen by the query side: the keystroke layer and synonyms, adapted
to one generation's term matrix (``search.query`` analyses queries and prefixes with it), and
the editor's vocabulary files: loading and checking ``synonyms.txt`` and ``userdict.txt``.

``search.keystroke`` and ``search.synonyms`` are pure; this module feeds them the generation's
``m:`` vocabulary (morphemes, joined compounds, English stems) and turns what they return into
weighted, space-prefixed query terms. The keystroke layer only *adds* terms, and only for words
the vocabulary does not know (or the unfinished last word), so a query of known words ranks
exactly as without it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from kb.articles import Problem
from search.keystroke import KeystrokeIndex, expand_query, unknown_words
from search.korean import load_userdict
from search.postings import TermMatrix
from search.synonyms import Synonyms
from search.synonyms import load_synonyms as _load_synonyms
from search.terms import analyze, configure_korean
from search.tokens import has_bare_jamo, is_hangul

SHORT_STREAMS = ("title.m", "questions.m", "keywords.m")
BODY_MIN_DF = 2
"""Body-only terms enter the keystroke vocabulary from this document frequency (rare body
terms are mostly noise that typo correction would wrongly snap to)."""
_WORD = re.compile(r"\S+")
TYPO_WEIGHT = 0.6
"""Candidates at or above this keystroke weight are typo or layout repairs (did-you-mean);
below are completions and initials."""


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
                          if space == "m" or is_hangul(term)]
        unknown = unknown_words(text, self.keystrokes)
        for term, strength in expand_query(text, self.keystrokes, unknown=unknown):
            extra += expansion_terms(term, locale, weight * strength)
        return extra, self._corrected(text, unknown.spans())

    def _corrected(self, text: str, unknown: list[tuple[int, int]]) -> str | None:
        """Return the query with each mistyped word replaced by its best repair, but only if
        every word is then known (a half-typed last word is completion, not a typo).

        A word is repaired alone (its best repair as a query of its own), and only if the
        query's own analysis found it unknown (``unknown``: where those are in ``text``): a word
        known in the query is not second-guessed (and Kiwi, ~0.1 ms a word, does not analyse it
        again alone)."""
        words = [(match.group(), match.start(), match.end())
                 for match in _WORD.finditer(text)]
        if any(has_bare_jamo(word) for word, _, _ in words):
            return None
        changed = False
        corrected = [word for word, _, _ in words]
        for position, (word, start, end) in enumerate(words):
            if not any(start < span_end and span_start < end for span_start, span_end in unknown):
                continue
            candidates = [(t, w) for t, w in expand_query(word, self.keystrokes,
                                                          complete_last=False)
                          if w >= TYPO_WEIGHT]
            if candidates:
                corrected[position] = candidates[0][0]
                changed = True
        if not changed:
            return None
        query = " ".join(corrected)
        return query if not expand_query(query, self.keystrokes, complete_last=False) else None


def expansion_terms(word: str, locale: str, weight: float) -> list[tuple[str, float]]:
    """Return the query terms of a word the keystroke layer added: its ``m:`` term at
    ``weight`` and, for a Korean word, its bigrams at half of it."""
    terms = [(f"m:{word}", weight)]
    if locale == "ko" and is_hangul(word):
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


VOCABULARY_FILES = ("synonyms.txt", "userdict.txt")
"""The editor's vocabulary files in an articles folder (each optional)."""


def check_vocabulary(articles_dir: Path) -> list[Problem]:
    """Return the problems of ``synonyms.txt`` and ``userdict.txt`` in ``articles_dir``, each
    with its file and line (what ``deflect lint`` reports); a missing file is none.

    The engine skips the lines named here (``load_synonyms``, ``load_user_dictionary``).
    """
    problems: list[Problem] = []
    for name in VOCABULARY_FILES:
        path = Path(articles_dir) / name
        if not path.is_file():
            continue
        try:
            if name == "synonyms.txt":
                problems += _load_synonyms(path)[1]
            else:
                problems += load_userdict(path)[1]
        except UnicodeDecodeError as error:
            problems.append(Problem("error", path, None,
                                    f"not UTF-8 (byte {error.start}): save the file as UTF-8"))
    return problems
