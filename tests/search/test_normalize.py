"""Normalisation: one canonical form for index and query, with offsets back to the original."""

from __future__ import annotations

import pytest

from search.analysis import analyze
from search.normalize import normalize, normalize_with_offsets
from search.tokens import script_runs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ｌｏｇｉｎ", "login"),
        ("PassWord", "password"),
        ("로\u200b그\u200c인\u200d", "로그인"),
        ("\ufeff결제\u2060오류", "결제오류"),
        ("log\u00adin", "login"),
        ("결제ㆍ환불", "결제 환불"),
        ("결제·환불", "결제 환불"),
        ("  비밀번호 \t\n 재설정  ", "비밀번호 재설정"),
        ("로그ㅇ", "로그ㅇ"),
        ("ㅂㅁㅂㅎ", "ㅂㅁㅂㅎ"),
        ("customer\u2019s", "customer's"),
        ("\u1105\u1169\u1100\u1173\u110b\u1175\u11ab", "로그인"),
    ],
    ids=["fullwidth", "case", "zero-width", "bom-word-joiner", "soft-hyphen", "araea-dot",
         "middle-dot", "whitespace", "keyboard-jamo-kept", "initials-kept", "curly-quote",
         "conjoining-jamo"],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Ｌｏｇｉｎ 오류", "로\u200b그인이 안 돼요", "ﬁle 결제ㆍ환불", "plain ascii text"],
    ids=["fullwidth", "zero-width", "ligature-and-dot", "identity"],
)
def test_offsets_point_into_the_original_text(text):
    normalized = normalize_with_offsets(text)

    for start, char in enumerate(normalized.text):
        original_start, original_end = normalized.span(start, start + 1)
        assert char == " " or char in normalize(text[original_start:original_end])


def test_tokens_slice_the_text_the_caller_passed():
    text = "Ｅ-１００２ 오류\u200b가 나요"

    tokens = analyze(text, "bigram")

    assert [(t.text, normalize(text[t.start:t.end])) for t in tokens[:1]] == [("e-1002", "e-1002")]
    assert ("오류", "오류") in [(t.text, text[t.start:t.end].replace("\u200b", "")) for t in tokens]


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("e-1002 오류", [("word", "e-1002"), ("hangul", "오류")]),
        ("7,900원 결제", [("word", "7,900"), ("hangul", "원"), ("hangul", "결제")]),
        ("카카오 login이", [("hangul", "카카오"), ("word", "login"), ("hangul", "이")]),
        ("相談 문의!", [("other", "相談"), ("hangul", "문의")]),
        ("v2.3 release", [("word", "v2.3"), ("word", "release")]),
    ],
    ids=["error-code", "number-with-comma", "mixed", "han", "version"],
)
def test_script_runs_keep_codes_and_numbers_whole(text, runs):
    assert [(run.kind, run.text) for run in script_runs(normalize(text))] == runs
