"""Catalogue models. Prices are Decimal in the shop's base currency; ratings are denormalised for listings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .translated import CONTENT_LANGUAGES, TranslatedNameMixin, field_suffix, localized, term


class Category(TranslatedNameMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=100, blank=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    return_days = models.PositiveSmallIntegerField(
        _("return window (days)"),
        default=30,
        help_text=_("Days after delivery in which items can be returned."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:category", args=[self.slug])


class Brand(TranslatedNameMixin, models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=100, blank=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


class ProductQuerySet(models.QuerySet):
    def active(self) -> ProductQuerySet:
        return self.filter(is_active=True)

    def for_listing(self) -> ProductQuerySet:
        """What a product card needs, in one query."""
        return self.active().select_related("category", "brand")


class Product(TranslatedNameMixin, models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="products", verbose_name=_("brand")
    )
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    name = models.CharField(_("name (English)"), max_length=200)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200, blank=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    description = models.TextField(_("description (English)"))
    description_zh_hans = models.TextField(_("description (Simplified Chinese)"), blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    selling_points = models.TextField(_("selling points (English)"), blank=True, help_text=_("One per line."))
    selling_points_zh_hans = models.TextField(_("selling points (Simplified Chinese)"), blank=True)
    selling_points_ko = models.TextField(_("selling points (Korean)"), blank=True)
    selling_points_ar = models.TextField(_("selling points (Arabic)"), blank=True)
    specifications = models.JSONField(
        _("specifications"), default=list, blank=True, help_text=_("A list of [name, value] pairs.")
    )
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    stock = models.PositiveIntegerField(_("units in stock"), default=0)
    image = models.ImageField(_("image"), upload_to="products/originals/", blank=True)
    image_alt = models.CharField(
        _("image description (alt text, English)"),
        max_length=250,
        blank=True,
        help_text=_("Describe what the photo shows for people who cannot see it. Required with an image."),
    )
    image_alt_zh_hans = models.CharField(
        _("image description (alt text, Simplified Chinese)"), max_length=250, blank=True
    )
    image_alt_ko = models.CharField(_("image description (alt text, Korean)"), max_length=250, blank=True)
    image_alt_ar = models.CharField(_("image description (alt text, Arabic)"), max_length=250, blank=True)
    image_variants = models.JSONField(default=dict, blank=True, editable=False)
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0"), editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("on sale"), default=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["category", "is_active", "price"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="product_price_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:product", args=[self.slug])

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def display_selling_points(self) -> list[str]:
        return [line.strip() for line in localized(self, "selling_points").splitlines() if line.strip()]

    @property
    def display_image_alt(self) -> str:
        """The picture's description in the active language. Untranslated, a reader of Chinese, Korean or Arabic
        gets the product's name in their language before an English sentence (a screen reader would read it
        with the wrong voice); then the English description; with none, the product's name."""
        suffix = field_suffix(get_language())
        if suffix and (own := getattr(self, f"image_alt{suffix}") or getattr(self, f"name{suffix}")):
            return own
        return self.image_alt or self.display_name

    @property
    def display_specifications(self) -> list[tuple[str, str]]:
        """The [name, value] rows in the active language (catalogue words translated, amounts kept)."""
        return [
            (term(str(name)), term(str(value)))
            for name, value in self.specifications or []
            if isinstance(name, str)
        ]

    @property
    def missing_languages(self) -> list[str]:
        """The content languages whose name, description, selling points or picture description are still empty
        (for the admin); selling points and the picture description only where the English has them."""
        missing = []
        fields = ["name", "description"] + [f for f in ("selling_points", "image_alt") if getattr(self, f)]
        for language in CONTENT_LANGUAGES[1:]:
            suffix = field_suffix(language)
            if any(not getattr(self, f"{field}{suffix}") for field in fields):
                missing.append(language)
        return missing


class Review(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("review"), max_length=4000)
    # The language the review is written in (a shop language code), shown beside it and set as its `lang`.
    language = models.CharField(_("language"), max_length=10, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["product", "user"], name="one_review_per_user_per_product"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.rating})"

    @property
    def language_name(self) -> str:
        """The review's language named in the reader's language ("Korean" / "韩语" / "الكورية")."""
        from django.utils.translation import get_language_info

        try:
            return str(get_language_info(self.language)["name_translated"])
        except KeyError:
            return self.language


class BoughtTogether(models.Model):
    """How many paid orders held both products: the "Customers also bought" table, rebuilt by a scheduled task
    (checkout.bought_together) and read by catalog.recommendations. Rows go both ways (a→b and b→a)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    orders = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "other"], name="bought_together_once")]
        indexes = [models.Index(fields=["product", "-orders"])]


class StockAlert(models.Model):
    """ "Notify me when back in stock": one e-mail to `email` when the product's stock returns (catalog.stock_alerts)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock_alerts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="stock_alerts"
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(max_length=10, blank=True)  # the e-mail is written in the shopper's language
    base_url = models.CharField(max_length=200, blank=True)  # the site the shopper asked on, for the link
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "email"],
                condition=models.Q(notified_at=None),
                name="one_pending_stock_alert_per_email",
            )
        ]
        verbose_name = _("back-in-stock alert")
        verbose_name_plural = _("back-in-stock alerts")

    def __str__(self) -> str:
        return f"{self.product} → {self.email}"


class CatalogueVersion(models.Model):
    """One row: the catalogue's version counter as last handed out (catalog.version). Kept in the database so a
    cache flush or eviction never hands out a number that cached pages were already stored under."""

    value = models.BigIntegerField(default=1)


class SearchDocument(models.Model):
    """What search finds a product by: its name, brand and category words in every content language, already
    analysed (catalog.search.documents: case and accents folded, Han text split into characters and pairs,
    English plurals also as singulars). Written by catalog.search on commit of a catalogue change and by
    `manage.py rebuild_search`; each database indexes it its own way (catalog.search.postgres / .sqlite)."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    names = models.TextField(blank=True)
    brand = models.TextField(blank=True)
    category = models.TextField(blank=True)
    # Name words besides the brand's: with equal scores, "Bananas" (1) ranks before "Banana Milk" (2).
    name_length = models.PositiveSmallIntegerField(default=0)


class SearchTerm(models.Model):
    """Every word of the search documents: the vocabulary that typo matching and "Did you mean" look words up
    in (a trigram index finds the candidates). `display` is False for a form that only exists as a folded
    plural ("banana" from "Bananas"), which is matched but never offered as a suggestion."""

    word = models.CharField(max_length=200, unique=True)
    display = models.BooleanField(default=True)
