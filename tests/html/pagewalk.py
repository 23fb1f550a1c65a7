"""Every page type of the URL contract fetched through the Django test client, in one edition, signed out
and then signed in (with a cart, a chosen address, a saved card, an order and a family request), including the
states errors bring. Used by the HTML validity gate; returns (label, html) pairs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.test import Client

FORM_ERRORS = 400  # forms answer 400 with their error summary


def _csrf(client: Client, path: str) -> str:
    html = client.get(path).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def walk(client: Client, edition: str, world) -> Iterator[tuple[str, str]]:
    """Yield (label, html) for each page; `world` holds the seeded objects (see test_html_valid.world)."""

    def page(label: str, path: str, status: int = 200, data: dict | None = None):
        response = client.post(path, data) if data is not None else client.get(path)
        assert response.status_code == status, f"[{edition}] {label}: {path} answered {response.status_code}"
        return f"{edition} {label}", response.content.decode()

    product, other, sold_out, category = world.product, world.other, world.sold_out, world.category
    yield page("home", f"/?edition={edition}")
    yield page("category", f"/category/{category}/")
    yield page("category (filtered)", f"/category/{category}/?min_price=abc&in_stock=on&sort=rating")
    yield page("search", "/search/?q=apple")
    yield page("search (no query)", "/search/")
    yield page("search (no results)", "/search/?q=zzzzqqqq")
    yield page("product", f"/product/{product.slug}/")
    yield page("product (sold out)", f"/product/{sold_out.slug}/")
    for item in (product, other):
        client.post("/compare/change/", {"product": item.pk, "action": "add"})
    yield page("compare", "/compare/")
    yield page("cart (empty)", "/cart/")
    client.post("/cart/add/", {"product": product.pk, "quantity": 2})
    yield page("cart", "/cart/")
    yield page("sign in", "/account/signin/")
    yield page("sign in (errors)", "/account/signin/", 200, {"username": "", "password": ""})
    yield page("sign up", "/account/signup/")
    yield page("sign up (errors)", "/account/signup/", FORM_ERRORS, {})
    yield page("password reset", "/account/password-reset/")
    yield page("editions", "/editions/")
    yield page("help", "/help/")
    yield page("404", "/no-such-page/", 404)

    client.force_login(world.user)
    client.post("/cart/add/", {"product": product.pk, "quantity": 1})
    yield page("checkout address", "/checkout/address/")
    yield page(
        "checkout address (errors)", "/checkout/address/", FORM_ERRORS, {"use": "new", "new-country": "US"}
    )
    client.post("/checkout/address/", {"use": "saved", "address": world.address.pk})
    yield page("checkout review", "/checkout/review/")
    yield page("checkout pay", "/checkout/pay/")
    if edition == "screen-reader":  # "A new card" asks for its details in a step of its own
        yield page("checkout pay (new card step)", "/checkout/pay/", 200, {"method": "new"})
    yield page("checkout pay (errors)", "/checkout/pay/", FORM_ERRORS, {"method": "new", "card-shown": "1"})
    yield page("confirmation", f"/checkout/confirmation/{world.order.number}/")
    yield page("order detail", f"/orders/{world.order.number}/")
    yield page("cancel confirmation", f"/orders/{world.order.number}/cancel/?next=/orders/")
    yield page("product (signed in: Buy now, Ask my family to pay)", f"/product/{product.slug}/")
    yield page("orders", "/orders/")
    yield page("account", "/account/")
    yield page("addresses", "/account/addresses/")
    yield page(
        "addresses (back to the product after saving)", f"/account/addresses/?next=/product/{product.slug}/"
    )
    yield page("addresses (errors)", "/account/addresses/", FORM_ERRORS, {"country": "US"})
    # Korea: the city box's list follows the province (empty, with a hint, until one is chosen)
    korea = {"country": "KR", "shown_country": "KR", "shown_area": "", "refresh_country": "1"}
    yield page(
        "addresses (Korea, no province yet)", "/account/addresses/", 200, {**korea, "shown_country": "US"}
    )
    yield page(
        "addresses (Korea, a province's cities)",
        "/account/addresses/",
        200,
        {**korea, "country_area": "부산"},
    )
    yield page(
        "addresses (Korea, a city of another province)",
        "/account/addresses/",
        FORM_ERRORS,
        {"country": "KR", "country_area": "부산광역시", "city": "종로구"},
    )
    yield page("family", "/family/")
    if getattr(world, "basket", None) is not None:
        yield page("family basket (waiting)", world.basket.get_absolute_url())
        yield page("family basket (confirmed)", world.confirmed.get_absolute_url())
    yield page("404 (signed in)", "/product/no-such-product/", 404)
    client.force_login(world.payer)
    yield page("family (payer)", "/family/")
    yield page("family request (payer)", f"/family/requests/{world.pay_request.public_id}/")
    if getattr(world, "basket", None) is not None:
        yield page("family basket (payer)", world.basket.get_absolute_url())
        yield page(
            "family receipt (payer)", f"/family/requests/{world.confirmed.pay_request.public_id}/receipt/"
        )
        yield page("family card (payer)", "/family/card/?next=/family/")
        yield page("family code (errors)", "/family/code/", FORM_ERRORS, {"code-code": "nope"})
    client.logout()
