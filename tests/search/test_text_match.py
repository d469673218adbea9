"""Articles for a ticket-like text: TF-IDF re-ranked by the meaning leg, and the hook."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from search.text_match import TextMatch, match_text

TICKET_KO = ("이번 달 카드 내역을 확인해 보니 같은 날 똑같은 금액이 두 번 빠져나갔어요. 저는 "
             "한 번만 결제했거든요. 중복으로 나간 돈은 돌려받을 수 있나요?")
TICKET_EN = ("The card I registered expired and my bank sent me a new one. I want next month's "
             "renewal to go on the new card and the old one removed. How do I do that?")


def _lexical_only(engine, text: str, locale: str) -> list[str]:
    snap = engine._snapshot()
    parsed = engine._analyse(snap, text, locale)
    found = match_text(text, locale, snap.similarity.score(parsed.terms),
                       snap.locale_masks[locale], None, limit=3)
    return [snap.docs[row].slug for row in found.rows]


def test_a_korean_ticket_finds_its_article_first(sample_engine):
    hits = sample_engine.similar_to_text(TICKET_KO, locale="ko")
    assert [hit.slug for hit in hits][0] == "double-charge"
    assert all(hit.locale == "ko" for hit in hits)


def test_the_meaning_leg_is_what_puts_it_first(sample_engine):
    assert _lexical_only(sample_engine, TICKET_EN, "en")[0] != "update-payment-method"
    assert sample_engine.similar_to_text(TICKET_EN, locale="en")[0].slug == \
        "update-payment-method"


def test_an_english_ticket_finds_its_article_first(sample_engine):
    text = ("My statement shows the same amount taken on the same day, twice. I only paid once. "
            "Can I get the extra one back?")
    assert sample_engine.similar_to_text(text, locale="en")[0].slug == "double-charge"


def test_the_hook_sees_both_legs_and_decides_what_is_shown(sample_engine):
    seen: list[TextMatch] = []

    def keep_the_best(match: TextMatch) -> TextMatch:
        seen.append(match)
        return replace(match, rows=match.rows[:1], scores=match.scores[:1])

    sample_engine.text_hook = keep_the_best
    try:
        hits = sample_engine.similar_to_text(TICKET_KO, locale="ko", limit=3)
    finally:
        sample_engine.text_hook = None
    assert [hit.slug for hit in hits] == ["double-charge"]
    match = seen[0]
    assert match.text == TICKET_KO and match.locale == "ko" and len(match.rows) == 3
    assert match.meaning is not None and np.all(match.meaning[:3] > 0)
    assert np.all(np.diff(match.scores) <= 0)


def test_text_sharing_no_word_with_any_article_finds_nothing(sample_engine):
    assert sample_engine.similar_to_text("qwxz plorft zzyzx", locale="en") == []
