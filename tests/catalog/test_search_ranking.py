"""Search ranking and freshness, the same on both engines: each test runs on the database of the run (SQLite by
default) and again marked `postgres`, so the PostgreSQL run (DATABASE_URL=postgres://...) checks that backend.

The intended product comes first for typos, two-word queries and search-as-you-type prefixes; "Did you mean"
and "Showing results for" come from the same engine; the search documents follow every catalogue change with no
per-process index to rebuild.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from storefront.catalog import search
from storefront.catalog.models import Brand, Product, SearchDocument, SearchTerm

ENGINES = [
    pytest.param("database of the run", id="default"),
    pytest.param("postgresql", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=ENGINES)
def engine(request, db) -> str:
    """The backend under test: the one for the run's database, and the PostgreSQL one in the postgres run."""
    from storefront.catalog.search import postgres, sqlite

    expected = postgres.BACKEND if connection.vendor == "postgresql" else sqlite.BACKEND
    assert search.backend() is expected
    if request.param == "postgresql":
        assert connection.vendor == "postgresql"
    return connection.vendor


@pytest.fixture
def shop(engine, grocery, make_product):
    """The grocery catalogue plus near neighbours that a sloppy ranking would put first."""
    brand = grocery["Sunny Bananas"].brand
    for name in (
        "Sunny Banana Bread",
        "Sunny Bandages",
        "Sunny Chocolate Milk Powder",
        "Sunny Milk Chocolate",
    ):
        make_product(name, brand=brand, category=grocery["Sunny Bananas"].category)
    return grocery


def names(ids: list[int]) -> list[str]:
    by_id = dict(Product.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [by_id[pid] for pid in ids]


def test_typo_puts_the_intended_product_first(shop):
    found = names(search.search("bananna"))
    assert found[0].endswith(" Bananas")
    assert found.index("Sunny Bananas") < min(
        found.index("Sunny Banana Milk"), found.index("Sunny Banana Bread")
    )
    assert "Sunny Bandages" not in found[:9]


def test_transposition_and_missing_letter_find_the_product(shop):
    assert names(search.search("chcolate"))[0].endswith(" Chocolate")
    assert names(search.search("yougurt"))[0].endswith(" Yogurt")


def test_two_words_rank_the_product_with_both_first(shop):
    found = names(search.search("chocolate milk"))
    assert set(found[:3]) == {"Morning Chocolate Milk", "Ocean Chocolate Milk", "Sunny Chocolate Milk"}
    assert set(found[3:]) == {
        "Sunny Chocolate Milk Powder",
        "Sunny Milk Chocolate",
    }  # both words, longer names


def test_two_words_one_misspelt(shop):
    found = names(search.search("choclate milk"))
    assert found[0].endswith(" Chocolate Milk") and "Sunny Milk" not in found
    assert search.run("choclate milk").corrected == "chocolate milk"


def test_brand_and_item_narrow_to_the_product(shop):
    assert names(search.search("ocean bananas")) == ["Ocean Bananas", "Ocean Banana Milk"]


def test_brand_and_item_with_no_such_product_shows_the_item_first(shop):
    """Not every product of the brand: the item is what the shopper is after."""
    Product.objects.filter(name__startswith="Sunny Banana").delete()
    found = names(search.search("sunny bananas"))
    assert found[0] in {"Ocean Bananas", "Morning Bananas"}
    assert found.index("Morning Bananas") < found.index("Sunny Apples")


def test_a_brand_word_that_is_also_in_the_item_still_counts_for_the_item(engine, make_brand, make_product):
    field = make_brand("Green Field")
    make_product("Green Field Green Tea", brand=field)
    make_product("Green Field Black Tea", brand=field)
    make_product("Ocean Green Tea")
    assert set(names(search.search("green tea"))[:2]) == {"Green Field Green Tea", "Ocean Green Tea"}


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("ba", " Bananas"),
        ("ban", " Bananas"),
        ("banan", " Bananas"),
        ("choc", " Chocolate"),
        ("sunny ch", "Sunny Chocolate"),
        ("yog", " Yogurt"),
    ],
)
def test_search_as_you_type_prefixes(shop, typed, first):
    shown = names(search.suggestions(typed, limit=8))
    assert shown and len(shown) <= 8
    assert shown[0].endswith(first) or shown[0].startswith(first)
    assert search.run(typed).corrected is None


def test_did_you_mean_comes_from_the_same_engine_and_finds_something(shop):
    result = search.run("chocolatttte")  # three edits: beyond matching, within suggesting
    assert result.product_ids == [] and result.suggestion == "chocolate"
    assert names(search.search(result.suggestion))[0].endswith(" Chocolate")


def test_a_new_product_is_found_at_once(shop, make_product):
    assert search.search("durian") == []
    make_product("Ocean Durian")
    assert names(search.search("durien")) == ["Ocean Durian"]


def test_a_rolled_back_save_leaves_no_document(shop, make_product):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_product("Ocean Durian")
        raise RuntimeError
    assert search.search("durian") == []


def test_a_product_taken_off_sale_by_save_or_update_is_not_found(shop):
    bread = Product.objects.get(name="Sunny Banana Bread")
    bread.is_active = False
    bread.save()
    assert not SearchDocument.objects.filter(product=bread).exists()
    Product.objects.filter(name="Sunny Bandages").update(is_active=False)  # no signal: the query filters too
    assert "Sunny Bandages" not in names(search.search("bandages"))


def test_a_renamed_brand_is_found_by_its_new_name(shop, django_capture_on_commit_callbacks):
    brand = Brand.objects.get(name="Morning")
    with django_capture_on_commit_callbacks(execute=True):
        brand.name = "Dawn"
        brand.save()
    # The products keep their names ("Morning Milk"); their documents carry the brand's new name.
    assert set(names(search.search("dawn milk"))) == {
        "Morning Milk",
        "Morning Banana Milk",
        "Morning Chocolate Milk",
        "Morning Soy Milk",
    }


def test_words_no_product_uses_leave_the_vocabulary(shop, make_product):
    durian = make_product("Ocean Durian")
    assert search.run("durain").product_ids == [durian.pk]
    durian.name = "Ocean Mango"
    durian.save()
    assert not SearchTerm.objects.filter(word="durian").exists()
    assert search.run("duriann").suggestion is None


def test_bulk_loads_are_found_after_rebuild_search(shop):
    template = Product.objects.get(name="Sunny Apples")
    Product.objects.bulk_create(
        [
            Product(
                name="Sunny Quinces",
                slug="sunny-quinces",
                category=template.category,
                brand=template.brand,
                price=template.price,
            )
        ]
    )
    assert search.search("quinces") == []  # bulk_create sends no signals
    call_command("rebuild_search", stdout=open("/dev/null", "w"))
    assert names(search.search("quinse")) == ["Sunny Quinces"]
    assert SearchDocument.objects.count() == Product.objects.filter(is_active=True).count()


def test_no_catalogue_is_held_in_the_process(shop):
    """Search state lives in the database: the module holds no index, stamp or cached catalogue."""
    import storefront.catalog.search as module

    search.run("bananas")
    held = {
        name
        for name, value in vars(module).items()
        if not name.startswith("__") and isinstance(value, (dict, list, set, tuple)) and value
    }
    assert held == set()
