"""The analysis views: text in, ``Token(text, start, end)`` terms out, the same for index and query.

Three views, each a chain per script run (``search.tokens.script_runs``):

* ``"morph"``  — Korean: Kiwi content morphemes + joined compounds (``search.korean``);
  words: English chain.  Primary Korean view.
* ``"bigram"`` — Korean (and Han/kana): overlapping character 2-grams per run; words: English
  chain.  Covers unknown words and odd spacing; alone it is the fallback when Kiwi is missing.
* ``"word"``   — English chain only, for English fields.

The English chain: lowercase, possessive ``'s`` dropped, Lucene's English stop words dropped,
Snowball (Porter2) stems; anything with a digit (``e-1002``, ``7,900``) is kept whole.

The one thing to know: offsets point into the text you passed in (before normalisation), so a
highlighter can slice the original text with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Literal

import snowballstemmer

from search.korean import (
    korean_generation,
    korean_settings,
    korean_terms,
    korean_terms_normalized,
)
from search.normalize import Normalized, normalize, normalize_with_offsets
from search.tokens import Run, Token, has_bare_jamo, script_runs

__all__ = [
    "ANALYSIS_VERSION",
    "LOCALE_VIEWS",
    "VIEWS",
    "Token",
    "View",
    "analysis_settings",
    "analyze",
    "hangul_bigrams",
    "korean_terms",
    "script_runs",
    "stem",
]

View = Literal["morph", "bigram", "word"]
VIEWS: tuple[View, ...] = ("morph", "bigram", "word")
LOCALE_VIEWS: Mapping[str, tuple[View, ...]] = {"ko": ("morph", "bigram"), "en": ("word",)}
"""The views a query in each locale is matched in."""

ANALYSIS_VERSION = 2
"""Bump when any view's output changes, so indexes built with the old analysis are rebuilt."""

STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with "
    "i me my we our you your yours".split()
)
"""Lucene's default English stop set plus first- and second-person pronouns: tiny on purpose;
BM25 discounts common words anyway, but not in short titles, where "my" of "Activate my card"
drew every "my ..." query (dev MRR@10: banking77 titles-only 0.5615 -> 0.5751, the other sets
within 0.001). Question words (how, what, can, do) stay: dropping them cost stackfaq and
banking77 with examples 0.008-0.013."""

_CACHED_LENGTH = 200
_DIGIT = re.compile(r"\d")
_SPLIT_JOINERS = str.maketrans({c: " " for c in "-_./,:"})
_stemmer = snowballstemmer.stemmer("english")


def analyze(text: str, view: View) -> list[Token]:
    """Return the terms of ``text`` in ``view`` ("morph", "bigram" or "word"), in text order.

    >>> [t.text for t in analyze("Customer's passwords", "word")]
    ['custom', 'password']
    >>> [t.text for t in analyze("결제가 안 돼요", "bigram")]
    ['결제', '제가', '안', '돼요']
    """
    if view not in VIEWS:
        raise ValueError(f"unknown analysis view {view!r}; use one of {', '.join(VIEWS)}")
    if len(text) <= _CACHED_LENGTH:
        return list(_analyze_cached(text, view, korean_generation()))
    return _analyze(text, view)


@lru_cache(maxsize=8192)
def _analyze_cached(text: str, view: View, generation: int) -> tuple[Token, ...]:
    """Cache keyed by the Korean set-up's generation, so ``configure_korean`` invalidates it."""
    return tuple(_analyze(text, view))


def _analyze(text: str, view: View) -> list[Token]:
    normalized = normalize_with_offsets(text)
    runs = script_runs(normalized.text)
    tokens: list[tuple[str, int, int]] = []
    for run in runs:
        if run.kind == "word":
            tokens.extend(_english(run))
        elif view == "bigram":
            tokens.extend(_bigrams(run))
    if view == "morph" and any(run.kind != "word" for run in runs):
        tokens.extend(korean_terms_normalized(normalized.text))
        tokens.sort(key=lambda token: token[1])  # stable: a compound stays after its parts
    return _mapped(tokens, normalized)


def _mapped(tokens: Sequence[tuple[str, int, int]], normalized: Normalized) -> list[Token]:
    return [Token(term, *normalized.span(start, end)) for term, start, end in tokens]


