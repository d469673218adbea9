"""The similarity leg: scikit-learn TF-IDF (cosine) over the same analysed terms as BM25F.

It ranks queries as a second opinion (fused in ``search.ranking``), finds related articles,
articles for a block of text (a ticket being written) and near-duplicate articles for editors.
Document vectors are L2-normalised rows, kept transposed (terms × documents) so a short query
touches only its own terms.

scikit-learn fits the weights when a generation is written (``TfidfWeights.fit``), and they are
saved with it: a serving process only loads them and never imports scikit-learn, whose import
alone holds ~70 MB of every process (it loads much of SciPy), and a worker that reopens the
index after a refresh skips the fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from search.postings import (
    TermMatrix,
    load_arrays,
    load_csr,
    postings_of,
    save_arrays,
    save_csr,
)

STREAM_WEIGHTS = {"title.m": 2.0, "title.b": 1.0, "questions.m": 2.0, "questions.b": 1.0,
                  "keywords.m": 1.0, "keywords.b": 0.5, "body.m": 1.0, "body.b": 0.5}
"""How many times a term in each stream counts in the document vector (title and questions,
the strongest signals, count double)."""


@dataclass(frozen=True)
class TfidfWeights:
    """What scikit-learn's ``TfidfTransformer`` (sublinear tf) fitted on one generation: the
    L2-normalised vectors of the articles and of their phrasings, with each one's idf."""

    articles: sparse.csr_matrix
    """Documents × terms (``STREAM_WEIGHTS`` applied to the streams' counts)."""
    article_idf: np.ndarray
    phrases: sparse.csr_matrix | None = None
    """Phrasings × terms (title and each question alone), None if the matrix has none."""
    phrase_idf: np.ndarray | None = None

    @classmethod
    def fit(cls, matrix: TermMatrix) -> TfidfWeights:
        """Fit the weights of ``matrix`` with scikit-learn."""
        counts = None
        for name, tf in matrix.streams.items():
            part = tf * STREAM_WEIGHTS.get(name, 1.0)
            counts = part if counts is None else counts + part
        articles, article_idf = _fit(counts)
        if matrix.phrases is None:
            return cls(articles, article_idf)
        return cls(articles, article_idf, *_fit(matrix.phrases))

    def save(self, folder: Path) -> None:
        """Write the weights into a new ``folder`` (``search.postings.save_arrays``)."""
        arrays = {"article_idf": self.article_idf, **save_csr("articles", self.articles)}
        if self.phrases is not None:
            arrays.update(phrase_idf=self.phrase_idf, **save_csr("phrases", self.phrases))
        save_arrays(folder, arrays)

    @classmethod
    def load(cls, folder: Path) -> TfidfWeights:
        """Read a folder written by ``save`` (``search.postings.load_arrays``)."""
        arrays = load_arrays(folder)
        articles = load_csr(arrays, "articles", len(arrays["article_idf"]))
        if "phrase_idf" not in arrays:
            return cls(articles, arrays["article_idf"])
        phrase_idf = arrays["phrase_idf"]
        return cls(articles, arrays["article_idf"],
                   load_csr(arrays, "phrases", len(phrase_idf)), phrase_idf)


