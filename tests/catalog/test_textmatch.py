"""Text primitives: normalisation, tokens in three scripts, edit distance and its limits. No database."""

from __future__ import annotations

import pytest

from storefront.catalog import textmatch


def test_normalise_folds_case_width_and_latin_accents_but_keeps_hangul():
    assert textmatch.normalise("Crème BRÛLÉE") == "creme brulee"
    assert textmatch.normalise("ＡＢＣ１") == "abc1"  # full-width forms (NFKC)
    assert textmatch.normalise("바나나") == "바나나"  # NFD would split Hangul into jamo


def test_tokens_split_han_runs_into_characters_and_bigrams():
    assert textmatch.tokens("香蕉牛奶") == ["香", "蕉", "牛", "奶", "香蕉", "蕉牛", "牛奶"]


def test_tokens_keep_latin_and_hangul_words():
    assert textmatch.tokens("Sunny Banana-Milk 바나나 우유") == ["sunny", "banana", "milk", "바나나", "우유"]


def test_tokens_of_mixed_han_and_digits():
    assert textmatch.tokens("欧米伽3") == ["欧", "米", "伽", "欧米", "米伽", "3"]


@pytest.mark.parametrize(("word", "edits"), [("ab", 0), ("abc", 1), ("abcde", 1), ("abcdef", 2), ("牛奶", 0)])
def test_max_edits_grows_with_word_length(word, edits):
    assert textmatch.max_edits(word) == edits


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("banana", "banana", 0),
        ("bananna", "banana", 1),
        ("bananna", "bananas", 2),
        ("mikl", "milk", 1),
        ("", "abc", 3),
        ("kitten", "sitting", 3),
    ],
)
def test_edit_distance(a, b, distance):
    assert textmatch.edit_distance(a, b, 5) == distance


def test_edit_distance_stops_at_the_limit():
    assert textmatch.edit_distance("kitten", "sitting", 2) == 3  # limit + 1
    assert textmatch.edit_distance("a", "abcdefgh", 2) == 3  # length difference alone exceeds the limit


def test_deletes_is_the_symspell_neighbourhood():
    assert textmatch.deletes("abc", 1) == {"abc", "ab", "ac", "bc"}
    assert "a" in textmatch.deletes("abc", 2)


@pytest.mark.parametrize(
    ("word", "singular"),
    [
        ("bananas", "banana"),
        ("apples", "apple"),
        ("glass", None),
        ("bus", None),
        ("우유", None),
        ("milk", None),
    ],
)
def test_singular(word, singular):
    assert textmatch.singular(word) == singular