HANGUL_RUN = re.compile("[가-힣]+")
"""A run of Hangul syllables (bare jamo are not syllables)."""


def syllable_bigrams(run: str) -> list[str]:
    """Return the bigram terms of one run of Hangul syllables: its neighbouring pairs, or the
    syllable itself when it is one.

    >>> syllable_bigrams("비밀번호"), syllable_bigrams("안")
    (['비밀', '밀번', '번호'], ['안'])
    """
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def hangul_bigrams(text: str) -> list[str]:
    """Return the Hangul bigram terms of ``text`` (a one-syllable run is its own term).

    The same terms as the Hangul part of the bigram view, about 20x faster for long bodies
    because it skips the English chain the ``b`` space does not keep (a test pins the
    equivalence).

    >>> hangul_bigrams("비밀번호를 E-1002 안")
    ['비밀', '밀번', '번호', '호를', '안']
    """
    terms: list[str] = []
    for match in HANGUL_RUN.finditer(normalize(text)):
        terms.extend(syllable_bigrams(match.group()))
    return terms


def _bigrams(run: Run) -> list[tuple[str, int, int]]:
    grams: list[tuple[str, int, int]] = []
    for piece_start, piece in _syllable_pieces(run):
        if len(piece) == 1:
            grams.append((piece, piece_start, piece_start + 1))
            continue
        grams.extend(
            (piece[i:i + 2], piece_start + i, piece_start + i + 2) for i in range(len(piece) - 1)
        )
    return grams


def _syllable_pieces(run: Run) -> list[tuple[int, str]]:
    """Split a run at lone keyboard jamo, which belong to no gram."""
    if not has_bare_jamo(run.text):
        return [(run.start, run.text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    for index, char in enumerate(run.text + "ㅇ"):
        if "\u3131" <= char <= "\u318e":
            if index > start:
                pieces.append((run.start + start, run.text[start:index]))
            start = index + 1
    return pieces


def _english(run: Run) -> list[tuple[str, int, int]]:
    """The English chain for one word run, with digit-bearing codes kept whole."""
    word, start, end = run.text, run.start, run.end
    if _DIGIT.search(word):
        terms = [(word, start, end)]
        if any(joiner in word for joiner in "-_/"):  # e-1002 also yields e and 1002
            terms.extend(_parts(word, start, "-_/"))
        return terms
    if not any(joiner in word for joiner in "-_./,:"):
        term = _english_term(word)
        return [(term, start, end)] if term else []
    terms = []
    for part, part_start, part_end in _parts(word, start, "-_./,:"):
        term = _english_term(part)
        if term:
            terms.append((term, part_start, part_end))
    if word.replace("-", "").isalpha():  # e-mail and sign-in also meet email and signin
        term = _english_term(word.replace("-", ""))
        if term:
            terms.append((term, start, end))
    return terms


def _parts(word: str, start: int, joiners: str) -> list[tuple[str, int, int]]:
    table = _SPLIT_JOINERS if joiners == "-_./,:" else str.maketrans({c: " " for c in joiners})
    spaced = word.translate(table)
    parts: list[tuple[str, int, int]] = []
    offset = 0
    for part in spaced.split(" "):
        if part:
            parts.append((part, start + offset, start + offset + len(part)))
        offset += len(part) + 1
    return parts


@lru_cache(maxsize=65536)
def _english_term(word: str, is_stop_kept: bool = False) -> str:
    """Stem one lowercase word; ``""`` for a stop word.  ``customer's`` -> ``custom``."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if not word or (word in STOP_WORDS and not is_stop_kept):
        return ""
    if _DIGIT.search(word):
        return word
    return _stemmer.stemWord(word)


def stem(word: str, *, is_stop_kept: bool = False) -> str:
    """Return the English-chain term of one word (``""`` for a stop word unless kept).

    >>> stem("Passwords"), stem("in"), stem("in", is_stop_kept=True)
    ('password', '', 'in')
    """
    return _english_term(word.lower(), is_stop_kept)


def analysis_settings() -> str:
    """Describe everything that changes analysis output, for the index's content digest.

    >>> analysis_settings()  # doctest: +SKIP
    'analysis=1 kiwi=0.24.1 userdict=3f2a9c0d1b7e4a55'
    """
    return f"analysis={ANALYSIS_VERSION} {korean_settings()}"
