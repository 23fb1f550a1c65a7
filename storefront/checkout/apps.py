from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutConfig(AppConfig):
    name = "storefront.checkout"
    label = "checkout"
    verbose_name = _("Orders and payments")

    def ready(self) -> None:
        from storefront.catalog import product_extras, purchases

        from . import checks  # noqa: F401 (registers the payment configuration checks)
        from .queries import has_bought

        purchases.register(has_bought)  # the catalogue asks it (reviews) without importing checkout
        from .oneclick import buy_now_page

        product_extras.register(self.label, buy_now_page)  # "Buy now" prices on the product page
