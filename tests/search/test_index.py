"""The on-disk index: generations, the pointer swap, refresh, and the Whoosh record."""

from __future__ import annotations

import pickle
import threading

from search import Engine
from search.documents import analyse_documents, documents_digest
from search.index import IndexStore, StoredDocuments, ViewTokenizer
from search.snippets import split_sentences


def _build(store, docs):
    return store.build(docs, analyse_documents(docs, processes=1),
                       digest=documents_digest(docs))


def test_build_writes_a_generation_and_points_at_it(tmp_path, tiny_docs):
    store = IndexStore(tmp_path / "index")
    generation = _build(store, tiny_docs)
    assert store.current().name == generation.name
    assert (generation.path / "whoosh").is_dir()


def test_a_generation_written_with_npz_files_opens_and_ranks_the_same(tmp_path, tiny_docs):
    import shutil

    import numpy as np

    from search.postings import load_arrays

    store = IndexStore(tmp_path / "index")
    generation = _build(store, tiny_docs)
    assert (generation.path / "terms").is_dir() and (generation.path / "tfidf").is_dir()
    expected = Engine(store, processes=1).search("refund", locale="en").hits
    for name in ("terms", "tfidf"):  # as generations before the folders stored them
        np.savez(generation.path / f"{name}.npz", **load_arrays(generation.path / name))
        shutil.rmtree(generation.path / name)
    assert Engine(store, processes=1).search("refund", locale="en").hits == expected
    assert Engine(store, processes=1).generation.terms().vocabulary


def test_documents_read_back_from_whoosh_in_row_order(tmp_path, tiny_docs):
    generation = _build(IndexStore(tmp_path / "index"), tiny_docs)
    assert [d.key for d in generation.documents()] == [d.key for d in tiny_docs]


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
    reader = Engine(IndexStore(tmp_path / "index"), processes=1, cache_size=0)
    failures: list[str] = []
    done = threading.Event()

    def read():
        while not done.is_set():
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


def test_a_refreshed_generation_names_its_base_and_the_changed_article(tmp_path, tiny_docs,
                                                                       new_doc):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    first = engine.store.current()
    engine.refresh(new_doc("voucher", "Use a voucher", category="payment"))
    engine.refresh(new_doc("refund", "Refunds, explained", category="payment"))
    reopened = engine.store.open(engine.store.current().path)
    assert reopened.base is not None and reopened.changed == (("en", "refund"),)
    assert engine.store.changes_since(reopened, first.name) == {("en", "voucher"),
                                                                ("en", "refund")}
    assert first.base is None and first.changed == ()


def test_changes_since_is_none_across_a_rebuild(tmp_path, tiny_docs, new_doc):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    first = engine.store.current()
    engine.rebuild(tiny_docs[1:])
    engine.refresh(new_doc("voucher", "Use a voucher", category="payment"))
    assert engine.store.changes_since(engine.store.current(), first.name) is None


def test_changes_since_is_none_once_the_chain_is_pruned(tmp_path, tiny_docs, new_doc):
    writer = Engine(IndexStore(tmp_path / "index"), processes=1)
    writer.sync(tiny_docs)
    reader = Engine(IndexStore(tmp_path / "index"), processes=1)
    first = reader.generation
    for number in range(4):
        writer.refresh(new_doc(f"voucher-{number}", "Use a voucher", category="payment"))
    assert writer.store.changes_since(writer.store.current(), first.name) is None
    assert len(reader.search("voucher", locale="en").hits) == 4


def test_read_documents_of_some_keys_gives_the_live_copy(tmp_path, tiny_docs, new_doc):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    engine.refresh(new_doc("refund", "Refunds, explained", category="payment"))
    docs, digests, _ = engine.store.current().read_documents([("en", "refund"),
                                                              ("ko", "refund")])
    assert [d.title for d in docs] == ["Refunds, explained", "환불 신청 방법"]
    assert digests == [d.digest for d in docs]


def test_a_reader_patches_its_snapshot_with_only_the_refreshed_articles(tmp_path, tiny_docs,
                                                                         new_doc):
    writer = Engine(IndexStore(tmp_path / "index"), processes=1)
    writer.sync(tiny_docs)
    reader = Engine(IndexStore(tmp_path / "index"), processes=1)
    before = {d.key: d for d in reader.documents}
    writer.refresh(new_doc("voucher", "Use a voucher", category="payment"))
    writer.refresh(new_doc("refund", "Refunds, explained", category="payment"))
    after = reader.documents
    assert [d.key for d in after] == [d.key for d in writer.documents]
    kept = [d for d in after if d.key not in {("en", "voucher"), ("en", "refund")}]
    assert kept and all(d is before[d.key] for d in kept)
    assert reader.search("voucher", locale="en").hits[0].slug == "voucher"


QUERIES = [("refund", "en"), ("password reset", "en"), ("voucher money", "en"),
           ("환불", "ko"), ("로그인 안됨", "ko"), ("refnud", "en")]


def test_the_patched_snapshot_ranks_exactly_as_a_full_reopen(tmp_path, tiny_docs, new_doc):
    writer = Engine(IndexStore(tmp_path / "index"), processes=1)
    writer.sync(tiny_docs)
    reader = Engine(IndexStore(tmp_path / "index"), processes=1)
    unchanged = reader.documents[1]
    writer.refresh(new_doc("voucher", "Use a voucher", category="payment",
                           questions=("Can I pay with a voucher?",), text="Vouchers refund."))
    writer.refresh(new_doc("refund", "Refunds, explained", category="payment",
                           questions=("Where is my money?",), text="A refund takes a week."))
    writer.refresh(new_doc("login-trouble", "로그인 문제 해결", locale="ko",
                           questions=("로그인이 안 돼요",), text="비밀번호를 바꿔 보세요."))
    assert reader.documents[1] is unchanged  # patched, not read again
    assert reader.wait_for_vocabulary(10)
    fresh = Engine(IndexStore(tmp_path / "index"), processes=1)
    assert reader.digests == fresh.digests
    for text, locale in QUERIES:
        assert reader.search(text, locale=locale).hits == fresh.search(text, locale=locale).hits
        assert reader.suggest(text[:4], locale=locale) == fresh.suggest(text[:4], locale=locale)
    assert (reader.related("voucher", locale="en")
            == fresh.related("voucher", locale="en"))


def test_stored_documents_are_the_columns_of_their_rows(tiny_docs):
    rows = [(doc, f"digest-{n}", split_sentences(doc.text) if n else None)
            for n, doc in enumerate(tiny_docs[:2])]
    stored = StoredDocuments.of(rows)
    assert stored.docs == list(tiny_docs[:2]) and stored.digests == ["digest-0", "digest-1"]
    assert stored.sentences[0] is None and stored.sentences[1] == rows[1][2]
    assert StoredDocuments.of([]) == StoredDocuments([], [], [])  # a generation with no documents
