"""The errors ``search`` raises: one base class, so callers can catch all of them at once.

    SearchError
     ├── QueryError   (also a ValueError): the query text cannot be searched
     └── IndexStateError: the on-disk index is missing or unreadable
"""

from __future__ import annotations


class SearchError(Exception):
    """Base class of every error raised by the ``search`` package."""


class QueryError(SearchError, ValueError):
    """Raised by ``Engine.search``/``suggest`` for an empty or over-long query.

    The message says what is wrong and what the limit is; web turns it into a 400.
    """


class IndexStateError(SearchError):
    """Raised when an index generation on disk is missing, half-written or unreadable.

    Delete ``DATA_DIR/index`` and run ``deflect index`` to rebuild it from the articles.
    """


class DataFileError(SearchError):
    """Raised by ``search.evaluation.load_tickets`` for a row it cannot use; the message names
    the file and line."""
