"""The analysed corpus as sparse matrices, and BM25F scored over them.

Whoosh stays the index of record (``search.index``); this is the hot path. Each stream
(``title.m``, ``body.b``, ...) is a documents × vocabulary CSR matrix of term frequencies, saved
next to the Whoosh index in the same generation. ``KeywordScorer`` folds the streams into one
terms × documents matrix of BM25F contributions, so a query only touches its own terms' rows:

    tf~(d, t) = sum_s w_s * tf_s(d, t) / (1 - b_s + b_s * len_s(d) / avglen_s)
    score(d)  = sum_t q_t * idf(t) * tf~ * (k1 + 1) / (k1 + tf~)
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from search.documents import MEANING, PHRASES, STREAMS


@dataclass
class TermMatrix:
    """Term frequencies per stream over one vocabulary (terms are prefixed with their space)."""

    vocabulary: dict[str, int]
    streams: dict[str, sparse.csr_matrix]
    phrases: sparse.csr_matrix | None = None
    """One row per phrasing (title, each question) over the same vocabulary."""
    phrase_doc: np.ndarray | None = None
    """The document row of each phrase row."""
    doc_vectors: np.ndarray | None = None
    """One sentence vector per document (``search.meaning``), float16; None without the
    encoder."""

    @property
    def size(self) -> int:
        return next(iter(self.streams.values())).shape[0]

    @classmethod
    def from_analysed(cls, analysed: Iterable[Mapping[str, Mapping[str, int]]],
                      vocabulary: dict[str, int] | None = None) -> TermMatrix:
        """Build the matrices from analysed documents (``analyse_document`` term counts)."""
        builder = MatrixBuilder(vocabulary)
        for streams in analysed:
            builder.add(streams)
        return builder.finish()

    def with_rows(self, replace: Mapping[int, Mapping[str, Mapping[str, int]]],
                  append: Sequence[Mapping[str, Mapping[str, int]]] = ()) -> TermMatrix:
        """Return a copy with some documents' rows replaced and new documents appended."""
        fresh = TermMatrix.from_analysed([*replace.values(), *append], self.vocabulary)
        width = len(fresh.vocabulary)
        streams = {}
        order = list(replace)
        for name, matrix in self.streams.items():
            new = fresh.streams[name]
            pieces, start = [], 0
            for position, row in sorted(enumerate(order), key=lambda pair: pair[1]):
                pieces += [matrix[start:row], new[position:position + 1]]
                start = row + 1
            pieces += [matrix[start:], new[len(order):]]
            streams[name] = sparse.vstack([_widen(p, width) for p in pieces], format="csr")
        phrases, phrase_doc = self.phrases, self.phrase_doc
        if phrases is not None:
            keep = ~np.isin(phrase_doc, order)
            row_of = {i: row for i, row in enumerate(order)}
            new_doc = np.array([row_of.get(int(d), self.size + int(d) - len(order))
                                for d in fresh.phrase_doc], dtype=np.int32)
            phrases = sparse.vstack([_widen(phrases[keep], width), fresh.phrases], format="csr")
            phrase_doc = np.concatenate([phrase_doc[keep], new_doc]).astype(np.int32)
        doc_vectors = self.doc_vectors
        if doc_vectors is not None and fresh.doc_vectors is not None:
            doc_vectors = doc_vectors.copy()
            doc_vectors[order] = fresh.doc_vectors[:len(order)]
            doc_vectors = np.concatenate([doc_vectors, fresh.doc_vectors[len(order):]])
        else:
            doc_vectors = None
        return TermMatrix(fresh.vocabulary, streams, phrases, phrase_doc, doc_vectors)

    def arrays(self) -> dict[str, np.ndarray]:
        """Return the arrays ``save`` writes: the vocabulary in id order and each matrix's."""
        arrays = {"vocabulary": np.array(sorted(self.vocabulary, key=self.vocabulary.get))}
        named = dict(self.streams)
        if self.phrases is not None:
            named[PHRASES] = self.phrases
            arrays["phrase_doc"] = self.phrase_doc
        if self.doc_vectors is not None:
            arrays["doc_vectors"] = self.doc_vectors
        for name, matrix in named.items():
            arrays.update(save_csr(name, matrix))
        return arrays

    def save(self, folder: Path) -> None:
        """Write the matrices and vocabulary into a new ``folder`` (``save_arrays``)."""
        save_arrays(folder, self.arrays())

    @classmethod
    def load(cls, folder: Path) -> TermMatrix:
        """Read a folder written by ``save`` (``load_arrays``)."""
        arrays = load_arrays(folder)
        terms = arrays["vocabulary"].tolist()
        vocabulary = {term: i for i, term in enumerate(terms)}
        streams = {name: load_csr(arrays, name, len(vocabulary)) for name in STREAMS}
        phrases = phrase_doc = None
        if "phrase_doc" in arrays:
            phrases = load_csr(arrays, PHRASES, len(vocabulary))
            phrase_doc = arrays["phrase_doc"]
        doc_vectors = arrays.get("doc_vectors")
        return cls(vocabulary, streams, phrases, phrase_doc, doc_vectors)

    def counts(self, streams: Iterable[str] | None = None) -> sparse.csr_matrix:
        """Return the documents × terms sum of the chosen streams' term frequencies."""
        names = list(streams or self.streams)
        total = self.streams[names[0]].copy()
        for name in names[1:]:
            total = total + self.streams[name]
        return total.tocsr()


