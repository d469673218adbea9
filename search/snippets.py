"""Result snippets: the passage of an article that best matches the query, matched words in
``<mark>``, everything else HTML-escaped."""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Collection, Sequence
from functools import lru_cache
from html import escape
from typing import NamedTuple

SNIPPET_CHARS = 160
_SEEN = 8
"""Occurrences of a term looked at when choosing the sentence (a frequent word's later ones
change little and cost a search each)."""
TEXTS_KNOWN = 2048
"""Texts whose terms' sentences ``_term_sentences`` keeps (least recently used goes)..."""
TERMS_PER_TEXT = 32
"""... and how many terms of each (all are forgotten when one more comes)."""
_OPEN, _CLOSE = "\x00", "\x01"
"""Where a mark opens and closes while a passage is escaped (a text holding either is
rendered piece by piece instead)."""
_SENTENCE = re.compile(r"[^\n.!?。]{1,300}[.!?。]?")


class Sentences(NamedTuple):
    """Where the non-blank sentences of a text start and end, and whether the text is its own
    lowercase (Korean text is: it need not be lowered for every search)."""

    starts: array
    ends: array
    is_lower: bool

    def pack(self) -> tuple[bytes, bytes, bool]:
        """Return the form stored with the document in the index."""
        return self.starts.tobytes(), self.ends.tobytes(), self.is_lower

    @classmethod
    def unpack(cls, stored: Sequence) -> Sentences:
        """Return the sentences of a ``pack``-ed value."""
        starts, ends = array("i"), array("i")
        starts.frombytes(stored[0])
        ends.frombytes(stored[1])
        return cls(starts, ends, bool(stored[2]))


def split_sentences(text: str) -> Sentences:
    """Return the sentences of ``text``: runs of up to 300 characters ending at ., !, ?, 。 or a
    line break (the index stores them with each document, so a search need not split)."""
    starts, ends = array("i"), array("i")
    for match in _SENTENCE.finditer(text):
        if match.group().strip():
            starts.append(match.start())
            ends.append(match.end())
    return Sentences(starts, ends, text.lower() == text)


