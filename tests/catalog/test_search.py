"""Search: typo tolerance, prefixes, three content languages, ranking, suggestions and hostile input."""

from __future__ import annotations

import random
import string
import time

import pytest

from storefront.catalog import search
from storefront.catalog.models import Product


def names(result_ids: list[int]) -> list[str]:
    by_id = dict(Product.objects.filter(pk__in=result_ids).values_list("pk", "name"))
    return [by_id[pid] for pid in result_ids]


def items(result_ids: list[int]) -> list[str]:
    """The item part of each name, without the brand ("Sunny Bananas" → "Bananas")."""
    return [name.split(" ", 1)[1] for name in names(result_ids)]


def test_misspelt_banana_finds_bananas_first(grocery):
    found = items(search.search("bananna"))
    assert found[:3] == ["Bananas"] * 3
    assert set(found) == {"Bananas", "Banana Milk"}


def test_prefix_choco_finds_chocolate_first(grocery):
    found = items(search.search("choco"))
    assert found[:3] == ["Chocolate"] * 3
    assert set(found) == {"Chocolate", "Chocolate Milk"}


def test_korean_query_finds_milk(grocery):
    found = set(items(search.search("우유")))
    assert found == {"Milk", "Banana Milk", "Chocolate Milk"}


def test_chinese_query_finds_milk_and_not_beef(grocery):
    found = items(search.search("牛奶"))
    assert set(found) == {"Milk", "Banana Milk", "Chocolate Milk"}
    assert found[:3] == ["Milk"] * 3  # the plain item ranks above the flavoured ones


def test_chinese_single_character_shared_by_two_words(grocery):
    # 牛 is in 牛奶 (milk) and 牛肉 (beef); 牛肉 must find only beef.
    assert set(items(search.search("牛肉"))) == {"Beef"}


def test_korean_brand_and_item_together_narrow_to_one_product(grocery):
    assert names(search.search("햇살 바나나")) == ["Sunny Bananas", "Sunny Banana Milk"]


def test_every_query_word_must_match_when_some_product_matches_all(grocery):
    assert names(search.search("ocean milk")) == [
        "Ocean Milk",
        "Ocean Banana Milk",
        "Ocean Chocolate Milk",
        "Ocean Soy Milk",
    ]


def test_category_words_find_products_but_rank_below_name_matches(grocery):
    found = items(search.search("fruit"))
    assert set(found) == {"Bananas", "Apples", "Oranges"}


def test_case_and_accents_are_ignored(grocery, make_product):
    make_product("Crème Brûlée")
    assert names(search.search("CREME brulee")) == ["Crème Brûlée"]


def test_singular_query_finds_plural_name(grocery):
    assert set(items(search.search("apple"))) == {"Apples"}


def test_nonsense_word_gives_no_results_and_no_suggestion(grocery):
    result = search.run("xyzzyq")
    assert result.product_ids == []
    assert result.suggestion is None


def test_too_distant_word_gives_no_results_but_did_you_mean(grocery):
    result = search.run("yoghurrrt")  # three edits from "yogurt": beyond matching, within suggesting
    assert result.product_ids == []
    assert result.suggestion == "yogurt"


def test_suggestion_is_never_a_folded_plural(grocery):
    # "orangezzz" is three edits from "oranges" and from its folded form "orange": offer only real words.
    result = search.run("orangezzz")
    assert result.product_ids == []
    assert result.suggestion == "oranges"


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("mlk", True),  # 3 letters: one edit allowed (insert)
        ("ygrt", False),  # 4 letters, two edits from "yogurt": too many
        ("yogrt", True),  # 5 letters, one edit
        ("yoghurrt", True),  # 8 letters, two edits
        ("yoghurrrt", False),  # three edits
        ("mi", True),  # two letters: prefix only, no typos
        ("mil", True),  # three letters: prefix of "milk"
        ("lk", False),  # not the start of any word
        ("mkl", False),  # three letters: no word starts so, and "milk" is two edits away
    ],
)
def test_edit_distance_and_prefix_limits(grocery, query, finds):
    assert bool(search.search(query)) is finds


def test_transposed_letters_count_as_one_edit(grocery):
    assert set(items(search.search("mikl"))) >= {"Milk"}


def test_empty_and_whitespace_queries_return_nothing(grocery):
    assert search.run("").product_ids == []
    assert search.run("   \t ").product_ids == []
    assert search.run("!!! ???").product_ids == []


def test_over_long_query_is_cut_not_crashed(grocery):
    query = "bananas " * 10_000
    assert len(search.clean_query(query)) == search.MAX_QUERY_LENGTH
    found = items(search.search(query))
    assert found[:3] == ["Bananas"] * 3


def test_long_random_query_answers_quickly(grocery):
    rng = random.Random(7)
    query = "".join(rng.choice(string.ascii_lowercase) for _ in range(5000))
    search.run("warm")  # the first query pays for connection set-up
    started = time.perf_counter()
    result = search.run(query)
    assert time.perf_counter() - started < 2.0
    assert result.product_ids == []


def test_many_words_are_capped(grocery):
    query = " ".join(f"w{i}" for i in range(100)) + " bananas"
    search.run(query)  # must not raise; words past the cap are ignored
    assert len(search.clean_query(query)) <= search.MAX_QUERY_LENGTH


def test_inactive_products_are_not_found(grocery):
    Product.objects.filter(name__contains="Bananas").update(is_active=False)
    assert set(items(search.search("bananas"))) == {"Banana Milk"}


def test_index_is_rebuilt_when_the_catalogue_changes(grocery):
    assert search.search("kumquat") == []
    grocery["Sunny Apples"].name = "Sunny Kumquats"
    grocery["Sunny Apples"].save()
    assert names(search.search("kumquat")) == ["Sunny Kumquats"]


def test_suggestions_are_capped(grocery):
    assert len(search.suggestions("milk", limit=2)) == 2
    assert search.suggestions("milk")[:1] == search.search("milk")[:1]


def test_one_and_two_letter_queries_match_word_starts(grocery):
    found = items(search.search("a"))  # "Apples" by name first, then "Dairy and Eggs" by category
    assert set(found[:3]) == {"Apples"} and "Bananas" not in found
    assert set(items(search.search("ch"))) == {"Chocolate", "Chocolate Milk", "Potato Chips"}
    assert search.run("a").suggestion is None


def test_short_queries_never_suggest_numbers_or_tiny_words(grocery, make_product):
    make_product("Sunny 3 Pack Batteries")
    result = search.run("q")
    assert result.product_ids == [] and result.suggestion is None
    assert search.run("zq").suggestion is None
    assert search.run("8").suggestion is None


def test_typo_search_reports_what_it_was_read_as(grocery):
    assert search.run("bananna").corrected == "banana"  # the word both "Bananas" and "Banana Milk" share
    assert search.run("sunny yoghurt").corrected == "sunny yogurt"


def test_exact_and_prefix_searches_report_no_correction(grocery):
    assert search.run("bananas").corrected is None
    assert search.run("choco").corrected is None
    assert search.run("우유").corrected is None