class MatrixBuilder:
    """Accumulate documents' term counts one at a time into compact arrays (a 10,000-article
    build never holds every document's analysis at once)."""

    def __init__(self, vocabulary: dict[str, int] | None = None) -> None:
        self.vocabulary = dict(vocabulary or {})
        self._rows = {name: (array("i"), array("f"), array("q", [0]))
                      for name in (*STREAMS, PHRASES)}
        self._phrase_doc = array("i")
        self._vectors: list[np.ndarray] = []
        self.size = 0

    def add(self, streams: Mapping[str, Mapping[str, int]]) -> None:
        """Append one document's row to every stream."""
        for name in STREAMS:
            cols, data, indptr = self._rows[name]
            self._append_counts(cols, data, streams.get(name, {}), prefix=name[-1] + ":")
            indptr.append(len(cols))
        cols, data, indptr = self._rows[PHRASES]
        for phrase in streams.get(PHRASES, ()):
            self._append_counts(cols, data, phrase)
            indptr.append(len(cols))
            self._phrase_doc.append(self.size)
        if MEANING in streams:
            self._vectors.append(streams[MEANING])
        self.size += 1

    def _append_counts(self, cols: array, data: array, counts: Mapping[str, int], *,
                       prefix: str = "") -> None:
        """Append one row's (column, count) pairs, giving unseen terms the next column."""
        vocabulary = self.vocabulary
        for term, count in counts.items():
            key = prefix + term
            index = vocabulary.get(key)
            if index is None:
                index = vocabulary[key] = len(vocabulary)
            cols.append(index)
            data.append(count)

    def finish(self) -> TermMatrix:
        """Return the ``TermMatrix`` of every document added."""
        width = len(self.vocabulary)
        matrices = {name: sparse.csr_matrix((np.frombuffer(data, dtype=np.float32),
                                             np.frombuffer(cols, dtype=np.int32),
                                             np.frombuffer(indptr, dtype=np.int64)),
                                            shape=(len(indptr) - 1, width))
                    for name, (cols, data, indptr) in self._rows.items()}
        phrases = matrices.pop(PHRASES)
        doc_vectors = (np.vstack(self._vectors).astype(np.float16)
                       if self._vectors and len(self._vectors) == self.size else None)
        return TermMatrix(self.vocabulary, matrices, phrases,
                          np.frombuffer(self._phrase_doc, dtype=np.int32).copy(), doc_vectors)


