"""How sure a search is that its top result answers the query: a logistic regression over what
the legs already know, fitted on the dev splits (``scripts/fit_confidence.py``).

Fused scores are max-normalised, so the top result always scores 1.0 and says nothing about
whether it answers anything. The signals here are taken before that normalisation: the top
result's raw BM25F against the most these terms could score, its cosines in the TF-IDF, phrase
and meaning legs, the share of the query's terms it matched, the margin to the second result,
and how much of the query the index knows at all (the keystroke layer's repairs count as not
known). ``estimate`` turns them into a probability; below ``THRESHOLD`` a search is flagged
low-confidence. Serving needs only numpy: the coefficients are constants below.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class Signals:
    """What the legs know about one query's top result, each about 0–1."""

    keyword: float
    """The top result's BM25F over the most the query's terms could score (all saturated)."""
    coverage: float
    """Share of the query's terms (idf-weighted) the top result matched."""
    similarity: float
    """TF-IDF cosine of the top result with the query."""
    phrase: float
    """Best TF-IDF cosine of one of the top result's phrasings (title, a question)."""
    meaning: float
    """Sentence-vector cosine of the top result with the query (0 without the meaning leg)."""
    margin: float
    """1 − second fused score / first: how far ahead the top result is."""
    meaning_margin: float
    """The top result's meaning cosine minus the best other candidate's (−1–1): whether the
    sense of the query singles it out, not just its words."""
    known: float
    """Share of the query's own terms (not the keystroke layer's) the index holds at all."""
    corrected: float
    """1 when the keystroke layer repaired a word (did-you-mean), else 0."""

    def values(self) -> tuple[float, ...]:
        """Return the signals in ``FEATURES`` order (``dataclasses.astuple`` deep-copies each
        value: 10× the time)."""
        return tuple(getattr(self, name) for name in FEATURES)

    def vector(self) -> np.ndarray:
        """Return the signals in ``FEATURES`` order."""
        return np.array(self.values(), dtype=np.float64)


FEATURES = tuple(f.name for f in fields(Signals))
NOTHING = Signals(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
"""The signals of a query that matched nothing."""

# Fitted by ``python scripts/fit_confidence.py fit --flag-rate 0.04`` on the dev splits of
# parakqc, stackfaq, banking77 --examples and the help center (tests/data/helpcenter-queries.jsonl
# with the out-of-domain questions of tests/data/helpcenter-unanswerable.jsonl), each data set
# weighing the same. A query counts as answered (1) when its top result is relevant; every dev
# query is also run with its relevant entries removed (0). Dev, this model and threshold:
#
#     data set              AUROC   flagged answerable   flagged unanswerable
#     parakqc               0.878   0.8 %                13.0 %
#     stackfaq              0.853   3.4 %                19.7 %
#     banking77 --examples  0.879   0.1 %                 5.1 %
#     help center           0.866   3.1 %                37.0 % (removed and out-of-domain)
#
# Each signal alone on parakqc: similarity 0.887, phrase 0.884, keyword 0.867, coverage 0.863,
# meaning 0.840, known 0.790, margin 0.781. Labelling "a relevant entry in the top 5" instead
# of "first" gains 0.004–0.010 AUROC but no longer estimates what the page claims (that the
# first result answers); squared signals gained under 0.005, query length nothing.
COEFFICIENTS = {"keyword": 1.4178, "coverage": 1.1828, "similarity": 2.6529, "phrase": 0.4431,
                "meaning": 2.8556, "margin": 6.3407, "meaning_margin": 3.4686, "known": 0.8054,
                "corrected": 0.4301}
INTERCEPT = -6.6162
THRESHOLD = 0.041
"""Searches below this confidence are flagged low-confidence: the highest value that flags at
most 4 % of the answerable dev queries of every data set (the test target is 5 %). Half of
the fitting examples are unanswerable by construction, so the probabilities run low."""


def estimate(signals: Signals, coefficients: Mapping[str, float] | None = None,
             intercept: float | None = None) -> float:
    """Return the probability (0–1) that the top result answers the query."""
    weights = COEFFICIENTS if coefficients is None else coefficients
    z = INTERCEPT if intercept is None else intercept
    z += sum(weights[name] * value for name, value in zip(FEATURES, signals.values(),
                                                           strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def is_low(confidence: float, threshold: float = THRESHOLD) -> bool:
    """Return True when ``confidence`` is below the flagging threshold."""
    return confidence < threshold


def known_share(terms: Iterable[tuple[str, float]], vocabulary: Mapping[str, int]) -> float:
    """Return the share of the query's own terms (weight 1; not added by the keystroke layer
    or synonyms, which weigh less) that occur in ``vocabulary``; 0 for no terms.

    >>> known_share([("m:pizza", 1.0), ("m:order", 1.0), ("m:ordr", 0.6)], {"m:order": 0})
    0.5
    """
    own = [term for term, weight in terms if weight >= 1.0]
    if not own:
        return 0.0
    return sum(term in vocabulary for term in own) / len(own)


def keyword_bound(ids: Iterable[tuple[int, float]], scorer) -> float:
    """Return the most a ``search.postings.KeywordScorer`` could give these ``(term id,
    weight)`` pairs (every term saturated in one document), so a top score reads as a share."""
    k1 = scorer.params.k1
    return float(sum(weight * float(scorer.idf[index]) * (k1 + 1) for index, weight in ids))


@dataclass(frozen=True)
class Judgement:
    """A query's ranked slugs (after the tail cut) and how sure the engine is of the first
    (``Engine.judge``)."""

    ranked: list[str]
    confidence: float
    signals: Signals
    scores: list[float]
    """Fused score of each ranked slug."""
    coverage: list[float]
    """Share of the query's terms each ranked slug matched."""
    total: int
    """Documents left after the tail cut."""


def measure(fused: np.ndarray, *, keyword: np.ndarray, keyword_bound: float,
            coverage: np.ndarray, similarity: np.ndarray, phrases: np.ndarray | None,
            meaning: tuple[np.ndarray, np.ndarray] | None, known: float,
            is_corrected: bool) -> Signals:
    """Return the signals of the best row of ``fused`` (the final scores, before any tail cut).

    The other arrays hold every document's raw leg scores; ``meaning`` is (candidate rows,
    their cosines) or None; ``keyword_bound`` is ``KeywordScorer.max_score`` of the query.
    """
    top = int(np.argmax(fused)) if fused.size else 0
    first = float(fused[top]) if fused.size else 0.0
    if first <= 0:
        return NOTHING
    # the runner-up's score: the best of the others (0 when no other matched)
    second = max(float(fused[:top].max(initial=0.0)), float(fused[top + 1:].max(initial=0.0)))
    cosine = gap = 0.0
    if meaning is not None:
        rows, cosines = meaning
        where = np.flatnonzero(rows == top)
        cosine = float(cosines[where[0]]) if where.size else 0.0
        others = cosines[rows != top]
        gap = cosine - float(others.max()) if others.size else cosine
    return Signals(
        keyword=_clip(float(keyword[top]) / keyword_bound if keyword_bound > 0 else 0.0),
        coverage=_clip(float(coverage[top])),
        similarity=_clip(float(similarity[top])),
        phrase=_clip(float(phrases[top])) if phrases is not None else 0.0,
        meaning=_clip(cosine),
        margin=_clip(1.0 - second / first),
        meaning_margin=max(-1.0, min(1.0, gap)),
        known=_clip(known),
        corrected=1.0 if is_corrected else 0.0)


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))
