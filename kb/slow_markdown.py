"""Markdown that Python-Markdown renders in quadratic time, refused before it is rendered.

Python-Markdown scans ahead from every ``[`` for its closing bracket and from every ``<`` for
the end of a tag, within one block (text between blank lines): a block of ``n`` unclosed or
nested brackets costs time in ``n²`` (``[`` × 4,000 took 3.5 s and × 16,000 a minute; upstream
``Python-Markdown/markdown #798``, ``#1619``). The 100 KB article cap alone does not bound that,
so lint counts these characters per block and refuses an article whose sum of squares exceeds
``MAX_BRACKET_WORK``: about one paragraph of 500 links, far beyond any real article, and a
render of a fraction of a second at the limit. Fenced code is not parsed inline and not counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BRACKET_WORK = 250_000
"""Largest sum, over blocks, of (number of ``[``)² + (number of ``<``)²."""
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_UNESCAPED = {"[": re.compile(r"(?<!\\)\["), "<": re.compile(r"(?<!\\)<")}


@dataclass(frozen=True)
class SlowBlock:
    """The block that contributes most to a refused article's work, for the lint message."""

    line: int
    """1-based line of the block within the body."""
    character: str
    count: int
    work: int


def find_slow_markdown(body: str) -> SlowBlock | None:
    """The worst block of ``body`` if the whole body is over ``MAX_BRACKET_WORK``, else ``None``.

    >>> find_slow_markdown("[" * 600) is not None
    True
    """
    total, worst = 0, None
    for line, block in _blocks(body):
        for character, pattern in _UNESCAPED.items():
            count = len(pattern.findall(block))
            total += count * count
            if worst is None or count > worst.count:
                worst = SlowBlock(line, character, count, 0)
    if total <= MAX_BRACKET_WORK or worst is None:
        return None
    return SlowBlock(worst.line, worst.character, worst.count, total)


def _blocks(body: str) -> list[tuple[int, str]]:
    """``(first line, text)`` of each block between blank lines, outside fenced code."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start, fence = 1, None
    for number, text in enumerate(body.splitlines(), start=1):
        opening = _FENCE.match(text)
        if fence is not None:
            if opening and opening.group(1)[0] == fence:
                fence = None
            continue
        if opening:
            fence = opening.group(1)[0]
        if fence is not None or not text.strip():
            if current:
                blocks.append((start, "\n".join(current)))
            current = []
            continue
        if not current:
            start = number
        current.append(text)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks
