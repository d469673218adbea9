"""Snippets (``search.snippets``): which sentence is shown, what is marked, what is escaped,
and the sentences the index stores with each document."""

from __future__ import annotations

import pytest

from search import Engine, snippets
from search.index import IndexStore
from search.snippets import _SEEN, Sentences, _term_sentences, make_snippet, split_sentences

TEXT = ("Open Settings. Choose Account, then Password.\n\n  Reset the password by mail! "
        "The reset link lasts an hour? " + "x" * 320 + " end.")


def test_sentences_end_at_punctuation_line_breaks_and_every_300_characters():
    sentences = split_sentences(TEXT)
    pieces = [TEXT[s:e] for s, e in zip(sentences.starts, sentences.ends, strict=True)]
    assert pieces[:4] == ["Open Settings.", " Choose Account, then Password.",
                          "  Reset the password by mail!", " The reset link lasts an hour?"]
    assert [len(p) for p in pieces[4:]] == [300, 26]  # 321 characters and " end."
    assert not sentences.is_lower and split_sentences("로그인이 안 돼요.").is_lower


def test_stored_sentences_round_trip_and_give_the_same_snippet():
    sentences = split_sentences(TEXT)
    assert Sentences.unpack(sentences.pack()) == sentences
    for terms in ({"reset", "password"}, {"hour"}, {"nothing"}, set()):
        assert (make_snippet(TEXT, terms, sentences=sentences)
                == make_snippet(TEXT, terms))


@pytest.mark.parametrize(("terms", "snippet"), [
    ({"reset", "password"}, "<mark>Reset</mark> the <mark>password</mark> by mail!"),
    ({"password"}, "Choose Account, then <mark>Password</mark>."),  # the first one wins a tie
    ({"link", "hour"}, "The reset <mark>link</mark> lasts an <mark>hour</mark>?"),
    ({"nothing"}, "Open Settings."),
])
def test_the_sentence_with_most_distinct_terms_is_shown(terms, snippet):
    assert make_snippet(TEXT, terms) == snippet


def test_overlapping_hangul_bigrams_count_as_distinct_terms():
    text = "로그인 화면으로 가세요. 로그인이 안 되면 비밀번호를 바꾸세요."
    snippet = make_snippet(text, {"로그", "그인", "비밀"})
    assert snippet == "<mark>로그인</mark>이 안 되면 <mark>비밀</mark>번호를 바꾸세요."


def test_a_term_counts_the_sentences_of_its_first_occurrences_only_and_none_overlapping():
    text = "하하하하. " * 20  # 하하|하하 in every sentence: two occurrences a sentence
    starts = split_sentences(text).starts
    assert _term_sentences(text, "하하", True, starts) == tuple(range(_SEEN // 2))
    assert _term_sentences(text, "없음", True, starts) == ()
    english = "Reset RESET. Then reset."
    assert _term_sentences(english, "reset", False, split_sentences(english).starts) == (0, 1)


def test_a_snippet_does_not_depend_on_what_was_looked_up_before():
    early, late = "The refund form is here. Intro.", "Intro. Your refund arrives in a week."
    assert make_snippet(early, {"refund"}) == (
        "The <mark>refund</mark> form is here.")
    for _ in range(2):  # found in the cache, then looked up again
        assert make_snippet(late, {"refund"}) == (
            "Your <mark>refund</mark> arrives in a week.")
        snippets.forget_texts()


@pytest.mark.parametrize("control", ["\x00", "\x01"])
def test_a_text_holding_the_mark_placeholders_is_escaped_piece_by_piece(control):
    text = f"Reset <b>the</b> password{control} & more."
    snippet = make_snippet(text, {"reset", "password"})
    assert snippet == (f"<mark>Reset</mark> &lt;b&gt;the&lt;/b&gt; <mark>password</mark>"
                       f"{control} &amp; more.")


def test_a_long_sentence_is_cut_around_its_first_match():
    text = "word " * 25 + "refund here " + "word " * 25  # one sentence of 262 characters
    snippet = make_snippet(text, {"refund"})
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>refund</mark>" in snippet


def test_the_index_stores_each_document_s_sentences(tmp_path, tiny_docs):
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    stored = engine.store.current().read_documents()
    assert stored.sentences == [split_sentences(doc.text) for doc in stored.docs]


def test_a_refreshed_article_is_shown_with_its_new_sentences(tmp_path, tiny_docs, new_doc):
    writer = Engine(IndexStore(tmp_path / "index"), processes=1)
    writer.sync(tiny_docs)
    reader = Engine(IndexStore(tmp_path / "index"), processes=1)
    reader.search("refund", locale="en")  # holds the generation before the refresh
    old = tiny_docs[0]
    text = "A first sentence about nothing. Then the passphrase, recovered by mail."
    writer.refresh(new_doc(old.slug, "Recover your passphrase", text=text))
    expected = "Then the <mark>passphrase</mark>, recovered by mail."
    for engine in (writer, reader):  # in the refreshing process, and another one
        assert engine.search("passphrase", locale="en").hits[0].snippet == expected


def test_a_generation_written_before_sentences_were_stored_still_gets_snippets(
        tmp_path, tiny_docs, monkeypatch):
    from search import index

    written = index._whoosh_fields

    def without_sentences(doc, streams):
        record = written(doc, streams)
        del record["sentences"]
        return record

    monkeypatch.setattr(index, "_whoosh_fields", without_sentences)
    engine = Engine(IndexStore(tmp_path / "index"), processes=1)
    engine.sync(tiny_docs)
    assert engine.store.current().read_documents().sentences == [None] * len(tiny_docs)
    hit = engine.search("refund", locale="en").hits[0]
    doc = next(d for d in tiny_docs if d.key == (hit.locale, hit.slug))
    assert hit.snippet == make_snippet(doc.text, {"refund"})
    assert "<mark>" in hit.snippet.lower()


def test_one_syllable_of_a_multi_word_synonym_is_not_marked(tmp_path, new_doc):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "synonyms.txt").write_text("로그인, 로그 인, login\n", encoding="utf-8")
    engine = Engine.open(None, tmp_path / "data", articles_dir=articles)
    engine.rebuild([new_doc("login-trouble", "로그인이 안 돼요", locale="ko",
                            text="로그인이 되지 않을 때는 아래 순서대로 확인해 주세요.")])
    snippet = engine.search("로그인이 안돼요", locale="ko").hits[0].snippet
    assert snippet == "<mark>로그인</mark>이 되지 않을 때는 아래 순서대로 확인해 주세요."


KOREAN_TEXT = ("결제 수단은 설정에서 바꿀 수 있어요. "
               "카드에서 결제가 되지 않으면 카드 정보를 확인해 주세요. "
               "안내에 따라 다시 시도해 주세요.")
CARD_SENTENCE = "<mark>카드</mark>에서 {}가 되지 않으면 <mark>카드</mark> 정보를 확인해 주세요."


@pytest.fixture
def korean_engine(tmp_path, new_doc):
    engine = Engine.open(None, tmp_path / "data", processes=1)
    engine.rebuild([new_doc("card-payment", "카드 결제 오류", locale="ko", text=KOREAN_TEXT)])
    return engine


@pytest.mark.parametrize(("query", "snippet"), [
    # the particles and endings of the query (에서, 가, 돼요) and 안 are not marked: 에서 would
    # choose the first sentence (설정에서), 안 would mark 안내
    ("카드에서 결제가 안 돼요", CARD_SENTENCE.format("<mark>결제</mark>")),
    # words the text does not hold (one Kiwi does not know, 앱) leave the passage to 카드
    ("뿹큎 카드 앱", CARD_SENTENCE.format("결제")),
    ("결제 주세요", "<mark>결제</mark> 수단은 설정에서 바꿀 수 있어요."),
])
def test_a_korean_query_marks_its_content_words_not_its_particles_and_endings(
        korean_engine, query, snippet):
    assert korean_engine.search(query, locale="ko").hits[0].snippet == snippet


def test_queries_with_the_same_marks_share_a_snippet_the_snapshot_remembers(korean_engine):
    # particles, endings and 안 mark nothing: both queries mark 카드 and 결제
    first = korean_engine.search("카드에서 결제가 안 돼요", locale="ko").hits[0].snippet
    memory = korean_engine._snapshot().snippet
    made = memory.cache_info()
    second = korean_engine.search("카드 결제", locale="ko").hits[0].snippet
    assert second == first == CARD_SENTENCE.format("<mark>결제</mark>")
    assert memory.cache_info().hits == made.hits + 1
    assert memory.cache_info().currsize == made.currsize


def test_a_refreshed_article_shows_its_new_text_not_a_remembered_snippet(korean_engine,
                                                                        new_doc):
    assert "카드" in korean_engine.search("카드 결제", locale="ko").hits[0].snippet
    korean_engine.refresh(new_doc("card-payment", "카드 결제 오류", locale="ko",
                                  text="결제 카드를 새로 등록해 주세요."))
    assert korean_engine.search("카드 결제", locale="ko").hits[0].snippet == (
        "<mark>결제</mark> <mark>카드</mark>를 새로 등록해 주세요.")


def test_korean_marks_an_unknown_word_and_a_one_syllable_word():
    from search.query import _korean_marks

    # spans as Kiwi gives them: 뿹큎 a proper noun, 앱 a noun, 주세요 none
    assert _korean_marks("뿹큎 앱이 앱 주세요", [(0, 2), (3, 4), (6, 7)]) == {"뿹큎", "앱"}


def test_without_kiwi_a_korean_query_marks_every_bigram(korean_engine, without_kiwi):
    snippet = korean_engine.search("설정에서 결제", locale="ko").hits[0].snippet
    assert snippet == "<mark>결제</mark> 수단은 <mark>설정에서</mark> 바꿀 수 있어요."


def test_a_new_generation_lets_go_of_the_texts_the_snippet_caches_held(tmp_path, tiny_docs,
                                                                       new_doc):
    engine = Engine.open(tiny_docs, tmp_path)
    engine.search("password", locale="en")
    assert snippets._known_terms.cache_info().currsize
    engine.refresh(new_doc("new-article", "Change your password"))
    assert not snippets._known_terms.cache_info().currsize


def test_a_text_remembers_a_bounded_number_of_terms(monkeypatch):
    monkeypatch.setattr(snippets, "TERMS_PER_TEXT", 2)
    text = "Reset the password. Then sign in."
    starts = split_sentences(text).starts
    for term, sentences in [("reset", (0,)), ("sign", (1,)), ("then", (1,)), ("reset", (0,))]:
        assert _term_sentences(text, term, False, starts) == sentences
    assert sorted(snippets._known_terms(text)) == ["reset", "then"]  # emptied at the third


def test_threads_looking_up_and_forgetting_at_once_get_the_same_sentences(monkeypatch):
    import threading

    monkeypatch.setattr(snippets, "TERMS_PER_TEXT", 1)  # emptied all the time
    texts = [f"Intro {n}. Reset the password {n}. Reset again." for n in range(40)]
    terms = {"reset": (1, 2), "password": (1,), "intro": (0,), "again": (2,)}
    failures: list[BaseException] = []

    def look_up() -> None:
        try:
            for _ in range(50):
                for text in texts:
                    starts = split_sentences(text).starts
                    for term, expected in terms.items():
                        assert _term_sentences(text, term, False, starts) == expected
                snippets.forget_texts()
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    workers = [threading.Thread(target=look_up) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures
    assert all(len(snippets._known_terms(text)) <= 1 for text in texts)
