"""Cart pages and actions. Each action works as a plain form POST and, with htmx, updates in place."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editions.rendering import render_page, wants_fragment
from storefront.nexturl import safe_next

from . import services
from .forms import CartLineForm


def _contents(request: HttpRequest) -> dict:
    """The cart and, when it has lines, what it costs delivered to the shopper's destination."""
    summary = services.summary(services.get_cart(request))
    if summary.lines:
        summary = services.priced(request, summary)
    return {"summary": summary, "totals": summary.totals}


def cart_page(request: HttpRequest) -> HttpResponse:
    from storefront.catalog import recommendations

    context = _contents(request)
    context["recommendations"] = recommendations.for_products(
        [line.product for line in context["summary"].lines]
    )
    return render_page(request, "cart/cart.html", context)


def _after_change(request: HttpRequest, message: str, ok: bool) -> HttpResponse:
    """htmx: the updated fragment (always 2xx, htmx swaps nothing else). Otherwise: a message and a redirect."""
    if wants_fragment(request):
        if request.headers.get("HX-Target", "") == "cart-contents":
            template, context = "cart/cart.html#cart-contents", _contents(request)
        else:  # the product page's status line: the message and the count only
            template, context = "cart/_cart_status.html", {}
        return render_page(
            request,
            template,
            {
                **context,
                "announcement": message,
                "ok": ok,
                "cart_count": services.count_from_session(request),
            },
        )
    (messages.success if ok else messages.error)(request, message)
    return redirect(safe_next(request, reverse("cart:cart")))


def _form_error(form: CartLineForm) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Something in that request was not right. Please try again.")


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    data = request.POST.copy()
    data.setdefault("quantity", "1")  # "Add to cart" without a quantity field means one
    form = CartLineForm(data)
    if not form.is_valid():
        return _after_change(request, _form_error(form), False)
    product, quantity = form.cleaned_data["product"], form.cleaned_data["quantity"]
    try:
        line = services.add(request, product, quantity)
    except services.CartError as exc:
        return _after_change(request, str(exc), False)
    return _after_change(
        request,
        _("Added %(name)s to your cart. You now have %(qty)d.")
        % {"name": product.display_name, "qty": line.quantity},
        True,
    )


@require_POST
def update(request: HttpRequest) -> HttpResponse:
    form = CartLineForm(request.POST)
    if not form.is_valid():
        return _after_change(request, _form_error(form), False)
    product, quantity = form.cleaned_data["product"], form.cleaned_data["quantity"]
    try:
        line = services.set_quantity(request, product, quantity)
    except services.CartError as exc:
        return _after_change(request, str(exc), False)
    if line is None:
        return _after_change(
            request, _("Removed %(name)s from your cart.") % {"name": product.display_name}, True
        )
    return _after_change(
        request,
        _("%(name)s: quantity is now %(qty)d.") % {"name": product.display_name, "qty": line.quantity},
        True,
    )


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    form = CartLineForm({"product": request.POST.get("product"), "quantity": 0})
    if not form.is_valid():
        return _after_change(request, _form_error(form), False)
    product = form.cleaned_data["product"]
    services.remove(request, product)
    return _after_change(
        request, _("Removed %(name)s from your cart.") % {"name": product.display_name}, True
    )
