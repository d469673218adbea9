"""Query-time synonyms from the editors' ``articles/synonyms.txt`` (Solr's synonym format).

    # comment
    로그인, login, log in, sign in      equivalence group: any entry adds all the others
    비번 => 비밀번호, password           explicit mapping: the left side adds the right side

Entries may be several words (``log in``, ``계정 삭제``); they match across the query's tokens,
after the same normalisation, stemming and particle removal as search (so ``계정을 삭제`` matches
``계정 삭제``, ``logging in`` matches ``log in``).  The one thing to know: expansion only *adds*
terms, at a lower weight (``DEFAULT_WEIGHT``), so editors can change the file without
re-indexing and an exact match still outranks a synonym match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kb.articles import Problem
from search.analysis import LOCALE_VIEWS, VIEWS, View, analyze, stem
from search.errors import SearchError
from search.korean import korean_generation, korean_terms_normalized, strip_particle
from search.normalize import normalize, normalize_with_offsets
from search.tokens import script_runs

DEFAULT_WEIGHT = 0.5
"""Weight of an expansion term relative to the query's own terms (1.0)."""

_WORD_SPLIT = re.compile(r"[-_./,:]+")

_Span = tuple[str, int, int]


class SynonymError(SearchError):
    """Raised by ``load_synonyms(path, strict=True)`` when the file has errors.

    ``problems`` lists every bad line (file and line number); fix them and reload.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True, slots=True)
class SynonymRule:
    """One line of the file: ``entries`` trigger it, ``targets`` are added.

    For a group both are the whole group (an entry never adds itself); for ``a => b`` the
    entries are the left side and the targets the right side.
    """

    line: int
    entries: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SynonymMatch:
    """A rule whose ``entry`` occurs in the query."""

    rule: SynonymRule
    entry: str


@dataclass
class Synonyms:
    """The parsed synonym rules, ready to expand queries.

    >>> synonyms, _ = parse_synonyms("로그인, login, log in", Path("synonyms.txt"))
    >>> synonyms.expand("login 안 돼요", "en")
    {'word': [('log', 0.5)]}
    """

    rules: list[SynonymRule] = field(default_factory=list)
    weight: float = DEFAULT_WEIGHT
    _compiled: tuple[int, dict[str, list[tuple[int, str]]],
                     dict[str, list[tuple[tuple[str, ...], int, str]]]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.rules)

    def matches(self, query: str) -> list[SynonymMatch]:
        """Return the rules whose entries occur in ``query``, each once, in file order.

        >>> synonyms.matches("how to log in")  # doctest: +SKIP
        [SynonymMatch(rule=SynonymRule(line=1, ...), entry='log in')]
        """
        if not self.rules:
            return []
        single, multi = self._keys()
        tokens = _match_tokens(query)
        found: dict[int, str] = {}
        for text, _, _ in tokens:
            for index, entry in single.get(text, ()):
                found.setdefault(index, entry)
        base = [token[0] for token in _base_tokens(tokens)]
        for position, text in enumerate(base):
            for keys, index, entry in multi.get(text, ()):
                if tuple(base[position:position + len(keys)]) == keys:
                    found.setdefault(index, entry)
        return [SynonymMatch(self.rules[index], found[index]) for index in sorted(found)]

    def expand(self, query: str, locale: str) -> dict[View, list[tuple[str, float]]]:
        """Return, per view searched in ``locale``, the synonym terms to add and their weight.

        Terms already in the query's own analysis are left out; each term appears once.
        """
        views = LOCALE_VIEWS.get(locale)
        if views is None:
            raise ValueError(f"unknown locale {locale!r}; use one of {', '.join(LOCALE_VIEWS)}")
        matches = self.matches(query)
        expansions: dict[View, list[tuple[str, float]]] = {view: [] for view in views}
        if not matches:
            return expansions
        targets: list[str] = []
        for match in matches:
            targets.extend(t for t in match.rule.targets if t != match.entry and t not in targets)
        for view in views:
            seen = {token.text for token in analyze(query, view)}
            for target in targets:
                for token in analyze(target, view):
                    if token.text not in seen:
                        seen.add(token.text)
                        expansions[view].append((token.text, self.weight))
        return expansions

    def _keys(self) -> tuple[dict[str, list[tuple[int, str]]],
                             dict[str, list[tuple[tuple[str, ...], int, str]]]]:
        """Entry keys, rebuilt when the Korean set-up changed (keys come from Kiwi)."""
        generation = korean_generation()
        if self._compiled is None or self._compiled[0] != generation:
            single: dict[str, list[tuple[int, str]]] = {}
            multi: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
            for index, rule in enumerate(self.rules):
                for entry in rule.entries:
                    whole, keys = _entry_keys(entry)
                    if whole is not None:
                        single.setdefault(whole, []).append((index, entry))
                    if len(keys) > 1:
                        multi.setdefault(keys[0], []).append((keys, index, entry))
            self._compiled = (generation, single, multi)
        return self._compiled[1], self._compiled[2]


def parse_synonyms(text: str, path: Path, *, weight: float = DEFAULT_WEIGHT
                   ) -> tuple[Synonyms, list[Problem]]:
    """Parse Solr-format synonym ``text``; return the rules and every problem, by line.

    Bad lines are skipped and reported; good lines are kept.

    >>> parse_synonyms("login, log in\\nsign in =>\\n", Path("synonyms.txt"))[1][0].line
    2
    """
    rules: list[SynonymRule] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        sides = line.split("=>")
        if len(sides) > 2:
            problems.append(Problem("error", path, number, "more than one '=>' on the line"))
            continue
        lists = [_entries(side) for side in sides]
        if any(entries is None for entries in lists):
            problems.append(Problem("error", path, number,
                                    "empty entry: remove the stray comma or write a word"))
            continue
        if len(lists) == 2 and (not lists[0] or not lists[1]):
            problems.append(Problem("error", path, number,
                                    "'=>' needs entries on both sides, e.g. '비번 => 비밀번호'"))
            continue
        entries = tuple(dict.fromkeys(lists[0] or ()))
        targets = tuple(dict.fromkeys(lists[-1] or ()))
        if len(lists) == 1 and len(entries) < 2:
            problems.append(Problem("error", path, number,
                                    "a group needs two or more entries separated by commas"))
            continue
        unsearchable = [e for e in dict.fromkeys((*entries, *targets))
                        if not any(analyze(e, view) for view in VIEWS)]
        for entry in unsearchable:
            problems.append(Problem("warning", path, number,
                                    f"{entry!r} has no searchable word (stop words only?)"))
        rules.append(SynonymRule(number, entries, targets))
    return Synonyms(rules, weight), problems


def load_synonyms(path: Path, *, strict: bool = False, weight: float = DEFAULT_WEIGHT
                  ) -> tuple[Synonyms, list[Problem]]:
    """Read and parse the synonym file at ``path``; a missing file gives no rules and a warning.

    Raises ``SynonymError`` if ``strict`` and the file has errors.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return Synonyms([], weight), [Problem("warning", Path(path), None,
                                              "synonym file not found; no synonyms are used")]
    synonyms, problems = parse_synonyms(text, Path(path), weight=weight)
    if strict and any(problem.level == "error" for problem in problems):
        raise SynonymError(problems)
    return synonyms, problems


