"""Grouping queries by meaning: the content gaps of the insights.

Queries are embedded with the meaning leg's multilingual sentence vectors
(``search.meaning``), so 학생 할인, 대학생 할인 받을 수 있나요 and "student discount" meet. One
pass in the order given (callers put the most searched first): a query joins the group whose
mean vector is nearest if the cosine reaches ``SIMILAR``, else starts a group. The first query
of a group names it. Without the encoder, each query is a group of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from search import meaning

SIMILAR = 0.62
"""Cosine to a group's mean vector from which a query joins it. Chosen on help-center pairs:
same questions in other words or languages scored 0.68-0.88 (학생 할인 / student discount
0.88, 비밀번호 잊어버림 / forgot password 0.70), neighbouring topics up to 0.58 (환불 기간 /
결제 수단 변경)."""


def cluster_queries(texts: Sequence[str], *, similar: float = SIMILAR) -> list[list[int]]:
    """Group ``texts`` by meaning; return the groups as lists of indices into ``texts``, each
    in the given order, the groups ordered by their first member.

    >>> cluster_queries(["학생 할인", "환불 기간", "student discount"])
    [[0, 2], [1]]
    """
    if not texts:
        return []
    if not meaning.is_available():
        return [[index] for index in range(len(texts))]
    vectors = np.asarray(meaning.encode(list(texts)), dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    groups: list[list[int]] = []
    sums = np.zeros((0, vectors.shape[1]))
    for index, vector in enumerate(vectors):
        if groups:
            centres = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
            scores = centres @ vector
            best = int(np.argmax(scores))
            if scores[best] >= similar:
                groups[best].append(index)
                sums[best] += vector
                continue
        groups.append([index])
        sums = np.vstack([sums, vector])
    return groups
