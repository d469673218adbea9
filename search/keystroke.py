"""The keystroke layer: what the customer meant when a word is unfinished, mistyped, or typed
with the keyboard in the wrong mode (2-beolsik Korean on a QWERTY keyboard).

Hangul is compared as the keys that type it (``환불`` = ``ㅎㅗㅏㄴㅂㅜㄹ``: compound vowels
and final clusters split into their keys), so ``로그ㅇ`` and ``환부`` are keystroke
*prefixes* of ``로그인`` and ``환불``, ``환뷸`` is one keystroke from ``환불``, and
``fhrmdls`` maps key by key to ``로그인``.
English words are their own keystrokes (``pasword`` -> ``password``).

``KeystrokeIndex`` answers from indexes built once over the vocabulary: a sorted key list
(prefixes, by bisection) and a symmetric-deletion table (SymSpell, ``search.deletions``) of
hashes in numpy arrays (typos: Damerau-Levenshtein 1 from 4 keystrokes, 2 from 8; the first
keystroke must match).  The one thing to know: ``expand_query`` only *adds* low-weight
terms, and only for words the vocabulary does not know, so a query of known words ranks
exactly as without it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import OSA

from search.analysis import STOP_WORDS, stem
from search.deletions import MAX_KEY, deletion_hashes, deletion_table
from search.jamo import CONSONANTS, initials, qwerty_to_keystrokes, to_keystrokes
from search.korean import is_kiwi_available, korean_terms_normalized, strip_particle
from search.normalize import Normalized, normalize, normalize_with_offsets
from search.tokens import Run, has_bare_jamo, script_runs

WEIGHT_TYPO = (1.0, 0.6, 0.4)
"""Weight of a correction by its number of edits (0 = keyboard-layout repair only)."""
WEIGHT_COMPLETION = 0.5
WEIGHT_INITIALS = 0.3
WEIGHT_LAYOUT = 0.9
"""Korean typed in English mode matches at a little under the real word."""
NEAR_CACHE_SIZE = 4096
"""Typo searches an index remembers (``KeystrokeIndex._near_key``) before starting afresh."""

_HANGUL_WORD = re.compile("[가-힣]+\\Z")
_CLEAN_TERM = re.compile("(?:[가-힣]+|[a-z0-9]+)\\Z")
"""Terms that are already normalised (the usual case) skip ``normalize``."""



def allowed_typos(keys: str) -> int:
    """Return how many edits a word of these keystrokes may have: 0 below 4, 1 below 8, else 2.

    >>> allowed_typos("ㅎㅗㅏ"), allowed_typos("pasword"), allowed_typos("ㅂㅣㄹㅁㅣㄹㅂㅓㄴ")
    (0, 1, 2)
    """
    return 0 if len(keys) < 4 else 1 if len(keys) < 8 else 2


def keystroke_distance(a: str, b: str, limit: int = 2) -> int:
    """Return the optimal-string-alignment distance of two strings, or ``limit + 1`` if above
    (rapidfuzz's C++: the Python dynamic programme took ~50 µs a pair, a query's unknown
    word measures dozens of candidates).

    >>> keystroke_distance("pasword", "password"), keystroke_distance("refnud", "refund")
    (1, 1)
    """
    return OSA.distance(a, b, score_cutoff=limit)


class KeystrokeIndex:
    """The vocabulary of the index, searchable by keystroke prefix, typo and initials.

    >>> index = KeystrokeIndex.build([("로그인", 5), ("환불", 3), ("password", 2)])
    >>> index.corrections("환뷸"), index.completions("로그ㅇ")
    ([('환불', 0.6)], ['로그인'])
    """

    def __init__(self, frequencies: Mapping[str, int]) -> None:
        self._frequency = dict(frequencies)
        ranked = sorted(self._frequency.items(), key=lambda item: (-item[1], item[0]))
        self.terms = [term for term, _ in ranked]
        keys = [to_keystrokes(term) for term in self.terms]
        self._keys = keys
        self._by_key: dict[str, list[int]] = {}
        for number, key in enumerate(keys):
            self._by_key.setdefault(key, []).append(number)
        self._sorted_keys = sorted(self._by_key)
        self._prefix_cache: dict[str, list[int]] = {}
        self._by_initials: dict[str, list[int]] = {}
        for number, term in enumerate(self.terms):
            if len(term) >= 2 and _HANGUL_WORD.match(term):
                self._by_initials.setdefault(initials(term), []).append(number)
        self._stems = {stem(term) for term in self.terms if term.isascii()} - {""}
        self._hashes, self._ids = deletion_table(keys)
        self._near_cache: dict[tuple[str, int], list[tuple[int, int]]] = {}

    @classmethod
    def build(cls, terms: Iterable[tuple[str, int]]) -> KeystrokeIndex:
        """Build the index from ``(term, frequency)`` pairs; repeated terms add up.

        ``search.vocabulary`` passes a generation's ``m:`` terms (morphemes, joined compounds,
        English stems), so English corrections are stems.
        """
        frequencies: dict[str, int] = {}
        for term, frequency in terms:
            if not _CLEAN_TERM.match(term):
                term = normalize(term).replace(" ", "")
            if term:
                frequencies[term] = frequencies.get(term, 0) + max(int(frequency), 1)
        return cls(frequencies)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, term: object) -> bool:
        return term in self._frequency

    def __reduce__(self) -> tuple[type, tuple[dict[str, int]]]:
        return (type(self), (self._frequency,))

    def frequency(self, term: str) -> int:
        """Return the frequency the term was built with (0 when unknown)."""
        return self._frequency.get(term, 0)

    def is_known_word(self, word: str) -> bool:
        """Tell whether a normalised English word (or stop word, or code) needs no repair.

        >>> KeystrokeIndex.build([("password", 1)]).is_known_word("passwords")
        True
        """
        return (word in self._frequency or word in STOP_WORDS or any(c.isdigit() for c in word)
                or stem(word) in self._stems or stem(word) in self._frequency)

    def completions(self, prefix: str, limit: int = 8) -> list[str]:
        """Return terms whose keystrokes start with ``prefix``'s, most frequent first.

        >>> KeystrokeIndex.build([("환불", 3), ("환불신청", 1)]).completions("환부")
        ['환불', '환불신청']
        """
        key = to_keystrokes(normalize(prefix).replace(" ", ""))
        return [self.terms[number] for number in self._complete_key(key, limit)]

    def _complete_key(self, key: str, limit: int) -> list[int]:
        if not key:
            return []
        cached = self._prefix_cache.get(key)
        if cached is not None and len(cached) >= limit:
            return cached[:limit]
        found: list[int] = []
        start = bisect.bisect_left(self._sorted_keys, key)
        for candidate in self._sorted_keys[start:]:
            if not candidate.startswith(key):
                break
            found.extend(self._by_key[candidate])
        best = sorted(found)[: max(limit, 16)]  # term numbers are in frequency order
        if len(key) <= 3 and len(self._prefix_cache) < 20_000:  # short prefixes scan far
            self._prefix_cache[key] = best
        return best[:limit]

    def corrections(self, word: str, limit: int = 3) -> list[tuple[str, float]]:
        """Return known terms within the allowed keystroke typos of ``word``, best first.

        Fewer edits first, then the more frequent term.  ``[]`` for a known word.

        >>> KeystrokeIndex.build([("비밀번호", 9)]).corrections("빌밀번호")
        [('비밀번호', 0.6)]
        """
        word = normalize(word).replace(" ", "")
        if word in self._frequency:
            return []
        near = self._near_key(to_keystrokes(word), limit)
        return [(self.terms[number], WEIGHT_TYPO[distance]) for number, distance in near]

    def _near_key(self, key: str, limit: int) -> list[tuple[int, int]]:
        """``_near_key_uncached``, remembered: a query's unknown word is repaired twice (in
        the query, then alone for did-you-mean), and misspellings come back (0.14 ms each at
        1,000 articles). Callers do not change the list."""
        found = self._near_cache.get((key, limit))
        if found is None:
            found = self._near_key_uncached(key, limit)
            if len(self._near_cache) >= NEAR_CACHE_SIZE:
                self._near_cache.clear()
            self._near_cache[(key, limit)] = found
        return found

    def _near_key_uncached(self, key: str, limit: int) -> list[tuple[int, int]]:
        """Term numbers within the allowed distance of ``key`` and their distance, best first."""
        allowed = allowed_typos(key)
        if allowed == 0 or len(key) > MAX_KEY + allowed or len(self._hashes) == 0:
            return []
        hashes = deletion_hashes(key, allowed)
        left = np.searchsorted(self._hashes, hashes, side="left")
        right = np.searchsorted(self._hashes, hashes, side="right")
        numbers = {int(n) for lo, hi in zip(left, right, strict=True) if hi > lo
                   for n in self._ids[lo:hi]}
        scored = []
        for number in numbers:
            distance = keystroke_distance(key, self._keys[number], allowed)
            if 0 < distance <= allowed:
                scored.append((distance, number))
        scored.sort()
        return [(number, distance) for distance, number in scored[:limit]]

    def from_keyboard(self, word: str, *, is_last: bool = False, limit: int = 3
                      ) -> list[tuple[str, float]]:
        """Repair Korean typed in English mode: ``fhrmdls`` -> ``로그인``, only into known terms.

        An exact key match first, then typos of it, then (for the last word) completions.

        >>> KeystrokeIndex.build([("로그인", 1)]).from_keyboard("fhrmdls")
        [('로그인', 0.9)]
        """
        key = qwerty_to_keystrokes(word)
        if key is None:
            return []
        found = [(self.terms[n], WEIGHT_LAYOUT) for n in self._by_key.get(key, [])[:limit]]
        if not found:
            found = [(self.terms[n], WEIGHT_LAYOUT * WEIGHT_TYPO[d])
                     for n, d in self._near_key(key, limit)]
        if not found and is_last and len(key) >= 2:
            found = [(self.terms[n], WEIGHT_LAYOUT * WEIGHT_COMPLETION)
                     for n in self._complete_key(key, limit)]
        return found

    def by_initials(self, word: str, limit: int = 3) -> list[tuple[str, float]]:
        """Return terms whose syllables start with these consonants (초성): ``ㅂㅁㅂㅎ``.

        >>> KeystrokeIndex.build([("비밀번호", 1)]).by_initials("ㅂㅁㅂㅎ")
        [('비밀번호', 0.3)]
        """
        numbers = self._by_initials.get(word, [])
        return [(self.terms[number], WEIGHT_INITIALS) for number in numbers[:limit]]


def expand_query(query: str, index: KeystrokeIndex, *, complete_last: bool = True,
                 limit: int = 3, unknown: UnknownWords | None = None
                 ) -> list[tuple[str, float]]:
    """Return terms to add to a query for its unknown words, with weights, best first.

    Each word the vocabulary does not know gets typo corrections (Korean counted in
    keystrokes), keyboard-layout repair (Latin letters that type a known Korean word), initials
    (``ㅂㅁㅂㅎ``), and, if it is the last word and ``complete_last``, completions; a last word
    that is a keystroke prefix of known terms is being typed, so its completions outrank its
    typo repairs (``WEIGHT_COMPLETION`` times the repair's weight).  A query whose words are
    all known gets ``[]``. ``unknown`` is ``unknown_words(query, index)``, when the caller
    has it already.

    >>> index = KeystrokeIndex.build([("로그인", 5), ("환불", 3)])
    >>> expand_query("로그ㅇ", index), expand_query("로그인이 안 돼요", index)
    ([('로그인', 0.5)], [])
    """
    if unknown is None:
        unknown = unknown_words(query, index)
    normalized = unknown.normalized
    best: dict[str, float] = {}
    for run, is_last_word in unknown.runs:
        is_last = complete_last and is_last_word
        if run.kind == "hangul":
            found = _korean_candidates(run.text, index, is_last=is_last, limit=limit)
        else:
            start, end = normalized.span(run.start, run.end)
            typed = query[start:end] if end - start == len(run.text) else run.text
            completions = [(term, WEIGHT_COMPLETION)
                           for term in index.completions(run.text, limit)
                           if term != run.text] if is_last else []
            found = (_below_completions(index.corrections(run.text, limit), completions)
                     + index.from_keyboard(typed, is_last=is_last, limit=limit) + completions)
        for term, weight in found:
            if weight > best.get(term, 0.0):
                best[term] = weight
    return sorted(best.items(), key=lambda item: (-item[1], -index.frequency(item[0])))


class UnknownWords(NamedTuple):
    """The words of a query the vocabulary does not know (``unknown_words``)."""

    normalized: Normalized
    """The query, normalised, with the offsets back into it as typed."""
    runs: list[tuple[Run, bool]]
    """Each unknown Hangul or Latin run, and whether it is the query's last one."""

    def spans(self) -> list[tuple[int, int]]:
        """Return where the unknown words are in the query as typed (start, end)."""
        return [self.normalized.span(run.start, run.end) for run, _ in self.runs]


def unknown_words(query: str, index: KeystrokeIndex) -> UnknownWords:
    """Return the words of ``query`` that ``expand_query`` repairs, judged in the query, on its
    Kiwi analysis (cached): a search finds them once for its expansion and its did-you-mean."""
    normalized = normalize_with_offsets(query)
    return UnknownWords(normalized, list(_unknown_runs(normalized, index)))


def _unknown_runs(normalized: Normalized, index: KeystrokeIndex
                  ) -> Iterator[tuple[Run, bool]]:
    """Yield the Hangul and Latin runs of a normalised query the vocabulary does not know,
    each with whether it is the query's last run."""
    runs = [run for run in script_runs(normalized.text) if run.kind != "other"]
    analysed: list[tuple[tuple[str, int, int], ...]] = []  # Kiwi's, when a word needs them

    def korean_terms(run: Run) -> list[tuple[str, int, int]]:
        if not analysed:
            analysed.append(korean_terms_normalized(normalized.text))
        return [term for term in analysed[0] if run.start <= term[1] < run.end]

    for position, run in enumerate(runs):
        if run.kind == "hangul":
            if _is_known_korean(run.text, run.start, partial(korean_terms, run), index):
                continue
        elif index.is_known_word(run.text):
            continue
        yield run, position == len(runs) - 1


def _korean_candidates(word: str, index: KeystrokeIndex, *, is_last: bool, limit: int
                       ) -> list[tuple[str, float]]:
    if len(word) >= 2 and all(char in CONSONANTS for char in word):
        return index.by_initials(word, limit) + (
            [(t, WEIGHT_COMPLETION) for t in index.completions(word, limit)] if is_last else [])
    completions = ([(term, WEIGHT_COMPLETION) for term in index.completions(word, limit)]
                   if is_last else [])
    return _below_completions(index.corrections(word, limit), completions) + completions


def _below_completions(repairs: list[tuple[str, float]], completions: list[tuple[str, float]]
                       ) -> list[tuple[str, float]]:
    """Weigh a word's typo repairs under its completions when the word is being typed and is a
    keystroke prefix of known terms (로그ㅇ means 로그인 before it means 로그); a word that
    completes to nothing keeps its repairs at full weight."""
    if not completions:
        return repairs
    return [(term, weight * WEIGHT_COMPLETION) for term, weight in repairs]


def _is_known_korean(word: str, offset: int, analyse: Callable[[], list[tuple[str, int, int]]],
                     index: KeystrokeIndex) -> bool:
    """Tell whether a Hangul word needs no repair, judged on its Kiwi terms (``analyse()``,
    called only when the word itself is not known: Kiwi takes ~0.1 ms).

    Known: the word, or the word up to its last content morpheme (로그인이 -> 로그인), is in
    the vocabulary; or all its morphemes are, and none is a lone syllable outside a known
    compound (환뷸 -> 환 + 뷰 is a typo, not two words).  Without Kiwi: the word minus a particle.
    """
    if has_bare_jamo(word):
        return False
    if word in index:
        return True
    terms = analyse()
    if not terms:  # a particle or adverb alone (안, 좀) is known; without Kiwi, strip a particle
        return is_kiwi_available() or strip_particle(word) in index
    content = word[: max(end for _, _, end in terms) - offset]
    if content in index:
        return True
    texts = [text for text, _, _ in terms]
    if not all(text in index for text in texts):
        return False
    compounds = [text for text in texts if len(text) >= 2]
    return len(texts) == 1 or all(
        len(text) >= 2 or any(text in compound for compound in compounds) for text in texts)
