"""Fit the confidence model (``search/confidence.py``) and tune the tail cut
(``search/ranking.py`` ``Tail``) on the dev splits. Needs scikit-learn (installed with the
package); serving never imports it.

    python scripts/fit_confidence.py collect ../shared/eval   # runs every dev query, ~10 min
    python scripts/fit_confidence.py fit                      # prints coefficients, threshold
    python scripts/fit_confidence.py tail                     # prints the tail-cut grid

``collect`` indexes each data set once with the tail cut off and stores, per dev query, the
confidence signals as is and with its relevant entries removed, and the top results' fused
scores and term coverage, under ``--out`` (default /tmp/conf-fit). Data sets: parakqc,
stackfaq, banking77 with its examples, and the help center (tests/data/helpcenter-queries.jsonl
plus the out-of-domain questions of tests/data/helpcenter-unanswerable.jsonl); banking77 with
titles only for the tail cut alone.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from search import confidence  # noqa: E402
from search.evaluation import (  # noqa: E402
    auroc,
    build_engine,
    judge_all,
    load_dataset,
    load_queries,
    split_of,
)
from search.ranking import Tail  # noqa: E402

SETS = ("parakqc", "stackfaq", "banking77-examples", "helpcenter")
"""The sets the model is fitted on (and the tail tuned on)."""
TAIL_ONLY = ("banking77",)
"""Titles only: every dev split must keep its R@5 under the tail cut, but its answers are too
often not first for its queries to set the flag."""
HELPCENTER_LIMIT = 100
"""Ranked results kept per help-center query: more than its 34 articles per locale."""


def _load(name: str, eval_dir: Path, split: str):
    if name == "helpcenter":
        from kb import KnowledgeBase
        from search.documents import SearchDocument

        folder = REPOSITORY / "articles"
        docs = [SearchDocument.from_article(a) for a in KnowledgeBase.load(folder)]
        queries = [q for file in ("helpcenter-queries.jsonl", "helpcenter-unanswerable.jsonl")
                   for q in load_queries(REPOSITORY / "tests" / "data" / file)
                   if split_of(q.id) == split]
        return docs, queries, folder
    folder = eval_dir / name.removesuffix("-examples")
    docs, queries = load_dataset(folder, split=split, examples=name.endswith("-examples"))
    return docs, queries, None


def collect(eval_dir: Path, out: Path, split: str, names: list[str]) -> None:
    """Run every query of ``split`` with the tail cut off and store what fit and tail read."""
    from search.settings import Settings

    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        docs, queries, articles = _load(name, eval_dir, split)
        with tempfile.TemporaryDirectory(prefix="deflect-fit-") as scratch:
            engine = build_engine(docs, Path(scratch), settings=Settings(tail=Tail()),
                                 articles_dir=articles)
            limit = HELPCENTER_LIMIT if name == "helpcenter" else 10
            rows = []
            for judged in judge_all(engine, queries):
                q = judged.query
                full = (engine.judge(q.query[:200], locale=_locale(q.lang), limit=limit)
                        if limit > 10 else judged.as_is)
                rows.append({
                    "id": q.id, "relevant": q.relevant,
                    "signals": judged.as_is.signals.vector(),
                    "removed": judged.removed.signals.vector() if judged.removed else None,
                    "ranked": full.ranked, "scores": full.scores, "coverage": full.coverage})
        with open(out / f"{name}.{split}.pkl", "wb") as file:
            pickle.dump(rows, file)
        print(f"{name}: {len(rows)} queries", flush=True)


def _locale(lang: str) -> str:
    return lang if lang in ("ko", "en") else "ko"


def _examples(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (signals, label, kind): label 1 when the top result is relevant; kind 1 for an
    answerable query as is, 0 for one removed or out of domain."""
    x, y, kind = [], [], []
    for row in rows:
        relevant = set(row["relevant"])
        x.append(row["signals"])
        y.append(1 if row["ranked"][:1] and row["ranked"][0] in relevant else 0)
        kind.append(1 if relevant else 0)
        if row["removed"] is not None:
            x.append(row["removed"])
            y.append(0)
            kind.append(0)
    return np.array(x), np.array(y), np.array(kind)


