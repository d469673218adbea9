"""Articles for a block of text (a ticket being written, a ticket on the desk): the TF-IDF
cosine of the whole text, re-ranked by the meaning leg.

A ticket says what went wrong in the customer's words over two or three sentences ("I paid
once but the money left my account two times"); the article is titled in ours ("I was charged
twice"). TF-IDF finds the articles that share its words; the sentence vector of the whole text
then re-orders the best ``depth`` of them, as ``search.ranking.rerank`` does for a query.
The text's vector is the normalised mean of its sentences' vectors. ``TEXT_DELTA`` was chosen
on the dev half of ``tests/data/helpcenter-tickets.jsonl`` (``deflect eval --tickets``); R@1 /
R@3 / MRR@10 on its 38 dev tickets, and on the 30 test ones:

    delta 0    (TF-IDF only, as before)   dev 0.921 / 0.974 / 0.950   test 0.900 / 0.967 / 0.942
    delta 0.3                             dev 0.947 / 1.000 / 0.969   test 0.900 / 0.967 / 0.936
    delta 0.45 (chosen: the search's)     dev 0.974 / 0.974 / 0.980   test 0.900 / 1.000 / 0.939
    delta 0.6                             dev 0.974 / 0.974 / 0.979   test 0.833 / 1.000 / 0.911
    delta 0.45, one vector of the whole   dev 0.974 / 0.974 / 0.977   test 0.833 / 0.967 / 0.897
    delta 0.45, best single sentence      dev 0.947 / 0.974 / 0.966   test 0.800 / 0.967 / 0.881

Tickets already share many words with their article (TF-IDF alone puts 90 % of them first);
the leg fixes those that say it otherwise (a deleted account asked for as "제 정보도 남김없이
지워 주세요"), and past 0.5 it starts to prefer articles that merely sound alike.

A confidence model can take the last word: ``TextHook`` gets the ``TextMatch`` (each candidate's
lexical and meaning scores) and returns the one to show, e.g. with weak matches dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from search import meaning as meaning_leg
from search.ranking import FUSION, Fusion, rerank, top_indices

TEXT_DELTA = 0.45
"""Weight of the meaning leg for a block of text (the lexical cosine weighs the rest)."""
MIN_COSINE = 0.05
"""TF-IDF cosine below which an article is not taken as sharing the text's words."""


@dataclass(frozen=True)
class TextMatch:
    """The candidates for one text, best first, with what each leg said about them."""

    text: str
    locale: str
    rows: np.ndarray
    """Article rows (index order), best first."""
    scores: np.ndarray
    """The combined score of each row (what the hits show)."""
    lexical: np.ndarray
    """Each row's TF-IDF cosine with the text."""
    meaning: np.ndarray | None
    """Each row's sentence-vector cosine with the text; None when the leg is off."""


TextHook = Callable[[TextMatch], TextMatch]
"""Called with every ``TextMatch`` before hits are made; returns the match to show."""


def match_text(text: str, locale: str, lexical: np.ndarray, mask: np.ndarray,
               vectors: meaning_leg.MeaningIndex | None, *, limit: int,
               fusion: Fusion = FUSION, delta: float = TEXT_DELTA) -> TextMatch:
    """Rank the articles in ``mask`` for ``text`` from their TF-IDF cosine ``lexical`` and,
    where ``vectors`` is given, the meaning leg; keep the best ``limit``."""
    scores = np.where(mask & (lexical >= MIN_COSINE), lexical, 0).astype(np.float32)
    candidates = top_indices(scores, fusion.depth)
    cosine = None
    if vectors is not None and delta and len(candidates):
        cosine_of_candidates = vectors.score_vector(meaning_leg.text_vector(text), candidates)
        scores = rerank(scores, candidates, cosine_of_candidates, replace(fusion, delta=delta))
        cosine = np.zeros_like(scores)
        cosine[candidates] = cosine_of_candidates
    rows = top_indices(scores, limit)
    return TextMatch(text=text, locale=locale, rows=rows, scores=scores[rows],
                     lexical=lexical[rows], meaning=None if cosine is None else cosine[rows])