def _entries(side: str) -> list[str] | None:
    """Split one side on commas; ``None`` when an entry is empty."""
    if not side.strip():
        return []
    entries = [normalize(entry) for entry in side.split(",")]
    return None if any(not entry for entry in entries) else entries


def _entry_keys(entry: str) -> tuple[str | None, tuple[str, ...]]:
    """Return the single term the whole entry analyses to (if any) and its base-token keys."""
    tokens = _match_tokens(entry)
    if not tokens:
        return None, ()
    # An entry whose word the analyser drops from its start (이중 결제 -> 이/MM 중/NNB 결제) would
    # be keyed on what is left (결제) and fire on every query containing it: leave it
    # unmatched. A dropped ending (신고하기 -> 신고) is fine.
    normalized = normalize_with_offsets(entry).text
    covered = {i for _, start, end in tokens for i in range(start, end)}
    for word in re.finditer(r"\S+", normalized):
        if "가" <= word.group()[0] <= "힣" and word.start() not in covered:
            return None, ()
    base = _base_tokens(tokens)
    whole = next((t[0] for t in tokens if t[1] == base[0][1] and t[2] == base[-1][2]), None)
    return whole, tuple(token[0] for token in base)


def _match_tokens(text: str) -> list[_Span]:
    """Terms to match entries on: Korean morphemes (with compounds), stemmed words, stops kept."""
    normalized = normalize_with_offsets(text).text
    tokens: list[_Span] = []
    runs = script_runs(normalized)
    for run in runs:
        if run.kind != "word":
            continue
        if any(char.isdigit() for char in run.text):
            tokens.append((run.text, run.start, run.end))
            continue
        offset = run.start
        for part in _WORD_SPLIT.split(run.text):
            if part and (term := stem(part, is_stop_kept=True)):
                tokens.append((term, offset, offset + len(part)))
            offset += len(part) + 1
    korean = korean_terms_normalized(normalized)
    if korean:
        tokens.extend(korean)
    else:
        tokens.extend(_fallback_korean(runs))
    tokens.sort(key=lambda token: (token[1], -token[2]))
    return tokens


def _fallback_korean(runs: Sequence) -> list[_Span]:
    spans: list[_Span] = []
    for run in runs:
        if run.kind != "hangul":
            continue
        word = strip_particle(run.text)
        spans.append((word, run.start, run.start + len(word)))
    return spans


def _base_tokens(tokens: Sequence[_Span]) -> list[_Span]:
    """Drop compounds: tokens whose span holds another, shorter token (비밀번호 over 비밀)."""
    return [
        token for token in tokens
        if not any(other is not token and token[1] <= other[1] and other[2] <= token[2]
                   and (other[1], other[2]) != (token[1], token[2]) for other in tokens)
    ]
