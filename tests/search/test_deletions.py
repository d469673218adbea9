"""The symmetric-deletion hashes behind the keystroke layer's typo search
(``search.deletions``)."""

from __future__ import annotations

import numpy as np

from search.deletions import deletion_hashes, deletion_table


def _owners(table, hashes) -> set[int]:
    """The keys whose table hashes ``hashes`` meet (what ``KeystrokeIndex`` looks up)."""
    sorted_hashes, ids = table
    left = np.searchsorted(sorted_hashes, hashes, side="left")
    right = np.searchsorted(sorted_hashes, hashes, side="right")
    return {int(ids[i]) for lo, hi in zip(left, right, strict=True) for i in range(lo, hi)}


def test_a_word_one_or_two_keystrokes_off_meets_its_key_in_the_table():
    table = deletion_table(["password", "refund", "ab"])
    assert np.all(np.diff(table[0].astype(np.int64)) >= 0)  # sorted for bisection
    assert 0 in _owners(table, deletion_hashes("pasword", 1))  # one deleted
    assert 0 in _owners(table, deletion_hashes("paswrd", 2))  # two deleted
    assert 1 in _owners(table, deletion_hashes("refnd", 1))


def test_short_keys_have_no_entries_and_the_first_keystroke_must_match():
    table = deletion_table(["ab", "password"])
    assert set(table[1].tolist()) == {1}  # "ab": under 3 keystrokes, no typos allowed
    assert 1 not in _owners(table, deletion_hashes("assword", 1))
    assert deletion_table([])[0].size == 0
