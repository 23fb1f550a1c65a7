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

        from storefront.checkout import payers

        def other_payer(order) -> payers.OtherPayer | None:
            pay_request = getattr(
                order, "pay_request", None
            )  # the reverse one-to-one: None without a request
            if pay_request is None:
                return None
            return payers.OtherPayer(pay_request.payer, pay_request.link.payer_name)  # their name and label

        payers.register(
            other_payer
        )  # checkout asks who paid (refund message, e-mails) without importing family
