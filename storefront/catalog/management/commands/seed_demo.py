"""`manage.py seed_demo`: the deterministic, idempotent demo catalogue (1,000+ products in 14 categories).

Running it twice changes nothing; products are keyed by slug. Images are drawn only when missing.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from storefront.catalog import demo_data, demo_images, images, translated
from storefront.catalog.models import Brand, Category, Product, Review
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


def _texts(brand: demo_data.Words, item: demo_data.Words, category: demo_data.Words,
           specs: list[list[str]]) -> dict[str, str]:
    """Description and selling points in every content language, from the translated parts."""
    out = {}
    for suffix, index, language in _LANGUAGES:
        parts = {"brand": brand[index], "item": item[index],
                 "category": category[index].lower() if index == 0 else category[index]}
        phrase = {key: texts[index].format(**parts) for key, texts in demo_data.PHRASES.items()}
        spec_line = f"{translated.term(specs[0][0], language)}: {translated.term(specs[0][1], language)}"
        out[f"description{suffix}"] = phrase["description"]
        out[f"selling_points{suffix}"] = "\n".join([phrase["quality"], phrase["returns"], spec_line])
    return out


class Command(BaseCommand):
    help = "Create or refresh the demo catalogue (idempotent, deterministic)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-images", action="store_true", help="Skip drawing product images (faster).")
        parser.add_argument("--limit", type=int, default=0, help="Only the first N products (tests).")
        parser.add_argument("--no-reviews", action="store_true")

    def handle(self, *args, no_images: bool = False, limit: int = 0, no_reviews: bool = False, **options) -> None:
        rng = random.Random(SEED)
        with transaction.atomic():
            brands = self._brands()
            created = self._products(rng, brands, limit)
            load_demo_destinations()  # restores deleted demo rows only; edited rows are left alone
            load_demo_duty_rules()
        if not no_images:
            self._images()
        if not no_reviews:
            self._reviews(random.Random(SEED + 1))
        if settings.PAYMENT_SANDBOX:  # the demo shopper's saved card and paid order need the sandbox gateway
            self._demo_shopper()
        total = Product.objects.count()
        self.stdout.write(self.style.SUCCESS(
            f"Demo catalogue ready: {total} products in {Category.objects.count()} categories "
            f"({created} new)."))

    def _brands(self) -> list[Brand]:
        out = []
        for words in demo_data.BRANDS:
            brand, _ = Brand.objects.update_or_create(
                slug=words.en.lower().replace(" ", "-"),
                defaults={"name": words.en, "name_zh_hans": words.zh_hans, "name_ko": words.ko,
                          "name_ar": words.ar},
            )
            out.append(brand)
        return out

    def _products(self, rng: random.Random, brands: list[Brand], limit: int) -> int:
        created = 0
        count = 0
        existing = set(Product.objects.values_list("slug", flat=True))
        for c_index, spec in enumerate(demo_data.CATEGORIES):
            category, _ = Category.objects.update_or_create(
                slug=spec.slug,
                defaults={"name": spec.name.en, "name_zh_hans": spec.name.zh_hans, "name_ko": spec.name.ko,
                          "name_ar": spec.name.ar, "position": c_index},
            )
            per_item = 2 if spec.slug == "gift-cards" else BRANDS_PER_ITEM
            for i_index, item in enumerate(spec.items):
                for k in range(per_item):
                    brand_index = (i_index + k) % len(brands)
                    brand = brands[brand_index]
                    bw = demo_data.BRANDS[brand_index]
                    slug = f"{bw.en}-{item.en}".lower().replace(" ", "-")
                    if limit and count >= limit:
                        return created
                    count += 1
                    specs = [[name, rng.choice(values)] for name, values in spec.specs]
                    stock = 0 if rng.random() < 0.07 else rng.choice([1, 2, 3, 5, 8, 12, 20, 50, 100])
                    defaults = {
                        "category": category, "brand": brand,
                        "name": f"{bw.en} {item.en}", "name_zh_hans": f"{bw.zh_hans}{item.zh_hans}",
                        "name_ko": f"{bw.ko} {item.ko}", "name_ar": f"{item.ar} {bw.ar}",
                        **_texts(bw, item, spec.name, specs),
                        "specifications": specs,
                        "price": _price(rng, c_index),
                        "stock": stock,
                        "image_alt": f"{item.en} in {bw.en} packaging",
                    }
                    if slug in existing:
                        # Idempotent: leave merchant-edited stock/prices alone, refresh the wording only.
                        Product.objects.filter(slug=slug).update(updated_at=timezone.now(), **{
                            k2: v for k2, v in defaults.items() if k2 not in {"stock", "price"}})
                    else:
                        Product.objects.create(slug=slug, **defaults)
                        created += 1
        return created

    def _images(self) -> None:
        brand_index = {b.en.lower().replace(" ", "-"): i for i, b in enumerate(demo_data.BRANDS)}
        todo = Product.objects.filter(image_variants={}).select_related("brand").order_by("id")
        for n, product in enumerate(todo.iterator()):
            png = demo_images.draw(product.name, brand_index.get(product.brand.slug, 0), product.id)
            product.image_variants = images.make_variants(png, product.slug)
            Product.objects.filter(pk=product.pk).update(image_variants=product.image_variants)
            if n and n % 200 == 0:
                self.stdout.write(f"  drew {n} images…")

    def _reviews(self, rng: random.Random) -> None:
        from django.contrib.auth import get_user_model

        if Review.objects.exists():
            return
        User = get_user_model()
        reviewers = []  # (user, the language they write in): six per content language
        for i, (language, name) in enumerate(
                (language, name) for language, names in demo_data.REVIEWERS.items() for name in names):
            user, created = User.objects.get_or_create(
                username=f"reviewer{i + 1:02d}", defaults={"email": f"reviewer{i + 1:02d}@example.com",
                                                          "first_name": name})
            if created:
                user.set_unusable_password()
                user.save()
            reviewers.append((user, language))
        batch = []
        for product in Product.objects.order_by("id").only("id"):
            for user, language in rng.sample(reviewers, rng.randint(0, 6)):
                rating = rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 12, 8, 5])[0]
                title, body = demo_data.REVIEWS[language][5 - rating]
                batch.append(Review(product=product, user=user, rating=rating, title=title, body=body,
                                    language=language))
        Review.objects.bulk_create(batch, batch_size=500)
        stats = Review.objects.values("product_id").annotate(avg=Avg("rating"), n=Count("id"))
        with transaction.atomic():
            for row in stats:
                Product.objects.filter(pk=row["product_id"]).update(
                    rating_average=round(row["avg"], 2), rating_count=row["n"])

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
            username=DEMO_USERNAME, defaults={"email": "shopper@example.com", "first_name": "Min-jun"})
        if not created:
            return
        user.set_password(DEMO_PASSWORD)
        user.save()
        address = Address.objects.create(
            user=user, full_name="Min-jun Kim", street_address="1600 Amphitheatre Parkway", city="Mountain View",
            country_area="CA", postal_code="94043", country="US", phone="+16502530000", is_default=True)
        token = get_gateway().tokenize(CardDetails("4242424242424242", 12, timezone.now().year + 3, "123"))
        save_card(user, token, make_default=True)
        product = Product.objects.filter(stock__gt=5).order_by("id").first()
        if product is None:
            return
        order, _new = placement.place_order(
            user=user, lines=[placement.WantedLine(product.pk, 1)], address=address.as_snapshot(),
            idempotency_key="demo-shopper-first-order", payment_method_label="Visa •••• 4242")
        order = payments.collect(order, token.token)
        if order.is_paid:
            lifecycle.deliver(lifecycle.ship(order))
