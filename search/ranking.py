"""Fusion of the legs: keyword (BM25F), similarity (TF-IDF over the whole article), phrases
(TF-IDF of the best single title or question) and characters (char n-gram TF-IDF of the short
fields), then the meaning leg (sentence vectors) re-ranking the best of them.

A convex combination of max-normalised scores. Chosen on the dev splits by dev MRR@10
(``deflect eval DATASET --split dev``; help center = ``--queries tests/data/helpcenter-queries.jsonl
--split dev``); columns parakqc / stackfaq / banking77+examples / banking77 / help center, and
their mean:

    keyword leg alone (alpha 0, beta 0)   0.9151 0.8596 0.8926 0.5670 0.9044  mean 0.8277
    + TF-IDF, RRF k=60 weight 0.5         0.9166 0.8549 0.8927 0.5649 0.9047  mean 0.8268
    + TF-IDF, convex alpha 0.3            0.9192 0.8658 0.9014 0.5612 0.9112  mean 0.8318
    + phrases, beta 0.15                  0.9198 0.8776 0.9127 0.5604 0.9064  mean 0.8354
    + phrases, beta 0.3   (chosen)        0.9198 0.8801 0.9193 0.5615 0.9026  mean 0.8367
    beta 0.45, alpha 0.2                  0.9195 0.8721 0.9205 0.5614 0.9013  mean 0.8350
    + characters (char_wb 2-4 of title, questions, keywords), only where another leg matched
      (re-measured base: 0.9198 0.8801 0.9193 0.5615 0.9038, mean 0.8369):
      gamma 0.1                           0.9204 0.8769 0.9198 0.5703 0.9067  mean 0.8388
      gamma 0.2                           0.9189 0.8770 0.9198 0.5763 0.9096  mean 0.8403
      gamma 0.3                           0.9163 0.8703 0.9162 0.5798 0.9122  mean 0.8390

The character leg is left off (gamma 0): its best +0.0034 mean (banking titles-only test R@1
0.424 -> 0.438, still short of 0.50; parakqc and stackfaq slightly down) cost, at 10,000
articles, search p50 1.3 -> 3.1 ms, 2.7 s more to open an index (so a refresh is no longer
visible within 1 s) and ~15 MB per worker. Set ``Fusion(gamma=0.2)`` to trade those back.

With first- and second-person pronouns as English stop words (``search.analysis``) the
chosen setting measures 0.9198 0.8802 0.9189 0.5751 0.9000 (was 0.9198 0.8801 0.9193 0.5615
0.9038: the help center loses one rank-1 query, "payment options", to shifted statistics).

The meaning leg (``search.meaning``: multilingual sentence vectors, the normalised mean of an
article's title and questions) re-ranks the ``depth`` best lexical matches: the fused lexical
score, max-normalised, weighs ``1 - delta`` and the cosine, max-normalised over those
candidates, ``delta``. Dev MRR@10, same columns (the lexical legs as chosen above; Kiwi
without its multi-word dictionary):

    delta 0    (lexical only)             0.9198 0.8802 0.9189 0.5751 0.9000  mean 0.8388
    delta 0.3                             0.9369 0.8995 0.9348 0.6326 0.9166  mean 0.8641
    delta 0.35                            0.9402 0.9035 0.9366 0.6371 0.9163  mean 0.8667
    delta 0.45 (chosen)                   0.9429 0.9096 0.9396 0.6475 0.9099  mean 0.8699
    delta 0.5                             0.9442 0.9111 0.9399 0.6474 0.9078  mean 0.8701
    delta 0.55                            0.9448 0.9101 0.9408 0.6492 0.9059  mean 0.8702
    delta 0.6                             0.9437 0.9126 0.9409 0.6491 0.9044  mean 0.8701
    delta 0.7                             0.9415 0.9062 0.9349 0.6478 0.8942  mean 0.8649

0.45–0.6 is one plateau; 0.45 keeps most of the help center's own gain. Re-ranking only the
best 100 (or 50, or 30) lexical matches scores the same as scoring every article (measured on
dev: no metric moved), and a query then compares ~100 vectors, not 10,000. The leg adds no
article the words did not match: letting it add those gained banking77 titles-only R@5
0.767 → 0.785 (delta 0.35) but would end zero-result pages (every article means something a
little like any query).

RRF lost to the convex combination on every set, so it stays only as an option. The phrase
leg costs the help center's 130 dev queries 0.009 MRR (3 queries at rank 1) while adding
0.014–0.018 on the two FAQ sets with many phrasings; the help center still meets its targets
on test (README, "Search quality and speed").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Fusion:
    """How the legs are combined: ``method`` "convex" (weight of the TF-IDF leg ``alpha``) or
    "rrf" (``k`` and the TF-IDF leg's weight ``alpha``, the keyword leg weighing 1)."""

    method: str = "convex"
    alpha: float = 0.3
    k: int = 60
    depth: int = 100
    """How many of the best matches RRF reads, and the meaning leg re-ranks."""
    beta: float = 0.3
    """Weight of the phrase leg (best single title/question match); 0 leaves it out."""
    gamma: float = 0.0
    """Weight of the character n-gram leg; 0 leaves it out (and it is then never built)."""
    delta: float = 0.45
    """Weight of the meaning leg (sentence vectors, ``search.meaning``), which re-ranks the
    ``depth`` best lexical matches; the lexical legs share the rest. 0 leaves it out."""


FUSION = Fusion()


def fuse(keyword: np.ndarray, similarity: np.ndarray, mask: np.ndarray,
         fusion: Fusion = FUSION, phrases: np.ndarray | None = None,
         characters: np.ndarray | None = None) -> np.ndarray:
    """Return fused scores of the lexical legs (0 where a document matched no leg or is masked
    out)."""
    beta = fusion.beta if phrases is not None else 0.0
    gamma = fusion.gamma if characters is not None else 0.0
    if fusion.alpha == 0 and beta == 0 and gamma == 0:
        return np.where(mask, keyword, 0)
    if fusion.method == "rrf":
        legs = {"keyword": (keyword, 1.0), "similarity": (similarity, fusion.alpha)}
        if beta:
            legs["phrases"] = (phrases, beta)
        return _rrf(legs, mask, fusion)
    inside = mask.astype(np.float32)  # 1 in the locale, 0 elsewhere: a product, not a branch
    fused = (1 - fusion.alpha - beta - gamma) * _normalised(keyword * inside)
    fused += fusion.alpha * _normalised(similarity * inside)
    if beta:
        fused += beta * _normalised(phrases * inside)
    if gamma:
        # characters match everything a little: only where another leg matched
        fused += gamma * np.where(fused > 0, _normalised(characters * inside), 0)
    return fused.astype(np.float32, copy=False)


def rerank(fused: np.ndarray, candidates: np.ndarray, meaning: np.ndarray,
           fusion: Fusion = FUSION) -> np.ndarray:
    """Mix the meaning leg into ``fused``: ``meaning`` holds the cosines of ``candidates``, the
    best lexical rows (best first, ``fusion.depth`` at most).

    Every article means something a little like every query, so the leg re-ranks what the
    words found and adds nothing else; an article below the candidates keeps its lexical share,
    which is below every candidate's.
    """
    if fusion.delta == 0 or len(candidates) == 0:
        return fused
    result = (1 - fusion.delta) * fused / fused[candidates[0]]
    sense = np.maximum(meaning, 0)
    top = float(sense.max())
    if top > 0:
        result[candidates] += fusion.delta * sense / top
    return result.astype(np.float32, copy=False)


def _normalised(scores: np.ndarray) -> np.ndarray:
    """Return ``scores`` (never negative; 0 outside the locale) divided by their maximum."""
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def _rrf(legs: Mapping[str, tuple[np.ndarray, float]], mask: np.ndarray,
         fusion: Fusion) -> np.ndarray:
    fused = np.zeros(mask.shape[0], dtype=np.float32)
    for scores, weight in legs.values():
        masked = np.where(mask, scores, 0)
        ranked = top_indices(masked, fusion.depth)
        fused[ranked] += weight / (fusion.k + np.arange(1, len(ranked) + 1))
    return fused


SORTED_BELOW = 640
"""Up to this many positive scores, ``top_indices`` sorts them all: below ~700 one stable
sort is cheaper than a partition and its tie handling (the meaning leg's 100 candidates of
~500 matches at 1,000 articles: 37 → 18 µs; the 10 shown of ~40: 15.5 → 6.7 µs)."""


def top_indices(scores: np.ndarray, limit: int) -> np.ndarray:
    """Return the indices of the ``limit`` best positive scores, best first; of equal scores
    the lower index comes first, also where the limit cuts between them.

    Only the positive scores are looked at: up to ``SORTED_BELOW`` of them are sorted, more
    are partitioned first. After the tail cut a search's scores hold ~130 positive of 10,000
    (the 10 shown: 58 → 13 µs), before it ~4,500 (the meaning leg's 100 candidates: 115–125 →
    60–75 µs); ``np.argpartition`` over all of them, zeros included, cost the same every time,
    and left which of equal scores at the cut came in to chance."""
    positive = np.flatnonzero(scores > 0)
    if limit <= 0 or positive.size == 0:
        return np.empty(0, dtype=np.int64)
    values = scores[positive]
    if SORTED_BELOW < positive.size and limit < positive.size:
        minus = -values
        kth = np.partition(minus, limit - 1)[limit - 1]  # minus the limit-th best score
        keep = minus < kth
        keep[np.flatnonzero(minus == kth)[:limit - np.count_nonzero(keep)]] = True
        positive, values = positive[keep], values[keep]  # in index order: the sort keeps it
    return positive[np.argsort(-values, kind="stable")[:limit]]


@dataclass(frozen=True)
class Tail:
    """Which matches are shown at all: a document scoring below ``relative`` × the best fused
    score, or matching less than ``coverage`` of the query's terms (idf-weighted), is cut.

    Every article shares some word with a query such as 결제가 안 돼요 (안, 돼요), so without
    a cut nearly the whole help center "matches". Tuned on dev (README, "Show only what
    matches"): see ``TAIL``.
    """

    relative: float = 0.0
    coverage: float = 0.0


TAIL = Tail(relative=0.45)
"""Relative cut, on dev (R@1 / R@5 / MRR@10 change; help-center mean results per query):

    relative  parakqc  stackfaq  banking77+ex  banking77 titles          help center
    0         —        —         —             —                         25.8 results
    0.40      0        0         0             0 / 0 / −0.0002           6.5
    0.45      0        0         0             0 / −0.0022 / −0.0011     5.3  (chosen)
    0.50      0        0         0             0 / −0.0043 / −0.0023     —

A coverage floor (share of the query's terms) cost more: 0.2 took 0.008 of stackfaq's R@5 and
0.011 of banking77 titles'. 0.45 is the first value that brings 결제가 안 돼요 (every Korean
article shares 안 or 돼요) from 33 results to 5; 0.40 leaves 10. ``scripts/fit_confidence.py
tail`` prints the grid.
"""


def cut_tail(fused: np.ndarray, coverage: np.ndarray, tail: Tail = TAIL) -> np.ndarray:
    """Return ``fused`` with the documents below the ``tail`` cut set to 0 (the best one is
    always kept, so a query that matched anything still shows something)."""
    if not (tail.relative or tail.coverage):
        return fused
    best = int(np.argmax(fused)) if fused.size else 0
    top = float(fused[best]) if fused.size else 0.0
    if top <= 0:
        return fused
    keep = (fused >= tail.relative * top) & (coverage >= tail.coverage)
    keep[best] = True
    return np.where(keep, fused, 0).astype(fused.dtype, copy=False)
