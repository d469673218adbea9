"""The synthetic help center of ``deflect bench``: articles, queries and typed prefixes.

Deterministic Korean (55 %) and English (45 %) articles of 200–1,500 words over 16 support
topics with a shared vocabulary, Korean nouns with particles and verbs with endings, and a
long tail of rare words and error codes. Its Korean is grammatical only on the surface: it is
for speed and size, not relevance.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from search.documents import SearchDocument

_TOPICS = {
    "login": (["로그인", "아이디", "계정", "인증", "세션"],
              ["login", "account", "session", "sign"]),
    "password": (["비밀번호", "재설정", "변경", "이메일"],
                 ["password", "reset", "change", "email"]),
    "payment": (["결제", "카드", "오류", "승인"], ["payment", "card", "error", "charge"]),
    "refund": (["환불", "취소", "신청", "금액"], ["refund", "cancel", "request", "amount"]),
    "subscription": (["구독", "해지", "멤버십", "요금제"], ["subscription", "plan", "membership"]),
    "playback": (["재생", "영상", "화질", "버퍼링"], ["playback", "video", "quality", "buffer"]),
    "download": (["다운로드", "저장", "오프라인"], ["download", "offline", "storage"]),
    "app": (["앱", "업데이트", "설치", "실행"], ["app", "update", "install", "crash"]),
    "notification": (["알림", "푸시", "설정"], ["notification", "push", "settings"]),
    "profile": (["프로필", "닉네임", "사진"], ["profile", "nickname", "photo"]),
    "privacy": (["개인정보", "보안", "동의"], ["privacy", "security", "consent"]),
    "safety": (["신고", "차단", "유해"], ["report", "block", "abuse"]),
    "chat": (["채팅", "메시지", "대화"], ["chat", "message", "conversation"]),
    "device": (["기기", "등록", "한도", "로그아웃"], ["device", "register", "limit", "logout"]),
    "contact": (["고객센터", "문의", "상담", "전화"], ["support", "contact", "agent", "phone"]),
    "account": (["탈퇴", "삭제", "복구", "휴면"], ["delete", "recover", "dormant", "account"]),
}
_PARTICLES = ["", "이", "가", "을", "를", "은", "는", "에", "에서", "으로", "의", "도"]
_VERBS_KO = ["확인하세요", "실패했어요", "안 돼요", "눌러 주세요", "바꾸고 싶어요", "하려면",
             "됐어요", "할 수 없어요", "나와요", "알려 주세요"]
_COMMON_EN = ["the", "you", "can", "your", "to", "if", "not", "how", "do", "i", "my", "is",
              "when", "after", "again", "please", "check", "open", "tap", "settings", "then"]
_COMMON_KO = ["먼저", "다시", "화면", "메뉴", "버튼", "경우", "방법", "사용", "최신", "문제"]


def _rare_word(rng: random.Random, korean: bool) -> str:
    rank = int(60_000 ** rng.random())  # Zipf-like long tail over 60k rare tokens
    if rng.random() < 0.1:
        return f"E{1000 + rank % 9000}"
    if korean:
        return "".join(chr(0xAC00 + (rank * 7919 + i * 104729) % 11172) for i in range(2))
    return "".join("bcdfghjklmnprstvz"[(rank >> (3 * i)) % 17] + "aeiou"[(rank + i) % 5]
                   for i in range(3))


def generate_articles(count: int, seed: int = 7) -> list[SearchDocument]:
    """Return ``count`` synthetic articles (deterministic for a seed)."""
    rng = random.Random(seed)
    topics = list(_TOPICS)
    docs = []
    for number in range(count):
        korean = rng.random() < 0.55
        topic = topics[number % len(topics)]
        other = topics[rng.randrange(len(topics))]
        ko_words, en_words = _TOPICS[topic]
        words = ko_words if korean else en_words
        length = int(math.exp(rng.uniform(math.log(200), math.log(1500))))
        body = []
        for _ in range(length):
            roll = rng.random()
            if roll < 0.25:
                pool = words
            elif roll < 0.35:
                pool = _TOPICS[other][0 if korean else 1]
            elif roll < 0.9:
                pool = _COMMON_KO if korean else _COMMON_EN
            else:
                body.append(_rare_word(rng, korean))
                continue
            word = rng.choice(pool)
            if korean:
                word += rng.choice(_PARTICLES) if rng.random() < 0.7 else ""
                if rng.random() < 0.1:
                    word += " " + rng.choice(_VERBS_KO) + "."
            body.append(word)
        if korean:
            title = f"{rng.choice(words)} {rng.choice(words)}{rng.choice(_PARTICLES)} " \
                    f"{rng.choice(_VERBS_KO)}"
            questions = tuple(f"{rng.choice(words)}{rng.choice(_PARTICLES)} "
                              f"{rng.choice(_VERBS_KO)}" for _ in range(3))
        else:
            title = f"How do I {rng.choice(words)} my {rng.choice(words)}?"
            questions = tuple(f"{rng.choice(words)} {rng.choice(words)} not working"
                              for _ in range(3))
        docs.append(SearchDocument(slug=f"{topic}-{number}", locale="ko" if korean else "en",
                                   category=topic, title=title, questions=questions,
                                   keywords=tuple(words[:3]), text=" ".join(body)))
    return docs


def generate_queries(count: int, seed: int = 11) -> list[tuple[str, str]]:
    """Return ``count`` ``(query, locale)`` pairs of 1–4 words (25/40/25/10 %)."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        korean = rng.random() < 0.55
        ko_words, en_words = _TOPICS[rng.choice(list(_TOPICS))]
        size = rng.choices([1, 2, 3, 4], weights=[25, 40, 25, 10])[0]
        words = []
        for _ in range(size):
            if rng.random() < 0.08:
                words.append(_rare_word(rng, korean))
            elif korean:
                words.append(rng.choice(ko_words) + rng.choice(_PARTICLES))
            else:
                words.append(rng.choice(en_words + _COMMON_EN[:8]))
        if korean and rng.random() < 0.3:
            words.append(rng.choice(_VERBS_KO))
        queries.append((" ".join(words), "ko" if korean else "en"))
    return queries


def generate_prefixes(queries: Sequence[tuple[str, str]], seed: int = 13
                      ) -> list[tuple[str, str]]:
    """Cut queries at a random keystroke, half the Korean ones inside a syllable (로그ㅇ)."""
    rng = random.Random(seed)
    prefixes = []
    for text, locale in queries:
        cut = rng.randint(1, len(text))
        prefix = text[:cut].rstrip() or text[:1]
        last = prefix[-1]
        if "가" <= last <= "힣" and rng.random() < 0.5:
            initial = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"[(ord(last) - 0xAC00) // 588]
            prefix = prefix[:-1] + initial
        prefixes.append((prefix, locale))
    return prefixes
