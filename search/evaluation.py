"""Retrieval quality: metrics, and loading the evaluation data sets.

Data sets use the ``shared/eval`` layout: ``kb.jsonl`` (id, title, body, category, lang),
``queries.<split>.jsonl`` (id, query, relevant ids, lang) and optionally ``kb_examples.jsonl``
(kb_id, text: known phrasings that become an entry's ``questions`` with ``--examples``).
A help-center query file has the same query rows with article slugs as ``relevant``.

Metrics treat relevance as binary; an empty ranking is a zero-result query. Queries with no
relevant entry (out-of-domain) are ranked and written to ``--rankings`` but left out of the
averages; ``mixed``-language queries are searched in the Korean help center.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from search.documents import SearchDocument


@dataclass(frozen=True)
class EvalQuery:
    """One query with the ids (or slugs) of the entries that answer it."""

    id: str
    query: str
    relevant: tuple[str, ...]
    lang: str


@dataclass(frozen=True)
class Report:
    """Averages over the queries of one run."""

    queries: int
    recall_at_1: float
    recall_at_5: float
    mrr_at_10: float
    ndcg_at_10: float
    zero_result_rate: float

    def as_dict(self) -> dict[str, float | int]:
        """Return the ``--json`` form: ``{"queries", "recall@1", ..., "zero_result_rate"}``."""
        return {"queries": self.queries, "recall@1": round(self.recall_at_1, 4),
                "recall@5": round(self.recall_at_5, 4), "mrr@10": round(self.mrr_at_10, 4),
                "ndcg@10": round(self.ndcg_at_10, 4),
                "zero_result_rate": round(self.zero_result_rate, 4)}


def recall_at(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Return 1.0 if any relevant id is among the first ``k`` ranked, else 0.0.

    >>> recall_at(["a", "b", "c"], {"c"}, 2)
    0.0
    """
    wanted = set(relevant)
    return 1.0 if any(item in wanted for item in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    """Return 1/rank of the first relevant id within the first ``k``, else 0.0.

    >>> reciprocal_rank(["a", "b", "c"], {"b", "c"})
    0.5
    """
    wanted = set(relevant)
    for rank, item in enumerate(ranked[:k], start=1):
        if item in wanted:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    """Return binary-relevance nDCG@k: DCG of the ranking over DCG of an ideal ranking.

    >>> round(ndcg_at(["x", "a"], {"a"}), 4)
    0.6309
    """
    wanted = set(relevant)
    if not wanted:
        return 0.0
    dcg = sum(1.0 / math.log2(rank + 1)
              for rank, item in enumerate(ranked[:k], start=1) if item in wanted)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(wanted), k) + 1))
    return dcg / ideal


def evaluate(runs: Iterable[tuple[Sequence[str], Iterable[str]]]) -> Report:
    """Average the metrics over ``(ranked ids, relevant ids)`` pairs."""
    totals = [0.0] * 5
    count = 0
    for ranked, relevant in runs:
        relevant = tuple(relevant)
        count += 1
        totals[0] += recall_at(ranked, relevant, 1)
        totals[1] += recall_at(ranked, relevant, 5)
        totals[2] += reciprocal_rank(ranked, relevant, 10)
        totals[3] += ndcg_at(ranked, relevant, 10)
        totals[4] += 0.0 if ranked else 1.0
    if not count:
        return Report(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    return Report(count, *(total / count for total in totals))


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def split_of(query_id: str) -> str:
    """Return "dev" or "test" by the ``shared/eval`` rule: sha1(id) % 100 < 60 is dev."""
    return "dev" if int(hashlib.sha1(query_id.encode()).hexdigest(), 16) % 100 < 60 else "test"


def load_queries(path: Path) -> list[EvalQuery]:
    """Read a query file (``id``, ``query``, ``relevant``, ``lang``)."""
    return [EvalQuery(str(row["id"]), row["query"], tuple(row.get("relevant", ())),
                      row.get("lang", "ko"))
            for row in _read_jsonl(Path(path))]


def load_dataset(folder: Path, *, split: str = "dev", examples: bool = False
                 ) -> tuple[list[SearchDocument], list[EvalQuery]]:
    """Read a ``shared/eval`` data set as search documents and the queries of ``split``.

    With ``examples``, the texts of ``kb_examples.jsonl`` become each entry's ``questions``.
    Raises ``FileNotFoundError`` naming the missing file.
    """
    folder = Path(folder)
    phrasings: dict[str, list[str]] = {}
    if examples:
        for row in _read_jsonl(folder / "kb_examples.jsonl"):
            phrasings.setdefault(row["kb_id"], []).append(row["text"])
    docs = [SearchDocument(slug=row["id"], locale=row.get("lang", "ko"),
                           category=str(row.get("category") or "all"), title=row["title"],
                           questions=tuple(phrasings.get(row["id"], ())),
                           text=row.get("body") or "")
            for row in _read_jsonl(folder / "kb.jsonl")]
    return docs, load_queries(folder / f"queries.{split}.jsonl")


def run_queries(docs: Sequence[SearchDocument], queries: Sequence[EvalQuery], data_dir: Path,
                *, settings=None, articles_dir: Path | None = None
                ) -> tuple[Report, list[list[str]]]:
    """Index ``docs`` under ``data_dir``, run every query and return the report and rankings.

    The synonyms and user dictionary of ``articles_dir`` apply only when it is given (the
    public data sets have none).
    """
    from search.engine import Engine

    engine = Engine.open(None, data_dir, articles_dir=articles_dir, settings=settings)
    engine.rebuild(docs)
    return rank_all(engine, queries)


def rank_all(engine, queries: Sequence[EvalQuery]) -> tuple[Report, list[list[str]]]:
    """Run every query through ``engine.rank`` (top 10 ids) and score the rankings."""
    from search.engine import MAX_QUERY_LENGTH

    # the engine refuses over-long queries; evaluation searches their first 200 characters
    ranked = [engine.rank(q.query[:MAX_QUERY_LENGTH], locale=search_locale(q.lang), limit=10)
              if q.query.strip() else [] for q in queries]
    answerable = [(r, q.relevant) for r, q in zip(ranked, queries, strict=True) if q.relevant]
    return evaluate(answerable), ranked


def search_locale(lang: str) -> str:
    """Return the help-center locale a query of ``lang`` is searched in (mixed → ko)."""
    return lang if lang in ("ko", "en") else "ko"
