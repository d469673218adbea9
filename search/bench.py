"""``deflect bench``: synthetic help centers, and the time and memory our search takes on them.

The generator writes deterministic Korean (55 %) and English (45 %) articles of 200–1,500 words
over 16 support topics with a shared vocabulary, Korean nouns with particles and verbs with
endings, and a long tail of rare words and error codes. Its Korean is grammatical only on the
surface: it is for speed and size, not relevance. Latency is measured single-threaded,
in-process, uncached (the result cache is cleared before every query), over the same queries for
our engine and the two baselines (Whoosh with its default analyzer; the TF-IDF leg alone), so
the ratios hold on a noisy machine. Every query is encoded for the meaning leg anew (its vector
cache is cleared too).

Refresh is timed the way the server sees it: one process saves a changed article
(``Engine.refresh``) while a second process, forked after the index was opened (as gunicorn
forks its workers), searches for the change every ``REFRESH_POLL_S`` until it is found; both
times run from the start of the refresh.
"""

from __future__ import annotations

import math
import multiprocessing
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from search.documents import SearchDocument

REFRESH_WORDS = ("quokka", "axolotl", "pangolin", "narwhal", "okapi")
"""Words no synthetic article holds: one is added to a title per timed refresh."""
REFRESH_POLL_S = 0.01
"""How often the second process searches for the refreshed article."""

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


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """Return p50/p95/p99 of latencies in milliseconds."""
    values = np.asarray(samples_ms)
    return {f"p{p}_ms": round(float(np.percentile(values, p)), 3) for p in (50, 95, 99)}


def _time_each(function: Callable[[str, str], object], queries) -> list[float]:
    samples = []
    for text, locale in queries:
        started = time.perf_counter()
        function(text, locale)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(children, 1)


