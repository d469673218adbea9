"""The on-disk index: generations, the pointer swap, refresh, and the Whoosh record."""

from __future__ import annotations

import pickle
import threading

from search import Engine
from search.documents import analyse_documents, documents_digest
from search.index import IndexStore, ViewTokenizer


def _build(store, docs):
    return store.build(docs, analyse_documents(docs, processes=1),
                       digest=documents_digest(docs))


def test_build_writes_a_generation_and_points_at_it(tmp_path, tiny_docs):
    store = IndexStore(tmp_path / "index")
    generation = _build(store, tiny_docs)
    assert store.current().name == generation.name
    assert (generation.path / "whoosh").is_dir()


def test_documents_read_back_from_whoosh_in_row_order(tmp_path, tiny_docs):
    generation = _build(IndexStore(tmp_path / "index"), tiny_docs)
    assert [d.key for d in generation.documents()] == [d.key for d in tiny_docs]


def test_whoosh_reference_leg_ranks_by_title_terms(tmp_path, tiny_docs):
    generation = _build(IndexStore(tmp_path / "index"), tiny_docs)
    ranked = generation.search_whoosh([("title_m", "refund", 1.0), ("title_m", "password", 1.0)],
                                      locale="en")
    assert {slug for slug, _ in ranked} == {"refund", "reset-password"}


def test_rebuild_never_modifies_the_live_generation(tmp_path, tiny_docs):
    store = IndexStore(tmp_path / "index")
    first = _build(store, tiny_docs)
    before = sorted(p.name for p in first.path.rglob("*"))
    _build(store, tiny_docs[:2])
    assert sorted(p.name for p in first.path.rglob("*")) == before
    assert store.current().name != first.name


def test_old_generations_are_pruned(tmp_path, tiny_docs):
    store = IndexStore(tmp_path / "index")
    for _ in range(5):
        _build(store, tiny_docs[:1])
    assert len([p for p in store.root.iterdir() if p.is_dir()]) == 3


def test_view_tokenizer_survives_pickling_as_whoosh_requires():
    tokenizer = pickle.loads(pickle.dumps(ViewTokenizer("bigram")))
    assert [t.text for t in tokenizer("결제 오류")] == ["결제", "오류"]


def test_open_reuses_an_index_whose_content_hash_matches(tmp_path, tiny_docs):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    assert engine.sync(tiny_docs) is True
    assert engine.sync(tiny_docs) is False


def test_refresh_makes_a_new_article_searchable(tmp_path, tiny_docs, new_doc):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    engine.refresh(new_doc("gift-card", "Redeem a gift card", category="payment",
                           text="Enter the code."))
    assert engine.search("gift card", locale="en").hits[0].slug == "gift-card"


def test_another_process_engine_sees_a_refresh(tmp_path, tiny_docs, new_doc):
    writer = Engine(IndexStore(tmp_path / "index"), processes=1)
    writer.sync(tiny_docs)
    reader = Engine(IndexStore(tmp_path / "index"), processes=1)
    assert reader.search("voucher", locale="en").total == 0
    writer.refresh(new_doc("voucher", "Use a voucher", category="payment", text="Vouchers."))
    assert reader.search("voucher", locale="en").hits[0].slug == "voucher"


def test_a_reader_during_rebuilds_never_sees_an_empty_result(tmp_path, tiny_docs):
    writer = Engine(IndexStore(tmp_path / "index"), processes=1)
    writer.sync(tiny_docs)
    reader = Engine(IndexStore(tmp_path / "index"), processes=1)
    failures: list[str] = []
    done = threading.Event()

    def read():
        while not done.is_set():
            reader._cache.clear()
            if reader.search("password", locale="en").total == 0:
                failures.append("empty")

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for round_ in range(4):
            writer.rebuild(tiny_docs[: 3 + round_ % 2] + tiny_docs[3:])
    finally:
        done.set()
        thread.join()
    assert failures == []


def test_refresh_replaces_an_existing_article(tmp_path, tiny_docs, new_doc):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    old = tiny_docs[0]
    engine.refresh(new_doc(old.slug, "Recover your passphrase", text="Use the recovery mail."))
    assert engine.search("passphrase", locale="en").hits[0].slug == old.slug
    assert old.slug not in [h.slug for h in engine.search("reset", locale="en").hits]
    assert len([d for d in engine.documents if d.key == old.key]) == 1


def test_refreshing_a_draft_removes_it(tmp_path, tiny_docs):
    from dataclasses import dataclass

    @dataclass
    class Draft:
        slug: str = "refund"
        locale: str = "en"
        category: str = "payment"
        title: str = "Ask for a refund"
        questions: tuple = ()
        keywords: tuple = ()
        text: str = ""
        is_published: bool = False

    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    engine.refresh(Draft())
    assert "refund" not in [h.slug for h in engine.search("refund", locale="en").hits]
