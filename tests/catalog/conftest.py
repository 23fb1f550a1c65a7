"""A small grocery catalogue in three languages, shaped like the demo data, for search and listing tests."""

from __future__ import annotations

import pytest

# (category (en, zh, ko), item (en, zh, ko))
ITEMS = [
    (("Fruit", "水果", "과일"), ("Bananas", "香蕉", "바나나")),
    (("Fruit", "水果", "과일"), ("Apples", "苹果", "사과")),
    (("Fruit", "水果", "과일"), ("Oranges", "橙子", "오렌지")),
    (("Dairy and Eggs", "乳制品和鸡蛋", "유제품"), ("Milk", "牛奶", "우유")),
    (("Dairy and Eggs", "乳制品和鸡蛋", "유제품"), ("Banana Milk", "香蕉牛奶", "바나나 우유")),
    (("Dairy and Eggs", "乳制品和鸡蛋", "유제품"), ("Chocolate Milk", "巧克力牛奶", "초코 우유")),
    (("Dairy and Eggs", "乳制品和鸡蛋", "유제품"), ("Yogurt", "酸奶", "요구르트")),
    (("Dairy and Eggs", "乳制品和鸡蛋", "유제품"), ("Soy Milk", "豆浆", "두유")),
    (("Snacks", "零食", "과자"), ("Chocolate", "巧克力", "초콜릿")),
    (("Snacks", "零食", "과자"), ("Potato Chips", "薯片", "감자칩")),
    (("Meat and Fish", "肉类和海鲜", "고기 생선"), ("Beef", "牛肉", "소고기")),
    (("Kitchen", "厨房用品", "주방"), ("Frying Pan", "煎锅", "프라이팬")),
]
BRANDS = [("Sunny", "阳光", "햇살"), ("Ocean", "海洋", "바다"), ("Morning", "早晨", "아침")]


@pytest.fixture
def grocery(db, make_category, make_brand, make_product):
    """Every item from every brand: {"Sunny Bananas": product, ...}."""
    categories, brands, products = {}, [], {}
    for en, zh, ko in BRANDS:
        brands.append(make_brand(en, name_zh_hans=zh, name_ko=ko))
    price = 1
    for (cat_en, cat_zh, cat_ko), (en, zh, ko) in ITEMS:
        if cat_en not in categories:
            categories[cat_en] = make_category(cat_en, name_zh_hans=cat_zh, name_ko=cat_ko)
        for brand in brands:
            name = f"{brand.name} {en}"
            price += 1
            products[name] = make_product(
                name,
                category=categories[cat_en],
                brand=brand,
                price=f"{price}.49",
                stock=price % 7,
                name_zh_hans=f"{brand.name_zh_hans}{zh}",
                name_ko=f"{brand.name_ko} {ko}",
            )
    return products