def save_arrays(folder: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write each array to ``folder/<name>.npy`` (``folder`` must not exist yet).

    Not one ``.npz``: zip's CRC took half of ``np.savez``'s time and as much again when the
    file was read, and a one-article refresh at 10,000 articles writes and reads ~57 MB
    (its terms alone, in 6 timings: read 35–49 → 12–20 ms, written 37–110 → 15–58 ms).
    """
    folder.mkdir()
    for name, values in arrays.items():
        np.save(folder / f"{name}.npy", values, allow_pickle=False)


def load_arrays(folder: Path) -> dict[str, np.ndarray]:
    """Return the arrays of a ``save_arrays`` folder by name. Generations written before
    held them in one ``<folder>.npz`` file beside it, read when the folder is absent (such an
    index opens without a rebuild)."""
    if not folder.is_dir():
        with np.load(folder.parent / f"{folder.name}.npz", allow_pickle=False) as arrays:
            return {name: arrays[name] for name in arrays.files}
    return {file.stem: np.load(file, allow_pickle=False) for file in folder.glob("*.npy")}


def save_csr(name: str, matrix: sparse.csr_matrix) -> dict[str, np.ndarray]:
    """Return the arrays of a CSR matrix, named for ``save_arrays`` (``load_csr`` reads
    them)."""
    return {f"{name}:data": matrix.data, f"{name}:indices": matrix.indices,
            f"{name}:indptr": matrix.indptr}


def load_csr(arrays: Mapping[str, np.ndarray], name: str, width: int) -> sparse.csr_matrix:
    """Return the CSR matrix ``name`` of ``load_arrays``' arrays, ``width`` columns wide."""
    indptr = arrays[f"{name}:indptr"]
    return sparse.csr_matrix((arrays[f"{name}:data"], arrays[f"{name}:indices"], indptr),
                             shape=(len(indptr) - 1, width))


def _widen(matrix: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    if matrix.shape[1] == width:
        return matrix
    return sparse.csr_matrix((matrix.data, matrix.indices, matrix.indptr),
                             shape=(matrix.shape[0], width))


@dataclass(frozen=True)
class BM25FParams:
    """Stream weights, per-stream length normalisation and saturation of the keyword leg.

    Tuned by coordinate ascent on the mean dev MRR@10 of parakqc, stackfaq, banking77 with and
    without examples (start: the design's title 3 / questions 3 / keywords 2 / body 1, k1 1.2,
    coordination power 1, mean 0.800): coordination off +0.056 on stackfaq alone (0.814 →
    0.870; a matched-terms multiplier over-rewards short titles), title.m 5 → 0.8012,
    questions.m 0.5 → 0.8054 (banking's ~130 phrasings per entry make one long field; the
    phrase leg now matches them one by one), body.m 0.5 → 0.8124 (stackfaq 0.838 → 0.866),
    k1 1.6. Other streams, b values and the bigram multiplier did not move the mean by 0.0005.
    """

    k1: float = 1.6
    weights: Mapping[str, float] = field(default_factory=lambda: {
        "title.m": 5.0, "title.b": 1.5, "questions.m": 0.5, "questions.b": 1.5,
        "keywords.m": 2.0, "keywords.b": 1.0, "body.m": 0.5, "body.b": 0.5})
    b: Mapping[str, float] = field(default_factory=lambda: {
        "title.m": 0.5, "title.b": 0.5, "questions.m": 0.5, "questions.b": 0.5,
        "keywords.m": 0.5, "keywords.b": 0.5, "body.m": 0.75, "body.b": 0.75})
    bigram_weight: float = 1.0
    """Multiplier on every bigram-space term (``b:``), on top of the stream weights."""


class KeywordScorer:
    """BM25F over a ``TermMatrix``: one sparse terms × documents matrix of contributions."""

    def __init__(self, matrix: TermMatrix, params: BM25FParams | None = None) -> None:
        self.params = params = params or BM25FParams()
        self.vocabulary = matrix.vocabulary
        n_docs = matrix.size
        combined = None
        for name, tf in matrix.streams.items():
            weight = params.weights.get(name, 0.0)
            if weight == 0 or tf.nnz == 0:
                continue
            lengths = np.asarray(tf.sum(axis=1)).ravel()
            average = lengths[lengths > 0].mean() if (lengths > 0).any() else 1.0
            b = params.b.get(name, 0.75)
            norm = weight / (1 - b + b * lengths / average)
            part = sparse.diags(norm.astype(np.float32)) @ tf
            combined = part if combined is None else combined + part
        if combined is None:
            combined = sparse.csr_matrix((n_docs, len(self.vocabulary)), dtype=np.float32)
        combined = sparse.csc_matrix(combined)
        df = np.diff(combined.indptr)
        idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        if params.bigram_weight != 1.0:
            is_bigram = np.array([t.startswith("b:") for t in
                                  sorted(self.vocabulary, key=self.vocabulary.get)])
            idf = np.where(is_bigram, idf * params.bigram_weight, idf).astype(np.float32)
        k1 = params.k1
        data = combined.data
        columns = np.repeat(np.arange(combined.shape[1]), df)
        combined.data = (idf[columns] * data * (k1 + 1) / (k1 + data)).astype(np.float32)
        transposed = combined.T.tocsr()  # terms × documents
        self._indptr = transposed.indptr
        self._indices = transposed.indices
        self._data = transposed.data
        self.size = n_docs
        self.idf = idf

    @property
    def indptr(self) -> np.ndarray:
        """Where each term's documents start in ``indices`` (terms × documents CSR)."""
        return self._indptr

    @property
    def indices(self) -> np.ndarray:
        """The documents of every term, term after term."""
        return self._indices

    def term_ids(self, terms: Iterable[tuple[str, float]]) -> list[tuple[int, float]]:
        """Map ``(prefixed term, weight)`` pairs to vocabulary ids, keeping the largest weight."""
        best: dict[int, float] = {}
        for term, weight in terms:
            index = self.vocabulary.get(term)
            if index is not None and weight > best.get(index, 0.0):
                best[index] = weight
        return list(best.items())

    def score(self, ids: Sequence[tuple[int, float]],
              alternatives: Sequence[Sequence[tuple[int, float]]] = ()
              ) -> tuple[np.ndarray, np.ndarray]:
        """Return (BM25F score, weighted share of query terms matched) for every document.

        Each group of ``alternatives`` (the readings of one half-typed word: its completions,
        repairs) counts as one term: a document scores its best reading (not the sum of all it
        matches) and matches the word in full with the best-weighted reading.
        """
        scores, matched, total = self._summed(ids)
        for group in alternatives:
            reading = np.zeros(self.size, dtype=np.float32)
            best = np.zeros(self.size, dtype=np.float32)
            top = 0.0
            for index, weight in group:
                start, end = self._indptr[index], self._indptr[index + 1]
                if start == end:
                    continue
                docs = self._indices[start:end]
                reading[docs] += weight * self._data[start:end]
                share = weight * float(self.idf[index])
                best[docs] = np.maximum(best[docs], share)
                top = max(top, share)
            scores += reading
            matched += best
            total += top
        if total:
            matched /= total
        return scores, matched

    def _summed(self, ids: Sequence[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray, float]:
        """Return the weighted postings of ``ids`` summed per document, the summed term shares
        per document, and the total share. No term or one (three in five of the bench's
        suggestions, three in ten of its searches) is its postings as they are: the same
        float32 values as the summing path, at less than half its cost."""
        shares = [weight * float(self.idf[index]) for index, weight in ids]
        if len(ids) > 1:
            documents, values, lengths = postings_of(self._indptr, self._indices, self._data,
                                                     ids)
            scores = np.bincount(documents, weights=values, minlength=self.size)
            matched = np.bincount(documents, weights=np.repeat(shares, lengths),
                                  minlength=self.size)
            return scores.astype(np.float32), matched.astype(np.float32), sum(shares)
        scores = np.zeros(self.size, dtype=np.float32)
        matched = np.zeros(self.size, dtype=np.float32)
        if ids:  # one term: a document appears once in its postings, so nothing to sum
            [(index, weight)] = ids
            start, end = self._indptr[index], self._indptr[index + 1]
            documents = self._indices[start:end]
            scores[documents] = np.float32(weight) * self._data[start:end]
            matched[documents] = shares[0]
        return scores, matched, sum(shares)


def postings_of(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray,
                weighted: Sequence[tuple[int, float]]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the postings of ``weighted`` ``(term id, weight)`` pairs of a term-major CSR
    matrix, one after another: their documents, their values times the term's weight, and
    how many postings each term has.

    A leg sums them per document with one ``np.bincount`` (in float64, rounded once to
    float32) instead of adding each term's postings into the scores in turn: 114 → 75 µs for
    the keyword leg at 10,000 articles."""
    if not weighted:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32), np.empty(0, int)
    spans = [(int(indptr[index]), int(indptr[index + 1])) for index, _ in weighted]
    lengths = np.array([end - start for start, end in spans])
    documents = np.concatenate([indices[start:end] for start, end in spans])
    values = np.concatenate([data[start:end] for start, end in spans])
    # one multiplication by each posting's term weight, in float32 as term by term
    values *= np.repeat(np.array([weight for _, weight in weighted], dtype=np.float32), lengths)
    return documents, values, lengths


def coordinated(scores: np.ndarray, matched: np.ndarray, power: float) -> np.ndarray:
    """Scale scores by the share of query terms each document matched (an OR with a bonus)."""
    if power == 0:
        return scores
    return scores * np.power(matched, power, dtype=np.float32)