def _fit(counts: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    from sklearn.feature_extraction.text import TfidfTransformer

    transformer = TfidfTransformer(sublinear_tf=True)
    vectors = transformer.fit_transform(counts).astype(np.float32).tocsr()
    return vectors, transformer.idf_.astype(np.float32)


class SimilarityIndex:
    """TF-IDF document vectors for one generation."""

    def __init__(self, matrix: TermMatrix, weights: TfidfWeights) -> None:
        self.vocabulary = matrix.vocabulary
        # only the term-major copy is kept (a query reads terms); the document-major one cost
        # another 17 MB a process at 10,000 articles for ``related`` alone (``_rows``)
        self._by_term = weights.articles.T.tocsr()
        self._idf = weights.article_idf
        self.size = weights.articles.shape[0]

    def query_vector(self, terms: Iterable[tuple[str, float]]) -> dict[int, float]:
        """Return the L2-normalised TF-IDF vector of weighted query terms, as {term id: value}."""
        weights: dict[int, float] = {}
        for term, weight in terms:
            index = self.vocabulary.get(term)
            if index is not None:
                weights[index] = weights.get(index, 0.0) + weight
        vector = {i: (1 + np.log(w) if w >= 1 else w) * self._idf[i] for i, w in weights.items()}
        norm = float(np.sqrt(sum(v * v for v in vector.values()))) or 1.0
        return {i: v / norm for i, v in vector.items()}

    def score(self, terms: Iterable[tuple[str, float]]) -> np.ndarray:
        """Return the cosine of every document with the query terms."""
        matrix = self._by_term
        documents, values, _ = postings_of(matrix.indptr, matrix.indices, matrix.data,
                                           list(self.query_vector(terms).items()))
        return np.bincount(documents, weights=values, minlength=self.size).astype(np.float32)

    def share_positions(self, indptr: np.ndarray, indices: np.ndarray) -> None:
        """Use ``indptr`` and ``indices`` held elsewhere (the keyword leg's) when they equal
        this leg's: both legs index the same (term, document) pairs, and one copy is 9 MB a
        process at 10,000 articles."""
        matrix = self._by_term
        if (indices.dtype == matrix.indices.dtype and np.array_equal(matrix.indptr, indptr)
                and np.array_equal(matrix.indices, indices)):
            matrix.indptr, matrix.indices = indptr, indices

    def similar_to_row(self, row: int) -> np.ndarray:
        """Return the cosine of every document with document ``row`` (itself included)."""
        return np.asarray((self._by_term.T @ self._rows([row]).T).todense()).ravel()

    def _rows(self, rows: Sequence[int]) -> sparse.csr_matrix:
        """Return the TF-IDF vectors of the documents ``rows`` (documents × terms)."""
        return self._by_term[:, list(rows)].T.tocsr()

    def near_duplicates(self, rows: Sequence[int], threshold: float = 0.8
                        ) -> list[tuple[int, int, float]]:
        """Return pairs ``(row, row, cosine)`` among ``rows`` at or above ``threshold``."""
        subset = self._rows(rows)
        cosine = sparse.triu(subset @ subset.T, k=1).tocoo()
        keep = cosine.data >= threshold
        return sorted(((rows[i], rows[j], float(c)) for i, j, c in
                       zip(cosine.row[keep], cosine.col[keep], cosine.data[keep], strict=True)),
                      key=lambda pair: -pair[2])


class PhraseIndex:
    """TF-IDF over each phrasing alone (the title and every question of an article): a query
    scores an article by its best-matching phrasing, the way an FAQ is matched question to
    question rather than against the whole article."""

    def __init__(self, matrix: TermMatrix, weights: TfidfWeights) -> None:
        self.vocabulary = matrix.vocabulary
        self.size = matrix.size
        self.phrase_doc = matrix.phrase_doc
        self._by_term = weights.phrases.T.tocsr()
        self._idf = weights.phrase_idf

    def score(self, terms: Iterable[tuple[str, float]]) -> np.ndarray:
        """Return, per document, the best cosine of any of its phrasings with the query."""
        weights: dict[int, float] = {}
        for term, weight in terms:
            index = self.vocabulary.get(term)
            if index is not None and index < len(self._idf):
                weights[index] = weights.get(index, 0.0) + weight
        vector = {i: w * self._idf[i] for i, w in weights.items()}
        norm = float(np.sqrt(sum(v * v for v in vector.values()))) or 1.0
        matrix = self._by_term
        hit, values, _ = postings_of(matrix.indptr, matrix.indices, matrix.data,
                                     [(index, value / norm) for index, value in vector.items()])
        scores = np.zeros(self.size, dtype=np.float32)
        if hit.size:
            per_phrase = np.bincount(hit, weights=values, minlength=matrix.shape[1])
            # the phrasings the terms' postings reached (a phrasing twice is harmless to a
            # maximum): scanning all ~40,000 phrasings for the non-zero ones cost 4× more
            np.maximum.at(scores, self.phrase_doc[hit], per_phrase[hit].astype(np.float32))
        return scores


class CharacterIndex:
    """TF-IDF over character 2–4-grams (within words) of each article's title, questions and
    keywords: catches word forms the analysers do not join (refunded/refund, 환불받기)."""

    def __init__(self, texts: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4),
                                          sublinear_tf=True, dtype=np.float32)
        self._by_term = self.vectorizer.fit_transform(texts).T.tocsr()
        self.size = len(texts)

    def score(self, text: str) -> np.ndarray:
        """Return the cosine of every document's short fields with ``text``."""
        query = self.vectorizer.transform([text])
        scores = np.zeros(self.size, dtype=np.float32)
        indptr, indices, data = self._by_term.indptr, self._by_term.indices, self._by_term.data
        for index, value in zip(query.indices, query.data, strict=True):
            start, end = indptr[index], indptr[index + 1]
            scores[indices[start:end]] += value * data[start:end]
        return scores