def _current_rss_mb() -> float:
    """Resident memory now (Linux ``/proc``; 0 elsewhere): what a serving worker holds."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    import os

    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def _folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def run_bench(articles: int, *, queries: int = 1000, baselines: bool = True,
              processes: int = 2, refreshes: int = 3,
              progress: Callable[[str], None] | None = None) -> dict:
    """Build an index of ``articles`` synthetic articles and time search, suggest and
    ``refreshes`` one-article refreshes (0 skips them)."""
    from search import meaning
    from search.engine import Engine, load_models
    from search.index import IndexStore

    say = progress or (lambda message: None)
    docs = generate_articles(articles)
    query_set = generate_queries(queries)
    warm_up = generate_queries(100, seed=99)
    scratch = Path(tempfile.mkdtemp(prefix="deflect-bench-"))
    try:
        load_models()
        say(f"building {articles} articles")
        started = time.perf_counter()
        engine = Engine(IndexStore(scratch / "index"), processes=processes)
        engine.rebuild(docs)
        build_s = time.perf_counter() - started
        generation = engine.store.current()

        def search(text, locale):
            engine._cache.clear()
            meaning.query_vector.cache_clear()  # the synthetic queries repeat: encode each time
            return engine.search(text, locale=locale)

        def suggest(text, locale):
            return engine.suggest(text, locale=locale)

        for text, locale in warm_up:
            search(text, locale)
            suggest(text[:3], locale)
        say("timing search and suggest")
        search_ms = _time_each(search, query_set)
        suggest_ms = _time_each(suggest, generate_prefixes(query_set))
        own, children = _peak_rss_mb()
        say("measuring a fresh serving process")
        opened, serving = _fresh_process_rss(engine.store.root, queries)
        report = {
            "articles": articles, "build_s": round(build_s, 1),
            "index_mb": _folder_mb(generation.path), "peak_rss_mb": own,
            "peak_rss_children_mb": children, "serving_opened_rss_mb": opened,
            "serving_rss_mb": serving,
            "search": percentiles(search_ms), "suggest": percentiles(suggest_ms),
            "baselines": {},
        }
        if refreshes:
            say("timing refreshes")
            report["refresh"] = _refresh_figures(engine, docs, refreshes)
        if baselines:
            say("timing the baselines")
            report["baselines"]["whoosh_default"] = _whoosh_default(docs, query_set, warm_up,
                                                                    scratch / "plain")
            report["baselines"]["tfidf"] = _tfidf_alone(docs, query_set, warm_up)
            for figures in report["baselines"].values():
                figures["our_p50_ratio"] = round(report["search"]["p50_ms"]
                                                 / max(figures["p50_ms"], 1e-6), 3)
        return report
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _fresh_process_rss(root: Path, queries: int) -> tuple[float, float]:
    """Return the resident memory of a new process (not forked from this one, which holds the
    corpus and the build's leftovers) after it opened the index, and after it answered the
    query set: what one server process holds."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve_queries, args=(root, queries, theirs), daemon=True)
    process.start()
    try:
        return ours.recv()
    finally:
        process.join(timeout=30)


def _serve_queries(root: Path, queries: int, connection) -> None:
    from search.engine import Engine, load_models
    from search.index import IndexStore

    load_models()
    engine = Engine(IndexStore(root), processes=1)
    if not engine.documents:  # opens the live generation
        raise RuntimeError(f"no documents in the index under {root}")
    opened = _current_rss_mb()
    for text, locale in generate_queries(queries):
        engine.search(text, locale=locale)
    connection.send((opened, _current_rss_mb()))


def _refresh_figures(engine, docs: Sequence[SearchDocument], rounds: int) -> dict:
    """Refresh ``rounds`` English articles (a new word in each title) and return the median
    seconds until the saving process and a second process find them, the slowest second
    process, and the median duration of the second process's search that found the change
    (the one that reopened the index)."""
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    watcher = context.Process(target=_watch_refreshes, args=(engine.store.root, theirs),
                              daemon=True)
    watcher.start()
    english = [doc for doc in docs if doc.locale == "en"]
    saving, other, first = [], [], []
    try:
        ours.recv()  # the second process has opened the index
        for number in range(rounds):
            doc = english[(number * 7919) % len(english)]
            word = REFRESH_WORDS[number % len(REFRESH_WORDS)]
            ours.send((word, doc.slug))
            ours.recv()  # it is searching, and does not find the word yet
            started = time.monotonic()
            engine.refresh(replace(doc, title=f"{doc.title} {word}"))
            hits = engine.search(word, locale="en").hits
            saving.append(time.monotonic() - started)
            if not hits or hits[0].slug != doc.slug:
                raise RuntimeError(f"the refreshed article {doc.slug} is not found by {word!r}")
            found_at, took = ours.recv()
            other.append(found_at - started)
            first.append(took)
            time.sleep(1.0)  # let both processes settle (the keystroke vocabulary)
    finally:
        ours.send(None)
        watcher.join(timeout=10)
        if watcher.is_alive():
            watcher.terminate()
    return {"rounds": rounds, "saving_process_s": round(float(np.median(saving)), 3),
            "other_process_s": round(float(np.median(other)), 3),
            "other_process_max_s": round(max(other), 3),
            "other_first_search_s": round(float(np.median(first)), 3)}


def _watch_refreshes(root: Path, connection) -> None:
    """The second process: open the index, then for each ``(word, slug)`` received search
    for the word until ``slug`` is found, and send back when (``time.monotonic``, which is
    system-wide) and how long that search took."""
    from search.engine import Engine
    from search.index import IndexStore

    engine = Engine(IndexStore(root), processes=1)
    engine.search("password", locale="en")
    connection.send("ready")
    while (message := connection.recv()) is not None:
        word, slug = message
        if slug in [hit.slug for hit in engine.search(word, locale="en").hits]:
            raise RuntimeError(f"{word!r} finds {slug} before the refresh")
        connection.send("searching")
        while True:
            started = time.monotonic()
            hits = engine.search(word, locale="en").hits
            finished = time.monotonic()
            if slug in [hit.slug for hit in hits]:
                connection.send((finished, finished - started))
                break
            time.sleep(REFRESH_POLL_S)


def _whoosh_default(docs, queries, warm_up, folder: Path) -> dict:
    from search.index import plain_whoosh

    build_s, search = plain_whoosh(docs, folder)
    for text, locale in warm_up:
        search(text, locale)
    figures = percentiles(_time_each(search, queries))
    figures["build_s"] = round(build_s, 1)
    return figures


def _tfidf_alone(docs, queries, warm_up) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from search.ranking import top_indices

    started = time.perf_counter()
    vectorizer = TfidfVectorizer()
    by_term = vectorizer.fit_transform([f"{d.title} {d.text}" for d in docs]).T.tocsr()
    locales = np.array([d.locale for d in docs])
    build_s = time.perf_counter() - started

    def search(text, locale):
        query = vectorizer.transform([text])
        scores = np.asarray((query @ by_term).todense()).ravel()
        return top_indices(np.where(locales == locale, scores, 0), 10)

    for text, locale in warm_up:
        search(text, locale)
    figures = percentiles(_time_each(search, queries))
    figures["build_s"] = round(build_s, 1)
    return figures


def format_report(report: dict) -> str:
    """Return the report as a few human-readable lines."""
    lines = [f"{report['articles']} articles: build {report['build_s']} s, index "
             f"{report['index_mb']} MB, peak RSS {report['peak_rss_mb']} MB "
             f"(analysis workers {report['peak_rss_children_mb']} MB); a fresh serving "
             f"process: {report['serving_opened_rss_mb']} MB RSS once open, "
             f"{report['serving_rss_mb']} MB after the queries"]
    for name in ("search", "suggest"):
        figures = report[name]
        lines.append(f"  {name:8} p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  "
                     f"p99 {figures['p99_ms']} ms")
    if "refresh" in report:
        figures = report["refresh"]
        lines.append(f"  refresh  one article searchable in {figures['saving_process_s']} s in "
                     f"the saving process, {figures['other_process_s']} s in another "
                     f"(slowest {figures['other_process_max_s']} s; its reopening search "
                     f"{figures['other_first_search_s']} s; median of {figures['rounds']})")
    for name, figures in report["baselines"].items():
        lines.append(f"  baseline {name}: p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms"
                     f"  p99 {figures['p99_ms']} ms  build {figures['build_s']} s; our p50 is "
                     f"{figures['our_p50_ratio']}× its p50")
    return "\n".join(lines)
