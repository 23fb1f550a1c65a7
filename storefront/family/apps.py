from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilyConfig(AppConfig):
    name = "storefront.family"
    label = "family"
    verbose_name = _("Family payment")

    def ready(self) -> None:
        from storefront.checkout.oneclick import order_cancelled

        from . import services

        def on_order_cancelled(sender, order, refunded: bool, by=None, **kwargs) -> None:
            services.order_cancelled(order, refunded=refunded, by=by)

        order_cancelled.connect(on_order_cancelled, dispatch_uid="family.order_cancelled")

        from storefront.checkout.lifecycle import order_changed
        from storefront.checkout.models import OrderEvent

        def on_order_changed(sender, order, transition: str, source: str, **kwargs) -> None:
            if source == OrderEvent.Source.RECONCILER:  # settled in the background: the request follows
                services.follow_order(order)

        order_changed.connect(on_order_changed, dispatch_uid="family.order_changed")
