"""`manage.py seed_demo`: the deterministic, idempotent demo shop: catalogue (1,000+ products in 14 categories),
destinations and the demo shopper with a delivered order (so the command lives in checkout, the highest layer
it needs).

Running it twice changes nothing; products are keyed by slug. Rows are written in bulk; pictures are drawn
lazily by the media view on their first request (catalog/demo_images.py) unless `--draw-images` asks for all of
them now (in parallel). Long steps show a progress bar on a terminal and stay quiet otherwise.
"""

from __future__ import annotations

import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from tqdm import tqdm

from storefront.catalog import demo_data, demo_images, translated, version
from storefront.catalog.models import Brand, Category, Product, Review
from storefront.catalog.search import documents as search_documents
from storefront.markets.models import load_demo_destinations, load_demo_duty_rules

SEED = 20261122
BRANDS_PER_ITEM = 7
DEMO_USERNAME = "shopper"
DEMO_PASSWORD = "basket-demo-2026"


def _price(rng: random.Random, category_index: int) -> Decimal:
    base = [3, 2, 3, 12, 4, 2, 3, 5, 25, 18, 8, 30, 45, 20][category_index % 14]
    cents = Decimal(rng.randint(0, base * 300)) / 100
    return (Decimal(base) + cents).quantize(Decimal("1")) - Decimal("0.01")


# Field suffix, index in Words/PHRASES, language for `translated.term`.
_LANGUAGES = (("", 0, "en"), ("_zh_hans", 1, "zh-hans"), ("_ko", 2, "ko"), ("_ar", 3, "ar"))


def _texts(
    brand: demo_data.Words, item: demo_data.Words, category: demo_data.Words, specs: list[list[str]]
) -> dict[str, str]:
    """Description, selling points and picture description in every content language, from the translated
    parts."""
    out = {}
    for suffix, index, language in _LANGUAGES:
        parts = {
            "brand": brand[index],
            "item": item[index],
            "category": category[index].lower() if index == 0 else category[index],
        }
        phrase = {key: texts[index].format(**parts) for key, texts in demo_data.PHRASES.items()}
        spec_line = f"{translated.term(specs[0][0], language)}: {translated.term(specs[0][1], language)}"
        out[f"description{suffix}"] = phrase["description"]
        out[f"selling_points{suffix}"] = "\n".join([phrase["quality"], phrase["returns"], spec_line])
        out[f"image_alt{suffix}"] = phrase["image_alt"]
    return out