def fit(out: Path, split: str, c: float, flag_rate: float) -> None:
    """Fit the logistic regression on every set (each weighing the same) and pick the
    threshold; print what ``search/confidence.py`` stores."""
    from sklearn.linear_model import LogisticRegression

    data = {name: _examples(pickle.load(open(out / f"{name}.{split}.pkl", "rb")))
            for name in SETS}
    xs = np.vstack([d[0] for d in data.values()])
    ys = np.concatenate([d[1] for d in data.values()])
    weights = np.concatenate([np.full(len(d[1]), 1.0 / len(d[1])) for d in data.values()])
    model = LogisticRegression(C=c, max_iter=1000)
    model.fit(xs, ys, sample_weight=weights * len(ys))
    coefficients = dict(zip(confidence.FEATURES, model.coef_[0].round(4).tolist(), strict=True))
    intercept = round(float(model.intercept_[0]), 4)
    print("COEFFICIENTS =", coefficients)
    print("INTERCEPT =", intercept)
    scored = {}
    for name, (x, _, kind) in data.items():
        p = np.array([confidence.estimate(confidence.Signals(*row), coefficients, intercept)
                      for row in x])
        scored[name] = (p[kind == 1], p[kind == 0])
    # the highest threshold flagging at most flag_rate of any set's answerable queries
    threshold = min(float(np.quantile(pos, flag_rate)) for pos, _ in scored.values())
    threshold = float(np.floor(threshold * 1000) / 1000)
    print("THRESHOLD =", threshold)
    for name, (pos, neg) in scored.items():
        print(f"  {name:20} auroc {auroc(pos.tolist(), neg.tolist()):.4f}  flagged answerable "
              f"{np.mean(pos < threshold):.3f}  unanswerable {np.mean(neg < threshold):.3f}")


def tail(out: Path, split: str) -> None:
    """Print R@1, R@5, MRR@10 per set and the help center's mean results per query for a grid
    of tail cuts (a cut only removes results, so the stored rankings are enough)."""
    grid = [Tail(r, cov) for r in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)
            for cov in (0.0, 0.1, 0.2, 0.3, 0.4)]
    sets = {name: pickle.load(open(out / f"{name}.{split}.pkl", "rb"))
            for name in (*SETS, *TAIL_ONLY)}
    for cut in grid:
        line = [f"relative {cut.relative:.1f} coverage {cut.coverage:.1f}:"]
        for name, rows in sets.items():
            r5 = mrr = r1 = 0.0
            counts = []
            answerable = [row for row in rows if row["relevant"]]
            for row in rows:
                kept = _survivors(row, cut)
                counts.append(len(kept))
                if not row["relevant"]:
                    continue
                relevant = set(row["relevant"])
                r1 += bool(kept[:1]) and kept[0] in relevant
                r5 += any(k in relevant for k in kept[:5])
                mrr += next((1 / i for i, k in enumerate(kept[:10], 1) if k in relevant), 0.0)
            n = len(answerable)
            line.append(f"{name} {r1 / n:.4f}/{r5 / n:.4f}/{mrr / n:.4f}")
            if name == "helpcenter":
                line.append(f"mean results {np.mean(counts):.1f}")
        print("  ".join(line))


def _survivors(row: dict, cut: Tail) -> list[str]:
    scores, coverage = row["scores"], row["coverage"]
    if not scores:
        return []
    top = scores[0]
    return [slug for i, (slug, s, cov) in enumerate(zip(row["ranked"], scores, coverage,
                                                         strict=True))
            if i == 0 or (s >= cut.relative * top and cov >= cut.coverage)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["collect", "fit", "tail"])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/conf-fit"))
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--sets", nargs="*", default=[*SETS, *TAIL_ONLY])
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation")
    parser.add_argument("--flag-rate", type=float, default=0.04,
                        help="most answerable queries of any set the threshold may flag")
    args = parser.parse_args()
    if args.step == "collect":
        collect(args.eval_dir, args.out, args.split, args.sets)
    elif args.step == "fit":
        fit(args.out, args.split, args.c, args.flag_rate)
    else:
        tail(args.out, args.split)


if __name__ == "__main__":
    main()
