"""Symmetric-deletion hashes (SymSpell) for the keystroke layer's typo search: every known
key with up to two keystrokes after the first deleted, hashed into one sorted numpy table,
and the same hashes of a query word, so the table's matches are its candidates
(``search.keystroke.KeystrokeIndex``; each candidate's distance is then measured).

Polynomial hashes modulo 2**64 over code points, of which the top 32 bits are kept (4.7 MB
less a process at 10,000 articles): a collision only adds a candidate.
"""

from __future__ import annotations

import numpy as np

MAX_KEY = 24
"""Longer keys (rare long compounds) are left out of the table."""
_BASE = 1_000_003
_MASK = (1 << 64) - 1


def deletion_table(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hash every key with up to ``allowed`` keystrokes (after the first) deleted, vectorised.

    Polynomial hashes modulo 2**64 over code points: h(s) = sum(s[k] * B**(len-1-k)).
    Keys under 3 keystrokes get no entries (no typos allowed); under 6 only single deletions
    (a word of 8+ keystrokes, the only kind allowed 2 typos, cannot be 2 edits from them).
    """
    numbers = [n for n, key in enumerate(keys) if 3 <= len(key) <= MAX_KEY]
    if not numbers:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int32)
    lengths = np.array([len(keys[n]) for n in numbers], dtype=np.int64)
    width = int(lengths.max())
    flat = np.frombuffer("".join(keys[n] for n in numbers).encode("utf-32-le"), dtype=np.uint32)
    codes = np.zeros((len(numbers), width), dtype=np.uint64)
    codes[np.arange(width) < lengths[:, None]] = flat  # row-major order is the join's order
    base = np.uint64(_BASE)
    powers = np.array([pow(_BASE, k, 1 << 64) for k in range(width + 1)], dtype=np.uint64)
    prefix = np.zeros((len(numbers), width + 1), dtype=np.uint64)
    for k in range(width):
        prefix[:, k + 1] = prefix[:, k] * base + codes[:, k]
    rows = np.arange(len(numbers))
    whole = prefix[rows, lengths]
    ids = np.array(numbers, dtype=np.int32)
    hashes, owners = [whole], [ids]

    def segment(a: np.ndarray, b: int | np.ndarray, sel: np.ndarray) -> np.ndarray:
        """Hash of key[a:b] for the selected rows."""
        return prefix[sel, b] - prefix[sel, a] * powers[b - a]

    for i in range(1, width):
        sel = rows[lengths > i]
        n = lengths[sel]
        hashes.append(prefix[sel, i] * powers[n - i - 1] + segment(i + 1, n, sel))
        owners.append(ids[sel])
        for j in range(i + 1, width):
            sel2 = rows[(lengths > j) & (lengths >= 6)]
            n2 = lengths[sel2]
            hashes.append(prefix[sel2, i] * powers[n2 - i - 2]
                          + segment(i + 1, j, sel2) * powers[n2 - j - 1]
                          + segment(j + 1, n2, sel2))
            owners.append(ids[sel2])
    all_hashes = (np.concatenate(hashes) >> np.uint64(32)).astype(np.uint32)  # the top 32 bits
    all_ids = np.concatenate(owners)
    order = np.argsort(all_hashes)
    return all_hashes[order], all_ids[order]


def deletion_hashes(key: str, allowed: int) -> np.ndarray:
    """Return the same hashes as ``deletion_table`` for one query key (uint32, not sorted)."""
    head, tail = key[0], key[1:]
    variants = {tail}
    frontier = {tail}
    for _ in range(allowed):
        frontier = {s[:i] + s[i + 1:] for s in frontier for i in range(len(s))}
        variants |= frontier
    return np.fromiter((_hash(head + variant) >> 32 for variant in variants), dtype=np.uint32)


def _hash(text: str) -> int:
    value = 0
    for char in text:
        value = (value * _BASE + ord(char)) & _MASK
    return value
