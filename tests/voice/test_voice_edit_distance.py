"""The C edit distances (rapidfuzz) give exactly what the Python dynamic programmes they replaced gave."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storefront.catalog import textmatch
from storefront.voice import hangul

LETTERS = st.text(alphabet="ㄱㄴㄷㅏㅓㅗㅇabc", max_size=12)


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def osa(a: str, b: str) -> int:
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@settings(max_examples=400, deadline=None)
@given(LETTERS, LETTERS)
def test_jamo_edit_distance_is_levenshtein(a, b):
    assert hangul.edit_distance(a, b) == levenshtein(a, b)


@settings(max_examples=400, deadline=None)
@given(LETTERS, LETTERS, st.integers(min_value=0, max_value=3))
def test_typo_distance_is_osa_capped_at_limit_plus_one(a, b, limit):
    assert textmatch.edit_distance(a, b, limit) == min(osa(a, b), limit + 1)


def test_known_values():
    assert hangul.similarity("감자", "감지") > hangul.similarity("감자", "우유")
    assert textmatch.edit_distance("bananna", "banana", 2) == 1
    assert textmatch.edit_distance("milk", "mlik", 1) == 1  # a transposition is one edit


SYLLABLES = st.text(alphabet="사과감자우유바나초코 ", min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(SYLLABLES, st.lists(SYLLABLES, min_size=1, max_size=12, unique=True))
def test_close_matches_are_every_word_within_the_floor(text, words):
    """The one-pass lookup finds exactly the words a pairwise `similarity` loop finds, with the same scores."""
    expected = {w: hangul.similarity(text, w) for w in words if hangul.similarity(text, w) >= 0.5}
    found = dict(hangul.close_matches(text, tuple(words), 0.5))
    assert found.keys() == expected.keys()
    assert all(abs(found[w] - expected[w]) < 1e-9 for w in found)
