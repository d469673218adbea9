"""Form bodies over ``MAX_CONTENT_LENGTH`` that keep what the person typed.

Flask refuses a body over ``MAX_CONTENT_LENGTH`` with a bare 413 before any view runs, and the
typed text of a form with too many or too large files is lost with it. A view marked
``@keeps_text_over_limit`` instead has its body read up to ``CEILING`` × the limit: text fields
are parsed as always (Werkzeug's limits on a field's size and on the number of parts still
apply), file bytes are kept only while the body read so far is within the limit, and after it
they are drained and dropped. The view learns from ``overflow(request)`` that the body was too
large and which files were cut, and shows the form again. A body larger than the ceiling is
still a plain 413, refused before it is read when its ``Content-Length`` says so and as soon as
it passes the ceiling otherwise: the server never buffers or drains an unbounded body.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, TypeVar

import flask
from flask import current_app
from werkzeug.datastructures import FileStorage

CEILING = 4
"""How many times ``MAX_CONTENT_LENGTH`` a marked view reads (and drains) before a plain 413."""

View = TypeVar("View", bound=Callable[..., Any])


def keeps_text_over_limit(view: View) -> View:
    """Mark a form view whose text survives a body over ``MAX_CONTENT_LENGTH`` (see above)."""
    view.keeps_text_over_limit = True  # type: ignore[attr-defined]
    return view


@dataclass(frozen=True)
class Overflow:
    """A body over the limit: the limit in bytes, and the names of the files not kept."""

    limit: int
    cut: tuple[str, ...]


def overflow(request: flask.Request) -> Overflow | None:
    """What was cut from this request's body, or ``None`` if it was within the limit."""
    request.form  # noqa: B018 (parses the body, if nothing has yet)
    meter = getattr(request, "_meter", None)
    if meter is None or not meter.is_over:
        return None
    return Overflow(limit=meter.limit, cut=tuple(meter.cut))


def is_cut(file: FileStorage) -> bool:
    """Whether ``file`` arrived past the limit (its bytes were dropped)."""
    return bool(getattr(file.stream, "is_cut", False))


class _Meter:
    """The body stream, counting the bytes read; the cut files' names are noted here."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.count = 0
        self.cut: list[str] = []

    @property
    def is_over(self) -> bool:
        return self.count > self.limit

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


class _BoundedFile:
    """A file part's container that drops its bytes once the body passes the limit.

    The parser reads the body in 64 KB chunks before it hands out their parts, so a file that
    ends within the last chunk before the limit may be counted as cut too.
    """

    def __init__(self, container: IO[bytes], meter: _Meter, filename: str) -> None:
        self._container = container
        self._meter = meter
        self._filename = filename
        self.is_cut = False
        if meter.is_over:
            self._cut()

    def write(self, data: bytes) -> int:
        if not self.is_cut and self._meter.is_over:
            self._cut()
        if self.is_cut:
            return len(data)  # drained: read from the client, never stored
        return self._container.write(data)

    def _cut(self) -> None:
        self.is_cut = True
        self._meter.cut.append(self._filename)
        self._container.close()  # frees a spooled temporary file at once
        self._container = io.BytesIO()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._container, name)

    def __iter__(self):
        return iter(self._container)


class Request(flask.Request):
    """Flask's request, reading the body of a ``@keeps_text_over_limit`` view as above."""

    _meter: _Meter | None = None

    @property
    def max_content_length(self) -> int | None:
        limit = super().max_content_length
        if self._max_content_length is None and limit is not None and self._keeps_text():
            return limit * CEILING
        return limit

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _keeps_text(self) -> bool:
        if self.method != "POST" or self.url_rule is None or not current_app:
            return False
        view = current_app.view_functions.get(self.url_rule.endpoint)
        return bool(getattr(view, "keeps_text_over_limit", False))

    def _get_stream_for_parsing(self) -> IO[bytes]:
        stream = super()._get_stream_for_parsing()
        limit = current_app.config.get("MAX_CONTENT_LENGTH") if current_app else None
        if self._max_content_length is None and limit is not None and self._keeps_text():
            self._meter = _Meter(stream, int(limit))
            return self._meter  # type: ignore[return-value]
        return stream

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None,
                         content_length: int | None = None) -> IO[bytes]:
        container = super()._get_file_stream(total_content_length, content_type, filename,
                                             content_length)
        if self._meter is None:
            return container
        return _BoundedFile(container, self._meter, filename or "")  # type: ignore[return-value]
