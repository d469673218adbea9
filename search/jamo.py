"""Hangul as the keys of a 2-beolsik keyboard: decompose, compose, initials, QWERTY mapping.

A syllable is typed as its initial, medial and final jamo, and a compound vowel or final
cluster takes two keys (ㅘ = ㅗ ㅏ, ㄺ = ㄹ ㄱ), so ``to_keystrokes`` splits them: then
an unfinished syllable is a plain prefix (로그ㅇ = ㄹㅗㄱㅡㅇ, a prefix of 로그인's keys)
and a typo is one edit.
The one thing to know: the arithmetic is Unicode's (0xAC00 + (initial * 21 + medial) * 28 +
final); no library is needed for it.
"""

from __future__ import annotations

CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSEONG = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ",
             "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")
_COMPOUNDS = {
    "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ",
    "ㅢ": "ㅡㅣ", "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ",
    "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
}
"""Jamo typed with two keys on a 2-beolsik keyboard (ㄲ, ㅆ, ㅒ ... are one shifted key)."""
_JOINED = {keys: jamo for jamo, keys in _COMPOUNDS.items()}

QWERTY = dict(zip("qwertyuiop" "asdfghjkl" "zxcvbnm",
                  "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ" "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ" "ㅋㅌㅊㅍㅠㅜㅡ", strict=True))
QWERTY.update(zip("QWERTOP", "ㅃㅉㄸㄲㅆㅒㅖ", strict=True))
"""The 2-beolsik layout: which jamo each QWERTY key types (shift gives the doubled ones)."""



def _syllable_keys(code: int) -> str:
    offset = code - 0xAC00
    initial, medial, final = offset // 588, offset // 28 % 21, offset % 28
    return (CHOSEONG[initial] + _COMPOUNDS.get(JUNGSEONG[medial], JUNGSEONG[medial])
            + _COMPOUNDS.get(JONGSEONG[final], JONGSEONG[final]))


_KEYSTROKES = {code: _syllable_keys(code) for code in range(0xAC00, 0xD7A4)}
_KEYSTROKES.update({ord(jamo): keys for jamo, keys in _COMPOUNDS.items()})
_INITIALS = {code: CHOSEONG[(code - 0xAC00) // 588] for code in range(0xAC00, 0xD7A4)}
_VOWELS = frozenset(JUNGSEONG)
CONSONANTS = frozenset("ㄱㄲㄳㄴㄵㄶㄷㄸㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅃㅄㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
_FINALS = frozenset(JONGSEONG[1:])


def to_keystrokes(text: str) -> str:
    """Return the 2-beolsik keys that type ``text``; other characters are kept as they are.

    >>> to_keystrokes("환불"), to_keystrokes("닭"), to_keystrokes("로그ㅇ")
    ('ㅎㅗㅏㄴㅂㅜㄹ', 'ㄷㅏㄹㄱ', 'ㄹㅗㄱㅡㅇ')
    """
    return text.translate(_KEYSTROKES)


def initials(text: str) -> str:
    """Return the initial consonant (초성) of every syllable; other characters are kept.

    >>> initials("비밀번호")
    'ㅂㅁㅂㅎ'
    """
    return text.translate(_INITIALS)


def qwerty_to_keystrokes(word: str) -> str | None:
    """Map Latin letters typed in English mode to the jamo keys they meant; ``None`` if not letters.

    >>> compose(qwerty_to_keystrokes("fhrmdls"))
    '로그인'
    """
    if not word or not all(char in QWERTY or char.lower() in QWERTY for char in word):
        return None
    return "".join(QWERTY.get(char) or QWERTY[char.lower()] for char in word)


def compose(keys: str) -> str:
    """Compose keystroke jamo into syllables as a 2-beolsik input method does.

    A consonant after a vowel closes the syllable unless a vowel follows it; unfinished
    pieces stay as jamo.

    >>> compose("ㄹㅗㄱㅡㅇㅣㄴ"), compose("ㄷㅏㄹㄱㅇㅣ"), compose("ㅎㅗㅏㄴㅂ")
    ('로그인', '닭이', '환ㅂ')
    """
    out: list[str] = []
    i, n = 0, len(keys)
    while i < n:
        char = keys[i]
        if char in CHOSEONG and i + 1 < n and keys[i + 1] in _VOWELS:
            vowel, i = _take_vowel(keys, i + 1)
            final = ""
            if i < n and keys[i] in _FINALS and not _vowel_at(keys, i + 1):
                final, i = keys[i], i + 1
                cluster = _JOINED.get(final + keys[i]) if i < n else None
                if cluster in _FINALS and not _vowel_at(keys, i + 1):
                    final, i = cluster, i + 1
            code = 0xAC00 + (CHOSEONG.index(char) * 21 + JUNGSEONG.index(vowel)) * 28
            out.append(chr(code + JONGSEONG.index(final)))
        elif char in _VOWELS:
            vowel, i = _take_vowel(keys, i)
            out.append(vowel)
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _take_vowel(keys: str, i: int) -> tuple[str, int]:
    vowel = keys[i]
    joined = _JOINED.get(vowel + keys[i + 1]) if i + 1 < len(keys) else None
    if joined in _VOWELS:
        return joined, i + 2
    return vowel, i + 1


def _vowel_at(keys: str, i: int) -> bool:
    return i < len(keys) and keys[i] in _VOWELS
