"""Text normalisation shared by every analysis view, index side and query side alike.

``normalize`` gives the canonical form (NFKC, lowercase, invisible characters gone, ``ㆍ``/``·``
as spaces, whitespace folded).  The one thing to know: the analysers work on
``normalize_with_offsets``, which keeps a map back to the caller's text, so every token's
``start``/``end`` points into the *original* text and highlighting needs no second pass.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_INVISIBLE = "\u200b\u200c\u200d\ufeff\u2060\u00ad"
"""Zero-width space/non-joiner/joiner, BOM, word joiner, soft hyphen: deleted, not spaced."""

_SEPARATORS = "\u00b7\u318d\u119e\u30fb\u2027\u2219"
"""Middle dots (``·``, ``ㆍ`` and the jamo it NFKC-folds to, ``・``, ``‧``, ``∙``): spaces."""

_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"'}

_TRANSLATE = {ord(c): None for c in _INVISIBLE}
_TRANSLATE.update({ord(c): " " for c in _SEPARATORS})
_TRANSLATE.update({ord(k): v for k, v in _QUOTES.items()})
_TRANSLATE.update({  # NFKC turns keyboard jamo (ㅇ) into conjoining jamo (ᄋ): turn them back
    ord(unicodedata.normalize("NFKC", chr(code))): chr(code)
    for code in range(0x3131, 0x318F)
    if len(unicodedata.normalize("NFKC", chr(code))) == 1
    and 0x1100 <= ord(unicodedata.normalize("NFKC", chr(code))) <= 0x11FF
})
_SPACES = re.compile(r"\s+")
_CHUNK = re.compile(r".[\u0300-\u036f\u1160-\u11ff\u3099\u309a\ud7b0-\ud7ff]*", re.S)
"""A base character and what may compose with it (combining marks, conjoining jamo)."""


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text plus, when lengths changed, where each of its characters came from.

    Normalised character ``i`` came from ``original[starts[i]:ends[i]]`` (a character that NFKC
    expanded, like "ﬁ" -> "fi", maps both halves to the whole source).  ``starts`` and ``ends``
    are ``None`` when the normalised text lines up with the original character for character.
    """

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty ``[start, end)`` span of the normalised text to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> str:
    """Return the canonical search form of ``text``.

    >>> normalize("  Ｌｏｇｉｎ\u200b  오류ㆍ결제 ")
    'login 오류 결제'
    """
    text = unicodedata.normalize("NFKC", text.translate(_TRANSLATE)).translate(_TRANSLATE)
    return _SPACES.sub(" ", text.lower()).strip()


def normalize_with_offsets(text: str) -> Normalized:
    """Normalise like ``normalize`` but keep whitespace runs, and map back to ``text``.

    Whitespace is not folded (every whitespace character becomes one space) so that
    offsets stay cheap; tokenizers treat any run of spaces as one separator.

    >>> normalize_with_offsets("ＡＢ").text
    'ab'
    """
    # Keyboard jamo (ㅠㅠ, 로그ㅇ) come out unchanged either way: no reason for the slow path.
    if not _INVISIBLE_RE.search(text) and unicodedata.is_normalized(
            "NFKC", _COMPAT_JAMO_RE.sub("", text)):
        lowered = text.lower()
        if len(lowered) == len(text):
            return Normalized(_WHITESPACE.sub(" ", lowered.translate(_TRANSLATE)))
    return _normalize_slowly(text)


_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_COMPAT_JAMO_RE = re.compile("[\u3131-\u318e]")
_WHITESPACE = re.compile(r"\s")


def _normalize_slowly(text: str) -> Normalized:
    """Normalise chunk by chunk, recording the source index of every output character."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _CHUNK.finditer(text):
        chunk = match.group().translate(_TRANSLATE)
        if not chunk:
            continue
        out = unicodedata.normalize("NFKC", chunk).translate(_TRANSLATE).lower()
        out = _WHITESPACE.sub(" ", out)
        parts.append(out)
        starts.extend([match.start()] * len(out))
        ends.extend([match.end()] * len(out))
    return Normalized("".join(parts), tuple(starts), tuple(ends))
