"""The Korean morpheme view: Kiwi content morphemes, with noun pairs also emitted joined.

Kiwi (kiwipiepy) drops particles and endings for us; we keep nouns, stems, roots, prefixes and
Hanja, and also emit each pair of adjacent nouns joined (비밀+번호 -> 비밀번호, 로그 인 -> 로그인)
and each prefix or noun suffix glued to its noun (재+설정 -> 재설정, 이용+권 -> 이용권), so that
spacing variants and Kiwi's context-dependent splits meet in the index.

The one thing to know: the ``Kiwi`` object lives in a lazily created, lock-guarded module
singleton, never in an analyser object (Whoosh pickles analysers; a Kiwi cannot be pickled).
Load it before forking workers (``is_kiwi_available()`` does) so they share its ~500 MB.  When
Kiwi cannot load, ``korean_terms`` returns ``[]`` and the Hangul bigram view carries Korean.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kb.articles import Problem
from search.normalize import normalize_with_offsets
from search.tokens import Token

log = logging.getLogger(__name__)

CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NR", "NP", "VV", "VA", "XR", "XPN", "SH"}
)
"""Kiwi tags kept as terms.  SL and SN (Latin, digits) are kept too, but by the English chain."""

_NOUNISH = frozenset({"NNG", "NNP", "XR", "SH"})
"""Tags that join with a neighbour into a compound term."""

USER_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "MAG", "MAJ", "IC", "XR"})
"""Parts of speech the user dictionary may give a word."""

LOAD_MULTI_DICT = False
"""Kiwi's multi-word dictionary (proper nouns of several words, from encyclopedias) is left out:
it holds ~185 MB of each process's memory (Kiwi 528 → 343 MB resident) for names a help
center's articles and queries hardly contain: dev MRR@10 of parakqc 0.9198 and of the help
center 0.9000 either way (meaning leg off)."""

LOAD_DEFAULT_DICT = False
"""Kiwi's default dictionary (single words with their tags, on top of what its model knows) is
left out too: ~67 MB of each process (Kiwi 301 → 234 MB resident). Its words are analysed
the same without it (206 parakqc queries and sample phrases: one differs, 배송지 tagged NNG
instead of NNP, still a noun), and every dev figure stays the same to the fourth decimal:
parakqc, stackfaq, banking77 with and without examples, the help center (README, "The
encoder's cost"). Product words go in the user dictionary, which is loaded either way."""

_CACHED_LENGTH = 200
"""Texts up to this many characters (queries, titles) are cached; bodies are not."""

_NEEDS_KIWI = re.compile("[\uac00-\ud7a3\u4e00-\u9fff]")
"""Hangul syllables or Han: text without them never reaches Kiwi."""
_LINE = re.compile("[^\n]+")


@dataclass(frozen=True, slots=True)
class UserWord:
    """One user-dictionary entry: a word Kiwi must keep whole, its tag and its score."""

    word: str
    tag: str
    score: float


def parse_userdict(text: str, path: Path) -> tuple[list[UserWord], list[Problem]]:
    """Parse a user dictionary (``word<TAB>POS<TAB>score`` per line, ``#`` comments).

    Every bad line becomes a ``Problem`` naming ``path`` and the line; good lines are kept.

    >>> parse_userdict("멤버십\\tNNP\\t0\\n", Path("userdict.txt"))[0]
    [UserWord(word='멤버십', tag='NNP', score=0.0)]
    """
    words: list[UserWord] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        fields = [field.strip() for field in line.split("\t")]
        if len(fields) not in (2, 3) or not fields[0]:
            message = f"expected 'word<TAB>POS<TAB>score', got {raw!r}"
            problems.append(_problem(path, number, message))
            continue
        word, tag = fields[0], fields[1].upper()
        if tag not in USER_TAGS:
            allowed = ", ".join(sorted(USER_TAGS))
            message = f"unknown POS {fields[1]!r}; use one of {allowed}"
            problems.append(_problem(path, number, message))
            continue
        try:
            score = float(fields[2]) if len(fields) == 3 and fields[2] else 0.0
        except ValueError:
            problems.append(_problem(path, number, f"score {fields[2]!r} is not a number"))
            continue
        words.append(UserWord(word, tag, score))
    return words, problems


def load_userdict(path: Path) -> tuple[list[UserWord], list[Problem]]:
    """Read and parse the user dictionary at ``path``; a missing file is a warning, not an error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        message = "user dictionary not found; Kiwi runs without it"
        return [], [Problem("warning", path, None, message)]
    return parse_userdict(text, path)


def _problem(path: Path, line: int, message: str) -> Problem:
    return Problem("error", path, line, message)


class _State:
    """The Kiwi singleton and its settings; every change happens under ``lock``."""

    lock = threading.Lock()
    kiwi: Any = None
    loaded_words: tuple[UserWord, ...] = ()
    is_enabled = True
    user_words: tuple[UserWord, ...] = ()
    error: str | None = None
    fingerprint = ""
    generation = 0
    userdict_path: Path | None = None


@dataclass(frozen=True, slots=True)
class KoreanConfig:
    """What ``configure_korean`` was last given (to restore it, e.g. after a test)."""

    userdict_path: Path | None
    use_kiwi: bool


def configure_korean(userdict_path: Path | None = None, *, use_kiwi: bool = True) -> list[Problem]:
    """Set the user dictionary and whether Kiwi is used; return the dictionary's problems.

    Cheap: Kiwi itself loads on first use.  Words are added to an already loaded Kiwi when the
    new dictionary only adds words; otherwise Kiwi is reloaded on next use.  ``use_kiwi=False``
    switches to the bigram-only fallback (what happens when kiwipiepy is missing).

    >>> configure_korean(Path("articles/userdict.txt"))  # doctest: +SKIP
    []
    """
    words: list[UserWord] = []
    problems: list[Problem] = []
    digest = hashlib.sha256()
    if userdict_path is not None:
        words, problems = load_userdict(Path(userdict_path))
        for word in words:
            digest.update(f"{word.word}\t{word.tag}\t{word.score}\n".encode())
    with _State.lock:
        _State.is_enabled = use_kiwi
        _State.userdict_path = Path(userdict_path) if userdict_path is not None else None
        _State.user_words = tuple(words)
        _State.fingerprint = digest.hexdigest()[:16] if userdict_path is not None else ""
        if _State.kiwi is not None and not set(_State.loaded_words) <= set(words):
            _State.kiwi = None
            _State.loaded_words = ()
        _State.error = None
        _State.generation += 1
    _analyse_cached.cache_clear()
    return problems


def korean_config() -> KoreanConfig:
    """Return the current Korean set-up.

    >>> config = korean_config()
    >>> configure_korean(config.userdict_path, use_kiwi=config.use_kiwi)
    []
    """
    return KoreanConfig(_State.userdict_path, _State.is_enabled)


def korean_generation() -> int:
    """Return a number that changes whenever ``configure_korean`` changes the set-up (cache key)."""
    return _State.generation


def is_kiwi_available() -> bool:
    """Load Kiwi if needed and tell whether the morpheme view works (False: bigrams only).

    The first call costs 2–3 s (model load and Kiwi's lazy set-up); call it at start-up.
    """
    return _kiwi() is not None


def korean_settings() -> str:
    """Describe the Korean set-up (Kiwi version or why it is off, user dictionary digest).

    Put it in the index's digest so that a new dictionary or a missing Kiwi rebuilds the index.

    >>> korean_settings()  # doctest: +SKIP
    'kiwi=0.24.1 userdict=3f2a9c0d1b7e4a55'
    """
    kiwi = _kiwi()
    if kiwi is None:
        engine = "kiwi=off"
    else:
        import kiwipiepy

        engine = (f"kiwi={kiwipiepy.__version__} default={LOAD_DEFAULT_DICT} "
                  f"multi={LOAD_MULTI_DICT}")
    return f"{engine} userdict={_State.fingerprint or 'none'}"


def _kiwi() -> Any:
    """Return the shared Kiwi, creating it on first use; ``None`` when it cannot load."""
    if not _State.is_enabled:
        return None
    kiwi = _State.kiwi
    if kiwi is not None and _State.loaded_words == _State.user_words:
        return kiwi
    if _State.error is not None:
        return None
    with _State.lock:
        if _State.kiwi is None and _State.is_enabled and _State.error is None:
            try:
                _State.kiwi = _load_kiwi(_State.user_words)
                _State.loaded_words = _State.user_words
            except Exception as error:  # ImportError, or a model that fails to load
                _State.error = f"{type(error).__name__}: {error}"
                _State.generation += 1
                log.warning("Kiwi unavailable, Korean falls back to bigrams: %s", _State.error)
        elif _State.kiwi is not None:
            _add_words(_State.kiwi, set(_State.user_words) - set(_State.loaded_words))
            _State.loaded_words = _State.user_words
        return _State.kiwi


def _load_kiwi(words: Iterable[UserWord]) -> Any:
    from kiwipiepy import Kiwi

    # num_workers=0: no native worker thread at all; Kiwi analyses in the calling thread. Any
    # pool (even num_workers=1) is started in the gunicorn master by the warm-up below and its
    # thread does not survive fork(): a worker then aborts at exit (std::system_error) or
    # hangs. Kiwi warns about 0 only because 0 meant "every core" before 0.21.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="behavior of `num_workers=0`",
                                category=DeprecationWarning)
        kiwi = Kiwi(num_workers=0, load_default_dict=LOAD_DEFAULT_DICT,
                    load_multi_dict=LOAD_MULTI_DICT)
    _add_words(kiwi, words)
    kiwi.tokenize("로그인")  # Kiwi's lazy set-up takes seconds: pay it now, not on a query
    return kiwi


def _add_words(kiwi: Any, words: Iterable[UserWord]) -> None:
    for word in words:
        kiwi.add_user_word(word.word, word.tag, word.score)


def korean_terms(text: str) -> list[Token]:
    """Return the Korean content morphemes of ``text`` plus joined compounds, in text order.

    Latin and digit runs are left to the English chain; ``[]`` when Kiwi is unavailable.

    >>> [t.text for t in korean_terms("비밀번호를 재설정하려면")]  # doctest: +SKIP
    ['비밀', '번호', '비밀번호', '재', '설정', '재설정']
    """
    normalized = normalize_with_offsets(text)
    return [Token(term, *normalized.span(start, end))
            for term, start, end in korean_terms_normalized(normalized.text)]


def korean_terms_normalized(text: str) -> tuple[tuple[str, int, int], ...]:
    """``korean_terms`` on already normalised text, offsets into that text (cached when short)."""
    if not _NEEDS_KIWI.search(text):
        return ()
    if len(text) <= _CACHED_LENGTH:
        return _analyse_cached(text)
    return _analyse(text)


@lru_cache(maxsize=8192)
def _analyse_cached(text: str) -> tuple[tuple[str, int, int], ...]:
    return _analyse(text)


def _analyse(text: str) -> tuple[tuple[str, int, int], ...]:
    kiwi = _kiwi()
    if kiwi is None:
        return ()
    if "\n" not in text:
        return tuple(_content_terms(text, kiwi.tokenize(text)))
    # Only lines with Hangul or Han go to Kiwi: English lines in a Korean body cost it time.
    out: list[tuple[str, int, int]] = []
    for line in _LINE.finditer(text):
        if _NEEDS_KIWI.search(line.group()):
            offset = line.start()
            out.extend((term, start + offset, end + offset) for term, start, end
                       in _content_terms(line.group(), kiwi.tokenize(line.group())))
    return tuple(out)


def _content_terms(text: str, tokens: Iterable[Any]) -> list[tuple[str, int, int]]:
    """Keep content morphemes of Kiwi ``tokens`` of ``text`` and add the joined compounds."""
    out: list[tuple[str, int, int]] = []
    unit: tuple[str, int, int] | None = None  # the last noun-like unit, while still adjacent
    before_prefix: tuple[str, int, int] | None = None  # the unit before a pending prefix
    prefix: tuple[str, int, int] | None = None
    last_end = -1
    for token in tokens:
        tag = token.tag.split("-", 1)[0]
        start, end = token.start, token.start + token.len
        form = token.form.replace(" ", "")
        is_adjacent = _is_adjacent(text, last_end, start)
        if tag in _NOUNISH:
            out.append((form, start, end))
            current = (form, start, end)
            left = unit if is_adjacent else None
            if prefix is not None and is_adjacent:
                current = (prefix[0] + form, prefix[1], end)
                out.append(current)
                left = before_prefix
            if left is not None:
                out.append((left[0] + current[0], left[1], current[2]))
            unit, prefix, before_prefix = current, None, None
        elif tag == "XPN":
            out.append((form, start, end))
            before_prefix = unit if is_adjacent else None
            prefix, unit = (form, start, end), None
        elif tag == "XSN" and unit is not None and start == last_end:
            unit = (unit[0] + form, unit[1], end)
            out.append(unit)
        else:
            if tag in CONTENT_TAGS:
                out.append((form, start, end))
            unit, prefix, before_prefix = None, None, None
        last_end = max(last_end, end)
    return out


PARTICLES = tuple("에서 으로 이 가 을 를 은 는 의 에 로 도 만 과 와".split())
"""Common particles, for the few places that strip them without Kiwi (its fallback)."""


def strip_particle(word: str) -> str:
    """Remove one common trailing particle from a Hangul word, keeping at least one syllable.

    Only a fallback for when Kiwi is unavailable; Kiwi drops particles properly.

    >>> strip_particle("로그인이"), strip_particle("이")
    ('로그인', '이')
    """
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) > len(particle):
            return word[: -len(particle)]
    return word


def _is_adjacent(text: str, last_end: int, start: int) -> bool:
    """Tell whether a token at ``start`` touches the previous one (nothing or one space between)."""
    if last_end < 0:
        return False
    return start == last_end or (start == last_end + 1 and text[last_end] == " ")
