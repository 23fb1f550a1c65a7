"""Catalogue models: database constraints and the rating kept on the product by signals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from storefront.catalog.models import Product, Review


@pytest.mark.parametrize("price", ["0", "-1.00"])
def test_product_price_must_be_positive_in_the_database(make_product, price):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_product("Free Lunch", price=price)
    assert not Product.objects.filter(name="Free Lunch").exists()


def test_product_price_update_to_zero_is_refused(product):
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(price=Decimal("0"))
    product.refresh_from_db()
    assert product.price == Decimal("3.50")


def test_product_price_validator_reports_a_field_error(product):
    product.price = Decimal("0")
    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()
    assert "price" in excinfo.value.message_dict


def test_stock_can_never_go_negative_in_the_database(product):
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=-1)
    product.refresh_from_db()
    assert product.stock == 5


def test_one_review_per_user_per_product(product, user, make_review):
    make_review(product, user, 4)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_review(product, user, 5)
    assert Review.objects.filter(product=product, user=user).count() == 1


def test_the_same_user_may_review_different_products(make_product, user, make_review):
    first, second = make_product(), make_product()
    make_review(first, user, 4)
    make_review(second, user, 2)
    assert Review.objects.filter(user=user).count() == 2


@pytest.mark.parametrize("rating", [0, 6])
def test_review_rating_is_between_1_and_5_in_the_database(product, user, make_review, rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_review(product, user, rating)


def test_rating_is_denormalised_on_create_update_and_delete(product, make_user, make_review):
    assert (product.rating_average, product.rating_count) == (Decimal("0"), 0)
    first = make_review(product, make_user(), 5)
    make_review(product, make_user(), 4)
    make_review(product, make_user(), 4)
    product.refresh_from_db()
    assert product.rating_count == 3
    assert product.rating_average == Decimal("4.33")

    first.rating = 1
    first.save()
    product.refresh_from_db()
    assert product.rating_average == Decimal("3.00")

    first.delete()
    product.refresh_from_db()
    assert (product.rating_average, product.rating_count) == (Decimal("4.00"), 2)

    Review.objects.filter(product=product).delete()  # queryset delete sends post_delete per row
    product.refresh_from_db()
    assert (product.rating_average, product.rating_count) == (Decimal("0"), 0)


def test_rating_of_one_product_does_not_touch_another(make_product, user, make_review):
    reviewed, untouched = make_product(), make_product()
    make_review(reviewed, user, 2)
    untouched.refresh_from_db()
    assert untouched.rating_count == 0


def test_translated_names_fall_back_to_english(product):
    from django.utils import translation

    with translation.override("ko"):
        assert product.display_name == "햇살 사과"
        assert product.display_description == product.description  # no Korean description: English
    with translation.override("zh-hans"):
        assert product.display_name == "阳光苹果"
    with translation.override("ar"):
        assert product.display_name == "Sunny Apples"


def test_picture_description_is_in_the_readers_language(product):
    from django.utils import translation

    product.image_alt = "Apples in Sunny packaging"
    product.image_alt_ko = "햇살 포장의 사과"
    with translation.override("ko"):
        assert product.display_image_alt == "햇살 포장의 사과"
    with translation.override("en"):
        assert product.display_image_alt == "Apples in Sunny packaging"
    # No Chinese description: the Chinese name says more to a Chinese reader than an English sentence
    with translation.override("zh-hans"):
        assert product.display_image_alt == "阳光苹果"
    # No Arabic description or name: the English description, as every other field falls back
    with translation.override("ar"):
        assert product.display_image_alt == "Apples in Sunny packaging"
        product.image_alt = ""
        assert product.display_image_alt == "Sunny Apples"  # no description at all: the product's name


def test_selling_points_are_one_per_line(product):
    product.selling_points = "Fresh\n\n  Crisp  \n"
    assert product.display_selling_points == ["Fresh", "Crisp"]


def test_for_listing_excludes_inactive_products(make_product):
    on_sale, withdrawn = make_product(), make_product(is_active=False)
    listed = set(Product.objects.for_listing())
    assert on_sale in listed and withdrawn not in listed
