"""Text primitives for typo-tolerant search: normalisation, tokenising (Latin, Hangul, Han) and edit distance."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import OSA

_WORD = re.compile(r"[\w]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _fold_latin(ch: str) -> str:
    if ord(ch) >= 0x250:  # leave Hangul, Han, Arabic... untouched (NFD would split Hangul into jamo)
        return ch
    return "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")


def normalise(text: str) -> str:
    """Case-folded NFKC text with accents removed from Latin letters ("Crème" and "creme" match)."""
    return "".join(_fold_latin(ch) for ch in unicodedata.normalize("NFKC", text or "").casefold())


def tokens(text: str) -> list[str]:
    """Words of a text; runs of Han characters become their single characters and bigrams (no spaces in Chinese)."""
    out: list[str] = []
    for word in _WORD.findall(normalise(text)):
        if _HAN.search(word):
            chars = [c for c in word if _HAN.match(c)]
            out.extend(chars)
            out.extend(a + b for a, b in zip(chars, chars[1:]))
            rest = _HAN.sub(" ", word).split()
            out.extend(rest)
        else:
            out.append(word)
    return out


def singular(token: str) -> str | None:
    """A Latin word's singular when it looks like an English plural ("bananas" → "banana"), else None."""
    plural = len(token) > 3 and token.endswith("s") and not token.endswith("ss")
    if plural and token.isascii() and token.isalpha():
        return token[:-1]
    return None


def is_han(token: str) -> bool:
    return bool(_HAN.match(token))


def max_edits(token: str) -> int:
    """How many typos a query word may carry: none for very short words, more for longer ones."""
    if is_han(token) or len(token) <= 2:
        return 0
    if len(token) <= 5:
        return 1
    return 2


def deletes(word: str, depth: int) -> set[str]:
    """Every string reachable from `word` by deleting up to `depth` characters (SymSpell's neighbourhood)."""
    result = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - result
        result |= frontier
    return result


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (transpositions count once); returns limit+1 when over the limit.

    rapidfuzz's OSA (C++), with the same results as the Python dynamic programme it replaced."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    return OSA.distance(a, b, score_cutoff=limit)
