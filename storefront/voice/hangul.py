"""Hangul letters (jamo) and edit distance, so near-miss recognitions can be matched to catalogue words.

Comparing syllables would make 감/갑 as different as 감/꽃; comparing letters makes them one edit apart.
The edit distance is rapidfuzz's Levenshtein (C++): the same numbers as the Python dynamic programme it replaced,
about 20x faster on these short strings (bench figures in the commit that switched).
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

_S_BASE, _S_COUNT = 0xAC00, 11172
_LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_TAILS = (
    "",
    "ㄱ",
    "ㄲ",
    "ㄳ",
    "ㄴ",
    "ㄵ",
    "ㄶ",
    "ㄷ",
    "ㄹ",
    "ㄺ",
    "ㄻ",
    "ㄼ",
    "ㄽ",
    "ㄾ",
    "ㄿ",
    "ㅀ",
    "ㅁ",
    "ㅂ",
    "ㅄ",
    "ㅅ",
    "ㅆ",
    "ㅇ",
    "ㅈ",
    "ㅊ",
    "ㅋ",
    "ㅌ",
    "ㅍ",
    "ㅎ",
)


@lru_cache(maxsize=20000)
def jamo(text: str) -> str:
    """Letters of `text` without spaces: Hangul syllables split into lead, vowel and tail letters."""
    out = []
    for ch in text.lower():
        code = ord(ch) - _S_BASE
        if 0 <= code < _S_COUNT:
            out.append(_LEADS[code // 588])
            out.append(_VOWELS[(code % 588) // 28])
            out.append(_TAILS[code % 28])
        elif not ch.isspace():
            out.append(ch)
    return "".join(out)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions and substitutions, each one edit)."""
    return Levenshtein.distance(a, b)


@lru_cache(maxsize=200000)
def similarity(a: str, b: str) -> float:
    """1.0 for the same letters, falling towards 0 with the share of letter edits (on jamo strings)."""
    ja, jb = jamo(a), jamo(b)
    if not ja or not jb:
        return 0.0
    return 1.0 - edit_distance(ja, jb) / max(len(ja), len(jb))


@lru_cache(maxsize=64)
def _letters(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(jamo(w) for w in words)


def close_matches(text: str, words: tuple[str, ...], floor: float) -> list[tuple[str, float]]:
    """The `words` whose `similarity` to `text` is at least `floor`, with it: one C++ pass over the list (a
    catalogue of 100,000 products has thousands of items; a Python loop over them cost tens of ms per phrase)."""
    letters = jamo(text)
    if not letters:
        return []
    found = process.extract(
        letters, _letters(words), scorer=Levenshtein.normalized_similarity, score_cutoff=floor, limit=None
    )
    return [(words[index], float(score)) for _choice, score, index in found]
