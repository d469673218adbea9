"""``Settings``: every ranking and autocomplete weight the engine uses, in one record.

The defaults are the values tuned on the dev splits (``search/ranking.py`` and
``search/postings.py`` hold the dev numbers behind the ranking ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search import confidence as confidence_model
from search.postings import BM25FParams
from search.ranking import FUSION, TAIL, Fusion, Tail


def _suggest_bm25() -> BM25FParams:
    short = ("title.m", "title.b", "questions.m", "questions.b")
    return BM25FParams(
        weights={"title.m": 2.0, "title.b": 1.0, "questions.m": 1.0, "questions.b": 0.5},
        b={name: 0.3 for name in short})


@dataclass(frozen=True)
class Settings:
    """Ranking settings; defaults are the values tuned on dev (see ``search/ranking.py``)."""

    bm25: BM25FParams = field(default_factory=BM25FParams)
    fusion: Fusion = FUSION
    coordination: float = 0.0
    """Power of the matched-terms share multiplied into BM25F (0 = plain OR)."""
    low_confidence: float = confidence_model.THRESHOLD
    """Searches whose confidence (``search.confidence``) is below this are flagged."""
    tail: Tail = TAIL
    """Which weak matches are cut from the results (``search.ranking.Tail``)."""
    expansion_weight: float = 0.6
    """Weight of terms added by the keystroke layer (corrections and completions)."""
    suggest_bm25: BM25FParams = field(default_factory=_suggest_bm25)
    """BM25F of autocomplete: titles and questions only, little length normalisation."""
    suggest_coordination: float = 2.0
    """Power of the matched-terms share in autocomplete: a prefix should match as a whole."""
    prefix_completion_weight: float = 0.8
    """Autocomplete weight of the most frequent completion of the word being typed (others
    in proportion to their frequency) and of the finished words' repairs."""
    prefix_cut_weight: float = 0.4
    """Autocomplete weight of a term analysed out of the word being typed that is not one of
    its completions (``로그ㅇ`` → ``로그``): under the completions, which the customer is
    typing."""
    prefix_bigram_weight: float = 0.5
    """Autocomplete weight of the typed text's Hangul bigrams."""