def make_snippet(text: str, terms: Collection[str], *,
                 length: int = SNIPPET_CHARS, sentences: Sentences | None = None) -> str:
    """Return safe HTML: the best-matching passage of ``text`` with ``terms`` marked.

    ``terms`` are analysed query terms (Hangul bigrams and English stems); the passage is the
    sentence containing most of them, cut to about ``length`` characters.

    >>> make_snippet("Reset your <b>password</b> here.", {"password"})
    'Reset your &lt;b&gt;<mark>password</mark>&lt;/b&gt; here.'
    """
    starts, ends, is_lower = _sentences(text) if sentences is None else sentences
    if not starts:
        return escape(text[:length])
    chosen = _best_sentence(text, is_lower, starts, terms)
    best = text[starts[chosen]:ends[chosen]]
    spans = _occurrences(best.lower(), terms)
    offset = len(best) - len(best.lstrip())
    if offset:
        spans = [(s - offset, e - offset) for s, e in spans]
    spans = _merge(spans)
    best = best.strip()
    start = 0
    if spans and len(best) > length:
        start = max(0, spans[0][0] - length // 4)
    end = min(len(best), start + length)
    return _render(best, spans, start, end)


def _best_sentence(text: str, is_lower: bool, starts: array, terms: Collection[str]) -> int:
    """Return the sentence holding the most distinct terms (the first on a tie; 0 if none),
    counting the sentences of each term's first ``_SEEN`` occurrences in the lowercased
    ``text``."""
    counts: dict[int, int] = {}
    for term in terms:
        for sentence in _term_sentences(text, term, is_lower, starts):
            counts[sentence] = counts.get(sentence, 0) + 1
    if not counts:
        return 0
    most = max(counts.values())
    return min(sentence for sentence, count in counts.items() if count == most)


def _term_sentences(text: str, term: str, is_lower: bool, starts: array) -> tuple[int, ...]:
    """Return the sentences (indices into ``starts``, the sentence starts of ``text``) of the
    first ``_SEEN`` non-overlapping occurrences of ``term`` in ``text`` lowercased, each once.

    Remembered per text (``_known_terms``): the articles a help center keeps showing meet the
    same query words again and again, and finding a word scans the text up to its last
    counted occurrence. ``is_lower`` and ``starts`` are functions of the text
    (``split_sentences``, stored with the index), so the term is the whole key.
    """
    known = _known_terms(text)
    found = known.get(term)
    if found is None:
        found = _find_sentences(text if is_lower else _lowered(text), term, starts)
        if len(known) >= TERMS_PER_TEXT:
            known.clear()
        known[term] = found
    return found


def _find_sentences(lowered: str, term: str, starts: array) -> tuple[int, ...]:
    """``_term_sentences`` without the memory: one ``str.find`` per occurrence, a bisection
    only for an occurrence past the sentence of the one before."""
    find, step, last = lowered.find, len(term), len(starts) - 1
    sentences: list[int] = []
    seen, position, bound = 0, find(term), -1
    while position >= 0 and seen < _SEEN:
        if position >= bound:
            sentence = bisect.bisect_right(starts, position) - 1
            sentences.append(sentence)
            bound = starts[sentence + 1] if sentence < last else len(lowered)
        seen += 1
        position = find(term, position + step)
    return tuple(sentences)


@lru_cache(maxsize=TEXTS_KNOWN)
def _known_terms(text: str) -> dict[str, tuple[int, ...]]:
    """The sentences of the terms looked up in ``text`` so far: a dict per text, emptied when
    it holds ``TERMS_PER_TEXT`` (together at most ~13 MB). ``lru_cache`` is thread-safe and
    a dict's ``get`` and item assignment are atomic, so a server's threads share it; two
    threads finding the same term store the same tuple. The key is the document's own
    string, whose hash Python keeps; ``forget_texts`` empties it when a generation goes."""
    return {}


def _occurrences(lowered: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """Return spans of the terms in a lowercased sentence; an English term (a stem) must start
    a word and its span runs to the end of that word (``reset`` marks ``resetting``)."""
    spans = []
    find, length = lowered.find, len(lowered)
    for term in terms:
        position = find(term)
        if not term.isascii():  # not English (a Hangul bigram): the span is the term
            while position >= 0:
                spans.append((position, position + len(term)))
                position = find(term, position + len(term))
            continue
        while position >= 0:
            end = position + len(term)
            if position and lowered[position - 1].isalnum():
                position = find(term, end)
                continue
            while end < length and lowered[end].isalnum() and lowered[end].isascii():
                end += 1
            spans.append((position, end))
            position = find(term, end)
    return spans


@lru_cache(maxsize=1024)
def _lowered(text: str) -> str:
    """``text.lower()``, cached for the articles searches keep showing (at most ~3 MB of
    lowered English text; the key is the document's own string, hashed once)."""
    return text.lower()


def forget_texts() -> None:
    """Empty the caches keyed by article texts (the engine calls it when it opens another
    generation, so they do not keep the texts of one it no longer answers from)."""
    _known_terms.cache_clear()
    _lowered.cache_clear()


@lru_cache(maxsize=4096)
def _sentences(text: str) -> Sentences:
    """``split_sentences``, cached: for a text the index holds no sentences of (a generation
    written before it stored them). The cache holds offsets, not a copy of the text."""
    return split_sentences(text)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """Return ``text[start:end]`` escaped, the ``spans`` (clipped to it) in ``<mark>``: the
    marks go in as two control characters and the whole passage is escaped at once (one call,
    not one a piece); a text holding either is escaped piece by piece."""
    pieces = []  # unmarked, _OPEN, marked, _CLOSE, ..., unmarked
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces += (text[cursor:span_start], _OPEN, text[span_start:span_end], _CLOSE)
        cursor = span_end
    pieces.append(text[cursor:end])
    if _OPEN in text or _CLOSE in text:
        markup = {1: "<mark>", 3: "</mark>"}
        passage = "".join(markup.get(i % 4) or escape(piece) for i, piece in enumerate(pieces))
    else:
        passage = escape("".join(pieces)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return f"{'…' if start > 0 else ''}{passage}{'…' if end < len(text) else ''}"
