"""The one seam to the analysis functions: the rest of ``search`` imports them from here."""

from __future__ import annotations

from search.analysis import analysis_settings, analyze
from search.korean import configure_korean, is_kiwi_available

__all__ = ["analysis_settings", "analyze", "configure_korean", "is_kiwi_available"]
