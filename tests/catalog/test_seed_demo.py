"""`seed_demo`: deterministic and idempotent, and its catalogue answers the searches the shop promises."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from storefront.catalog import search
from storefront.catalog.models import Brand, Category, Product, Review, SearchDocument, SearchTerm


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--no-images", *args, stdout=out)
    return out.getvalue()


def test_seed_is_idempotent_and_keeps_merchant_edits(db):
    seed("--limit", "30", "--no-reviews")
    assert Product.objects.count() == 30
    first = dict(Product.objects.values_list("slug", "price"))
    edited = Product.objects.order_by("id").first()
    Product.objects.filter(pk=edited.pk).update(stock=777)
    seed("--limit", "30", "--no-reviews")
    assert Product.objects.count() == 30
    assert dict(Product.objects.values_list("slug", "price")) == first
    assert Product.objects.get(pk=edited.pk).stock == 777
    assert Category.objects.filter(slug="fruit").count() == 1
    assert Brand.objects.count() == 8
    # bulk_create sends no signals: the seed writes every search document and the vocabulary itself.
    assert SearchDocument.objects.count() == 30
    assert SearchTerm.objects.filter(
        word=Product.objects.order_by("id").first().name.split()[-1].lower()
    ).exists()


def test_prices_are_positive_and_stock_never_negative(db):
    seed("--limit", "200", "--no-reviews")
    assert not Product.objects.filter(price__lte=0).exists()
    assert not Product.objects.filter(stock__lt=0).exists()


def test_full_demo_catalogue_answers_the_promised_searches(db):
    out = seed()
    assert Product.objects.count() >= 1000
    assert "Demo catalogue ready" in out
    # Reviews: denormalised ratings match the review rows.
    reviewed = Product.objects.filter(rating_count__gt=0).first()
    assert reviewed.rating_count == Review.objects.filter(product=reviewed).count()

    def item_names(query: str) -> list[str]:
        ids = search.search(query)
        by_id = dict(Product.objects.filter(pk__in=ids).values_list("pk", "name"))
        return [by_id[pid] for pid in ids]

    bananas = item_names("bananna")
    assert bananas and all(name.endswith("Bananas") for name in bananas[:7])
    choco = item_names("choco")
    assert choco and all(name.endswith("Chocolate") for name in choco[:7])
    milk_ko = item_names("우유")
    assert milk_ko and all("Milk" in name for name in milk_ko)
    milk_zh = item_names("牛奶")
    assert milk_zh and all("Milk" in name for name in milk_zh)
    assert search.run("qwxzvbnm").product_ids == []


def test_pictures_are_named_by_the_seed_and_drawn_on_first_request(db, settings, client):
    from pathlib import Path

    call_command("seed_demo", "--limit", "2", "--no-reviews", stdout=StringIO())
    product = Product.objects.order_by("id").first()
    variants = product.image_variants
    assert variants["width"] == variants["height"] == 640
    files = [Path(settings.MEDIA_ROOT) / path for fmt in ("webp", "jpeg") for path in variants[fmt].values()]
    assert len(files) == 6 and not any(f.exists() for f in files)  # the seed draws nothing
    response = client.get(f"/media/{variants['webp']['320']}")
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    assert all(f.is_file() for f in files)  # one request drew every size, cached in MEDIA_ROOT
    assert not Path(settings.MEDIA_ROOT).resolve().is_relative_to(settings.BASE_DIR)  # the per-test temp dir
    call_command("seed_demo", "--limit", "2", "--no-reviews", stdout=StringIO())
    product.refresh_from_db()
    assert product.image_variants == variants  # not renamed


def test_unknown_or_forged_demo_picture_paths_are_404(db, client):
    call_command("seed_demo", "--limit", "1", "--no-reviews", stdout=StringIO())
    path = Product.objects.get().image_variants["webp"]["160"]
    slug = path.split("/")[-1].rsplit("-", 2)[0]
    assert client.get(f"/media/{path.replace(slug, 'no-such-product')}").status_code == 404
    assert client.get(f"/media/{path.replace(path.rsplit('-', 2)[1], '0' * 10)}").status_code == 404
    assert client.get("/media/products/demo/../../settings.py").status_code == 404


def test_draw_images_draws_every_picture_now(db, settings):
    from pathlib import Path

    call_command("seed_demo", "--limit", "3", "--no-reviews", "--draw-images", stdout=StringIO())
    paths = [
        path
        for variants in Product.objects.values_list("image_variants", flat=True)
        for fmt in ("webp", "jpeg")
        for path in variants[fmt].values()
    ]
    assert len(paths) == 18 and all((Path(settings.MEDIA_ROOT) / p).is_file() for p in paths)
