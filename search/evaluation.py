"""Retrieval quality: metrics, and loading the evaluation data sets.

Data sets use the ``shared/eval`` layout: ``kb.jsonl`` (id, title, body, category, lang),
``queries.<split>.jsonl`` (id, query, relevant ids, lang) and optionally ``kb_examples.jsonl``
(kb_id, text: known phrasings that become an entry's ``questions`` with ``--examples``).
A help-center query file has the same query rows with article slugs as ``relevant``.

Metrics treat relevance as binary; an empty ranking is a zero-result query. Queries with no
relevant entry (out-of-domain) are ranked and written to ``--rankings`` but left out of the
averages; ``mixed``-language queries are searched in the Korean help center.

With ``--unanswerable`` every query also runs with its relevant entries left out of the index:
how well the engine's confidence tells the two apart is the AUROC, and the share of each kind
flagged low-confidence is what a customer would see (``unanswerable_report``).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.confidence import Judgement
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
    return rank_all(build_engine(docs, data_dir, settings=settings, articles_dir=articles_dir),
                    queries)


def build_engine(docs: Sequence[SearchDocument], data_dir: Path, *, settings=None,
                 articles_dir: Path | None = None):
    """Return an ``Engine`` over a new index of ``docs`` under ``data_dir``, with the synonyms
    and user dictionary of ``articles_dir`` when given."""
    from search.engine import Engine

    engine = Engine.open(None, data_dir, articles_dir=articles_dir, settings=settings)
    engine.rebuild(docs)
    return engine


def rank_all(engine, queries: Sequence[EvalQuery]) -> tuple[Report, list[list[str]]]:
    """Run every query through ``engine.rank`` (top 10 ids) and score the rankings."""
    from search.engine import MAX_QUERY_LENGTH

    # the engine refuses over-long queries; evaluation searches their first 200 characters
    ranked = [engine.rank(q.query[:MAX_QUERY_LENGTH], locale=search_locale(q.lang), limit=10)
              if q.query.strip() else [] for q in queries]
    answerable = [(r, q.relevant) for r, q in zip(ranked, queries, strict=True) if q.relevant]
    return evaluate(answerable), ranked


@dataclass(frozen=True)
class Judged:
    """One query's judgement as is, and with its relevant entries removed (None for a query
    without any: it is out of the help center's domain already)."""

    query: EvalQuery
    as_is: Judgement
    removed: Judgement | None


def judge_all(engine, queries: Sequence[EvalQuery], *, unanswerable: bool = True
              ) -> list[Judged]:
    """Run every query through ``engine.judge``, and again without its relevant entries."""
    from search.engine import MAX_QUERY_LENGTH

    judged = []
    for q in queries:
        if not q.query.strip():
            continue
        text, locale = q.query[:MAX_QUERY_LENGTH], search_locale(q.lang)
        removed = (engine.judge(text, locale=locale, exclude=q.relevant)
                   if unanswerable and q.relevant else None)
        judged.append(Judged(q, engine.judge(text, locale=locale), removed))
    return judged


def auroc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Return the probability that a random positive scores above a random negative (ties
    count half): the area under the ROC curve. 0.5 when either side is empty.

    >>> auroc([0.9, 0.8], [0.1, 0.8])
    0.875
    """
    if not positives or not negatives:
        return 0.5
    scores = np.concatenate([np.asarray(positives, float), np.asarray(negatives, float)])
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    start = 0
    while start < len(scores):  # average ranks over ties
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    n_pos, n_neg = len(positives), len(negatives)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def unanswerable_report(judged: Sequence[Judged], threshold: float) -> dict[str, float | int]:
    """Return ``auroc``, ``flagged_answerable`` and ``flagged_unanswerable`` (shares of each
    kind whose confidence is below ``threshold``); out-of-domain queries (no relevant entry)
    count as unanswerable and are also reported alone."""
    answerable = [j.as_is.confidence for j in judged if j.query.relevant]
    removed = [j.removed.confidence for j in judged if j.removed is not None]
    outside = [j.as_is.confidence for j in judged if not j.query.relevant]
    unanswerable = removed + outside

    def flagged(values: Sequence[float]) -> float:
        return round(sum(v < threshold for v in values) / len(values), 4) if values else 0.0

    report: dict[str, float | int] = {
        "auroc": round(auroc(answerable, unanswerable), 4),
        "flagged_answerable": flagged(answerable),
        "flagged_unanswerable": flagged(unanswerable), "unanswerable": len(unanswerable)}
    if outside:
        report.update(out_of_domain=len(outside), flagged_out_of_domain=flagged(outside),
                      auroc_out_of_domain=round(auroc(answerable, outside), 4))
    return report


def search_locale(lang: str) -> str:
    """Return the help-center locale a query of ``lang`` is searched in (mixed → ko)."""
    return lang if lang in ("ko", "en") else "ko"


@dataclass(frozen=True)
class Ticket:
    """A ticket-like text (two or three sentences) and the slugs of the articles answering it."""

    id: str
    text: str
    relevant: tuple[str, ...]
    lang: str
    split: str


def load_tickets(path: Path) -> list[Ticket]:
    """Read a ticket file: JSON lines of ``id``, ``text``, ``relevant`` (slugs), ``lang``
    (ko or en) and ``split`` (dev or test). Raises ``ValueError`` naming the file and line of
    the first row that is not one."""
    tickets = []
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{where}: not a JSON object ({error.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{where}: not a JSON object")
            missing = [name for name in ("id", "text", "relevant", "lang", "split")
                       if not row.get(name)]
            if missing:
                raise ValueError(f"{where}: missing or empty {', '.join(missing)}")
            if row["lang"] not in ("ko", "en") or row["split"] not in ("dev", "test"):
                raise ValueError(f"{where}: lang must be ko or en and split dev or test, "
                                 f"not {row['lang']!r} and {row['split']!r}")
            relevant = row["relevant"]
            if isinstance(relevant, str) or not all(isinstance(s, str) for s in relevant):
                raise ValueError(f"{where}: relevant must be a list of article slugs")
            tickets.append(Ticket(str(row["id"]), row["text"], tuple(relevant), row["lang"],
                                  row["split"]))
    return tickets


def rank_tickets(engine, tickets: Sequence[Ticket]) -> tuple[dict[str, float | int],
                                                             list[list[str]]]:
    """Run every ticket through ``engine.similar_to_text`` (top 10) and return R@1, R@3 and
    MRR@10 with the rankings."""
    ranked = [[hit.slug for hit in engine.similar_to_text(t.text, locale=t.lang, limit=10)]
              for t in tickets]
    count = len(tickets) or 1
    pairs = list(zip(ranked, (t.relevant for t in tickets), strict=True))
    return ({"tickets": len(tickets),
             "recall@1": round(sum(recall_at(r, rel, 1) for r, rel in pairs) / count, 4),
             "recall@3": round(sum(recall_at(r, rel, 3) for r, rel in pairs) / count, 4),
             "mrr@10": round(sum(reciprocal_rank(r, rel) for r, rel in pairs) / count, 4)},
            ranked)
