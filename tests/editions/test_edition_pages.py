"""One view and one URL per page, for every edition: the same URL renders with each edition's stylesheet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from editions import registry
from storefront import errors
from storefront.checkout.state import ADDRESS_KEY

EDITIONS = [e.slug for e in registry.all_editions()]


@pytest.fixture
def checkout_ready(user_client, user, product, make_cart, address, place):
    make_cart(user=user, lines=[(product, 1)])
    session = user_client.session
    session[ADDRESS_KEY] = address.pk
    session.save()
    order, _ = place((product, 1))
    return user_client, order


@pytest.mark.parametrize("slug", EDITIONS)
def test_signed_in_pages_in_every_edition(checkout_ready, assert_edition_page, slug):
    client, order = checkout_ready
    urls = [
        reverse("cart:cart"),
        reverse("checkout:address"),
        reverse("checkout:review"),
        reverse("checkout:pay"),
        reverse("accounts:account"),
        reverse("accounts:addresses"),
        reverse("checkout:orders"),
        order.get_absolute_url(),
        reverse("editions:switcher"),
    ]
    client.get(reverse("home"), {"edition": slug})  # chosen once, remembered by cookie
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_edition_page(response, slug)


def test_switcher_page_offers_every_edition_as_a_button(client, db):
    html = client.get(reverse("editions:switcher")).content.decode()
    for slug in EDITIONS:
        assert f'name="edition" value="{slug}"' in html


@pytest.mark.parametrize("slug", EDITIONS)
@pytest.mark.parametrize(
    ("handler", "status"),
    [(errors.server_error, 500), (errors.bad_request, 400), (errors.page_not_found, 404)],
)
def test_error_pages_are_in_the_edition(rf, db, assert_edition_page, slug, handler, status):
    request = rf.get("/")
    request.edition = registry.EDITIONS[slug]
    response = handler(request) if handler is errors.server_error else handler(request, None)
    assert response.status_code == status
    assert_edition_page(response, slug)


def test_csrf_failure_page_says_what_to_do(db, client, product):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("cart:add"), {"product": product.pk, "quantity": 1})
    assert response.status_code == 403
    assert "<html" in response.content.decode()
    api = strict.post(reverse("cart:add"), {"product": product.pk}, headers={"Accept": "application/json"})
    assert api.status_code == 403 and "security token" in api.json()["error"]
