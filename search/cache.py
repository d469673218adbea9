"""``ResultCache``: a thread-safe least-recently-used cache with counters: the engine's answered
queries."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

CACHE_SIZE = 2048
"""Answers an engine keeps by default (real traffic repeats queries)."""


class ResultCache:
    """Keep up to ``size`` answers (0 keeps none); count hits and misses."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        if size < 0:
            raise ValueError(f"cache size must be 0 or more, not {size}")
        self.size = size
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn threads share one engine

    def get(self, key: Hashable) -> Any | None:
        """Return the answer stored under ``key`` (now the most recent) or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        """Store ``value``, dropping the least recently used answer beyond ``size``."""
        if not self.size:
            return
        with self._lock:
            self._entries[key] = value
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every answer (the index changed); the counters keep counting."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
