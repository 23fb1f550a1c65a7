"""The demo catalogue in all four languages: Arabic names, descriptions, selling points and picture descriptions
from translated parts, specification rows and seeded reviews in every language (reviews labelled with theirs),
Korean category names as shops write them, the admin's missing-translation marker and order lines in the reader's
language."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from storefront.catalog import demo_data
from storefront.catalog.models import Category, Product, Review
from storefront.catalog.translated import term


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--no-images", "--limit", "20", stdout=StringIO())


def test_every_demo_word_has_all_four_languages():
    for words in [
        *demo_data.BRANDS,
        *(c.name for c in demo_data.CATEGORIES),
        *(i for c in demo_data.CATEGORIES for i in c.items),
    ]:
        assert all(words), words
        assert any("\u0600" <= ch <= "\u06ff" for ch in words.ar), words
    for _category in demo_data.CATEGORIES:
        for name, values in _category.specs:
            for text in (name, *values):
                with translation.override("ar"):
                    # only amounts with a unit symbol ("500 g", "1200 W") and sizes ("XL") stay as they are
                    assert term(text) != text or re.fullmatch(r"[\d.]+ (?:g|kg|ml|l|W)|S|M|L|XL", text), text


def test_korean_category_names_read_as_shops_write_them():
    korean = {c.slug: c.name.ko for c in demo_data.CATEGORIES}
    assert korean["fruit"] == "과일" and korean["clothing"] == "의류"
    assert korean["rice-noodles"] == "쌀·면" and korean["meat-fish"] == "육류·생선"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ko", [("원산지", "뉴질랜드"), ("포장 단위", "6병"), ("중량", "500 g")]),
        ("zh-hans", [("产地", "新西兰"), ("包装", "6 瓶"), ("重量", "500 g")]),
        ("ar", [("المنشأ", "نيوزيلندا"), ("العبوة", "6 زجاجات"), ("الوزن", "500 g")]),
        ("en", [("Origin", "New Zealand"), ("Pack", "6 bottles"), ("Weight", "500 g")]),
    ],
)
def test_specification_rows_are_in_the_readers_language(language, expected):
    product = Product(specifications=[["Origin", "New Zealand"], ["Pack", "6 bottles"], ["Weight", "500 g"]])
    with translation.override(language):
        assert product.display_specifications == expected


def test_seeded_products_are_complete_in_arabic(seeded):
    product = Product.objects.select_related("category", "brand").order_by("id").first()
    assert product.name_ar and product.description_ar and product.selling_points_ar
    assert product.missing_languages == []
    assert Category.objects.get(slug="fruit").name_ar == "الفواكه"
    with translation.override("ar"):
        assert "إرجاع مجاني خلال 30 يومًا" in product.display_selling_points
        assert product.category.display_name == "الفواكه" and product.brand.display_name
    languages = set(Review.objects.values_list("language", flat=True))
    assert languages == {"en", "zh-hans", "ko", "ar"}
    korean = Review.objects.filter(language="ko").first()
    assert korean.title in {title for title, _body in demo_data.REVIEWS["ko"]}


def test_seeded_pictures_are_described_in_every_language(seeded):
    apples = Product.objects.get(slug="sunny-apples")
    assert apples.image_alt == "Apples in Sunny packaging"
    assert apples.image_alt_zh_hans == "阳光包装的苹果"
    assert apples.image_alt_ko == "썬샤인 포장의 사과"
    assert apples.image_alt_ar == "تفاح في عبوة مشمس"
    for field in ("image_alt", "image_alt_zh_hans", "image_alt_ko", "image_alt_ar"):
        assert not Product.objects.filter(**{field: ""}).exists(), field
    with translation.override("ko"):
        assert apples.display_image_alt == "썬샤인 포장의 사과"


def test_reviews_are_labelled_with_their_language(client, product, make_review, make_user):
    make_review(
        product, make_user("minji", first_name="민지"), 5, title="좋아요", body="맛있어요.", language="ko"
    )
    client.cookies["django_language"] = "en"
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'lang="ko">좋아요</h3>' in html and "Written in Korean" in html
    client.cookies["django_language"] = "ar"
    assert "Written in Korean" not in client.get(product.get_absolute_url()).content.decode()


def test_a_review_is_stored_in_the_language_it_was_written_in(
    user_client, user, product, place, make_saved_card
):
    from storefront.checkout import payments

    order, _ = place((product, 1))
    payments.collect(order, make_saved_card(user, is_default=True).token)
    user_client.cookies["django_language"] = "ko"
    user_client.post(
        reverse("catalog:review", args=[product.slug]),
        {"rating": 5, "title": "좋아요", "body": "아주 좋아요."},
    )
    assert Review.objects.get(user=user).language == "ko"


def test_the_admin_marks_missing_translations(admin_client, product):
    html = admin_client.get(reverse("admin:catalog_product_change", args=[product.pk])).content.decode()
    assert (
        "translation-missing" in html
        and "Missing: shoppers reading this language see the English text." in html
    )
    listing = admin_client.get(reverse("admin:catalog_product_changelist") + "?missing=ar").content.decode()
    assert product.name in listing and "Arabic" in listing


def _input(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert found, name
    return found.group(0)


def test_the_admin_edits_picture_descriptions_per_language_and_marks_missing_ones(admin_client, product):
    url = reverse("admin:catalog_product_change", args=[product.pk])
    html = admin_client.get(url).content.decode()
    # no picture, no description: nothing falls back to English, so nothing is marked missing
    assert "translation-missing" not in _input(html, "image_alt_ar")
    Product.objects.filter(pk=product.pk).update(
        image_alt="Apples in Sunny packaging", image_alt_ko="햇살 포장의 사과"
    )
    html = admin_client.get(url).content.decode()
    assert "translation-missing" in _input(html, "image_alt_ar")
    assert "translation-missing" in _input(html, "image_alt_zh_hans")
    assert "translation-missing" not in _input(html, "image_alt_ko")


def test_a_missing_picture_description_is_a_missing_translation():
    complete = {
        f"{field}{suffix}": "x"
        for field in ("name", "description", "image_alt")
        for suffix in ("", "_zh_hans", "_ko", "_ar")
    }
    assert Product(**complete).missing_languages == []
    assert Product(**{**complete, "image_alt_ko": ""}).missing_languages == ["ko"]
    no_picture = {name: value for name, value in complete.items() if not name.startswith("image_alt")}
    assert Product(**no_picture).missing_languages == []


def test_order_lines_show_the_readers_language(db, place, product):
    order, _ = place((product, 1))
    line = order.lines.get()
    with translation.override("ko"):
        assert line.display_name == "햇살 사과"
    assert line.product_name == "Sunny Apples"
    line.product = None
    assert line.display_name == "Sunny Apples"  # a deleted product keeps the recorded name


def test_a_picture_needs_its_english_description_and_translations_may_follow(product):
    from django.forms.models import model_to_dict

    from storefront.catalog.admin import ProductAdminForm

    product.image_variants = {"jpeg": {"320": "products/a-320.jpg"}}
    data = {key: value for key, value in model_to_dict(product).items() if value is not None}
    data["specifications"] = "[]"
    form = ProductAdminForm(data={**data, "image_alt": ""}, instance=product)
    assert not form.is_valid() and "image_alt" in form.errors
    form = ProductAdminForm(data={**data, "image_alt": "Apples in Sunny packaging"}, instance=product)
    # the Chinese, Korean and Arabic ones are marked missing, not required
    assert form.is_valid(), form.errors
