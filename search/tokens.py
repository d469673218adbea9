"""The token record and the split of normalised text into runs of one script.

Every analysis view starts here: Hangul runs go to the Korean chains, word runs (Latin letters
and digits, with error codes such as ``e-1002`` and numbers such as ``7,900`` whole) go to the
English chain, and runs of other scripts (Han, kana) are bigrammed.  Punctuation and spaces
separate runs and belong to none.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

RunKind = Literal["hangul", "word", "other"]


class Token(NamedTuple):
    """One term of an analysed text and the ``[start, end)`` characters it came from.

    Offsets point into the text the caller passed in (before normalisation).  It unpacks
    like the plain tuple ``(text, start, end)``.
    """

    text: str
    start: int
    end: int


class Run(NamedTuple):
    """A maximal stretch of one script in normalised text: ``kind``, ``text``, ``[start, end)``."""

    kind: RunKind
    text: str
    start: int
    end: int


_HANGUL_CHARS = "\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff"
_OTHER_CHARS = "\u2e80-\u2fdf\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u31f0-\u31ff"
_WORD_CHAR = f"[^\\W_{_HANGUL_CHARS}{_OTHER_CHARS}]"
_JOINER = r"[-_./,:']"
_RUNS = re.compile(
    f"(?P<hangul>[{_HANGUL_CHARS}]+)"
    f"|(?P<word>{_WORD_CHAR}+(?:{_JOINER}{_WORD_CHAR}+)*)"
    f"|(?P<other>[{_OTHER_CHARS}]+)"
)
_COMPAT_JAMO = re.compile("[\u3131-\u318e]")


def script_runs(text: str) -> list[Run]:
    """Split normalised ``text`` into runs of Hangul, words (Latin/digits) and other scripts.

    >>> [(r.kind, r.text) for r in script_runs("e-1002 오류가 나요 login!")]
    [('word', 'e-1002'), ('hangul', '오류가'), ('hangul', '나요'), ('word', 'login')]
    """
    return [
        Run(match.lastgroup, match.group(), match.start(), match.end())  # type: ignore[arg-type]
        for match in _RUNS.finditer(text)
    ]


def has_bare_jamo(text: str) -> bool:
    """Tell whether ``text`` holds a lone keyboard jamo (``ㅇ``), i.e. an unfinished syllable.

    >>> has_bare_jamo("로그ㅇ"), has_bare_jamo("로그인")
    (True, False)
    """
    return _COMPAT_JAMO.search(text) is not None


def is_hangul(text: str) -> bool:
    """Tell whether ``text`` starts with a Hangul syllable (가–힣; not a bare jamo).

    >>> is_hangul("로그인"), is_hangul("ㄹ"), is_hangul("login"), is_hangul("")
    (True, False, False, False)
    """
    return "가" <= text[:1] <= "힣"