class Command(BaseCommand):
    help = "Create or refresh the demo catalogue (idempotent, deterministic)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-images", action="store_true", help="Give products no pictures at all.")
        parser.add_argument(
            "--draw-images",
            action="store_true",
            help="Draw every picture now, in parallel, instead of on its first request.",
        )
        parser.add_argument("--limit", type=int, default=0, help="Only the first N products (tests).")
        parser.add_argument("--no-reviews", action="store_true")

    def handle(
        self,
        *args,
        no_images: bool = False,
        limit: int = 0,
        no_reviews: bool = False,
        draw_images: bool = False,
        **options,
    ) -> None:
        rng = random.Random(SEED)
        with transaction.atomic():
            brands = self._brands()
            created = self._products(rng, brands, limit)
            load_demo_destinations()  # restores deleted demo rows only; edited rows are left alone
            load_demo_duty_rules()
            # bulk_create sends no save signals: the search documents are written here, in the same transaction.
            search_documents.rebuild()
        if not no_images:
            self._images(draw_now=draw_images)
        if not no_reviews:
            self._reviews(random.Random(SEED + 1))
        if settings.PAYMENT_SANDBOX:  # the demo shopper's saved card and paid order need the sandbox gateway
            self._demo_shopper()
        version.bump()  # bulk_create/bulk_update send no signals: cached pages must see the new catalogue
        total = Product.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalogue ready: {total} products in {Category.objects.count()} categories "
                f"({created} new)."
            )
        )

    def _brands(self) -> list[Brand]:
        out = []
        for words in demo_data.BRANDS:
            brand, _ = Brand.objects.update_or_create(
                slug=words.en.lower().replace(" ", "-"),
                defaults={
                    "name": words.en,
                    "name_zh_hans": words.zh_hans,
                    "name_ko": words.ko,
                    "name_ar": words.ar,
                },
            )
            out.append(brand)
        return out

    def _progress(self, iterable, total: int, desc: str):
        """A progress bar (counts, rate, time left) on a terminal; the plain iterable otherwise."""
        quiet = not (self.stdout.isatty() and sys.stderr.isatty())
        return tqdm(iterable, total=total, desc=desc, unit="", disable=quiet, leave=False, file=sys.stderr)

    def _products(self, rng: random.Random, brands: list[Brand], limit: int) -> int:
        existing = {p.slug: p for p in Product.objects.select_related("category", "brand")}
        new: list[Product] = []
        changed: list[Product] = []
        rows = list(self._product_rows(rng, brands, limit))
        now = timezone.now()
        for slug, defaults in self._progress(rows, len(rows), "products"):
            if slug in existing:
                # Idempotent: leave merchant-edited stock/prices alone, refresh the wording only.
                # Rows whose wording is already current are not written again (a re-run stays quick).
                product = existing[slug]
                stale = {
                    name: value
                    for name, value in defaults.items()
                    if name not in {"stock", "price"} and getattr(product, name) != value
                }
                if stale:
                    for name, value in stale.items():
                        setattr(product, name, value)
                    product.updated_at = now
                    changed.append(product)
            else:
                new.append(Product(slug=slug, **defaults))
        Product.objects.bulk_create(new, batch_size=500)
        if changed:
            fields = [f for f in rows[0][1] if f not in {"stock", "price"}] + ["updated_at"]
            Product.objects.bulk_update(changed, fields, batch_size=200)
        return len(new)

    def _product_rows(self, rng: random.Random, brands: list[Brand], limit: int):
        """(slug, field values) of every demo product, in a fixed order (the random draws depend on it)."""
        count = 0
        for c_index, spec in enumerate(demo_data.CATEGORIES):
            category, _ = Category.objects.update_or_create(
                slug=spec.slug,
                defaults={
                    "name": spec.name.en,
                    "name_zh_hans": spec.name.zh_hans,
                    "name_ko": spec.name.ko,
                    "name_ar": spec.name.ar,
                    "position": c_index,
                },
            )
            per_item = 2 if spec.slug == "gift-cards" else BRANDS_PER_ITEM
            for i_index, item in enumerate(spec.items):
                for k in range(per_item):
                    brand_index = (i_index + k) % len(brands)
                    brand = brands[brand_index]
                    bw = demo_data.BRANDS[brand_index]
                    slug = f"{bw.en}-{item.en}".lower().replace(" ", "-")
                    if limit and count >= limit:
                        return
                    count += 1
                    specs = [[name, rng.choice(values)] for name, values in spec.specs]
                    stock = 0 if rng.random() < 0.07 else rng.choice([1, 2, 3, 5, 8, 12, 20, 50, 100])
                    yield (
                        slug,
                        {
                            "category": category,
                            "brand": brand,
                            "name": f"{bw.en} {item.en}",
                            "name_zh_hans": f"{bw.zh_hans}{item.zh_hans}",
                            "name_ko": f"{bw.ko} {item.ko}",
                            "name_ar": f"{item.ar} {bw.ar}",
                            **_texts(bw, item, spec.name, specs),
                            "specifications": specs,
                            "price": _price(rng, c_index),
                            "stock": stock,
                        },
                    )

    def _images(self, draw_now: bool) -> None:
        """Name every picture-less product's pictures; draw them now only when asked (else on first request)."""
        todo = list(Product.objects.filter(image_variants={}).select_related("brand").order_by("id"))
        tiles = [demo_images.tile_for(p) for p in todo]
        for product, tile in zip(todo, tiles):
            product.image_variants = demo_images.demo_variants(tile)
        Product.objects.bulk_update(todo, ["image_variants"], batch_size=500)
        if not draw_now:
            return
        media_root = str(settings.MEDIA_ROOT)
        tiles = [
            demo_images.tile_for(p)
            for p in Product.objects.select_related("brand").order_by("id")
            if not demo_images.is_drawn(p.image_variants, media_root)
        ]
        workers = min(os.cpu_count() or 1, 8)
        if workers == 1 or len(tiles) < 64:  # a pool costs more than it saves on a handful
            for tile in self._progress(tiles, len(tiles), "images"):
                demo_images.draw_to_disk(tile, media_root)
            return
        with ProcessPoolExecutor(max_workers=workers) as pool:
            jobs = pool.map(demo_images.draw_to_disk, tiles, [media_root] * len(tiles), chunksize=8)
            for _ in self._progress(jobs, len(tiles), "images"):
                pass

    def _reviews(self, rng: random.Random) -> None:
        from django.contrib.auth import get_user_model

        if Review.objects.exists():
            return
        User = get_user_model()
        reviewers = []  # (user, the language they write in): six per content language
        for i, (language, name) in enumerate(
            (language, name) for language, names in demo_data.REVIEWERS.items() for name in names
        ):
            user, created = User.objects.get_or_create(
                username=f"reviewer{i + 1:02d}",
                defaults={"email": f"reviewer{i + 1:02d}@example.com", "first_name": name},
            )
            if created:
                user.set_unusable_password()
                user.save()
            reviewers.append((user, language))
        batch = []
        products = list(Product.objects.order_by("id").only("id"))
        for product in self._progress(products, len(products), "reviews"):
            for user, language in rng.sample(reviewers, rng.randint(0, 6)):
                rating = rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 12, 8, 5])[0]
                title, body = demo_data.REVIEWS[language][5 - rating]
                batch.append(
                    Review(
                        product=product, user=user, rating=rating, title=title, body=body, language=language
                    )
                )
        Review.objects.bulk_create(batch, batch_size=500)
        stats = {
            row["product_id"]: row
            for row in Review.objects.values("product_id").annotate(avg=Avg("rating"), n=Count("id"))
        }
        rated = list(Product.objects.filter(pk__in=stats).only("id"))
        for product in rated:
            product.rating_average = round(stats[product.pk]["avg"], 2)
            product.rating_count = stats[product.pk]["n"]
        Product.objects.bulk_update(rated, ["rating_average", "rating_count"], batch_size=500)

    def _demo_shopper(self) -> None:
        """A ready account for trying the shop: saved address and card, one delivered order."""
        from django.contrib.auth import get_user_model

        from storefront.accounts.models import Address
        from storefront.accounts.services import save_card
        from storefront.checkout import lifecycle, payments, placement
        from storefront.checkout.gateways import get_gateway
        from storefront.checkout.gateways.base import CardDetails

        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "shopper@example.com", "first_name": "Min-jun"}
        )
        if not created:
            return
        user.set_password(DEMO_PASSWORD)
        user.save()
        address = Address.objects.create(
            user=user,
            full_name="Min-jun Kim",
            street_address="1600 Amphitheatre Parkway",
            city="Mountain View",
            country_area="CA",
            postal_code="94043",
            country="US",
            phone="+16502530000",
            is_default=True,
        )
        token = get_gateway().tokenize(CardDetails("4242424242424242", 12, timezone.now().year + 3, "123"))
        save_card(user, token, make_default=True)
        product = Product.objects.filter(stock__gt=5).order_by("id").first()
        if product is None:
            return
        order, _new = placement.place_order(
            user=user,
            lines=[placement.WantedLine(product.pk, 1)],
            address=address.as_snapshot(),
            idempotency_key="demo-shopper-first-order",
            payment_method_label="Visa •••• 4242",
        )
        order = payments.collect(order, token.token)
        if order.is_paid:
            lifecycle.deliver(lifecycle.ship(order))
