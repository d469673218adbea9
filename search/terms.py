"""The one seam to the analysis functions: the rest of ``search`` imports them from here."""

from __future__ import annotations

from search.analysis import (
    ANALYSIS_VERSION,
    HANGUL_RUN,
    analysis_settings,
    analyze,
    hangul_bigrams,
    syllable_bigrams,
)
from search.korean import configure_korean, is_kiwi_available

__all__ = [
    "ANALYSIS_VERSION",
    "HANGUL_RUN",
    "analysis_settings",
    "analyze",
    "configure_korean",
    "hangul_bigrams",
    "is_kiwi_available",
    "syllable_bigrams",
]
