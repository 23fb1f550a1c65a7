"""A currency chosen in the market bar (JS off: a POST, then a redirect) shows on every page at once, cached or
not: the anonymous page cache and the shared fragments are keyed by the visitor's currency."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_chosen_currency_shows_on_pages_cached_before_the_choice(client, product, category):
    category_url = reverse("catalog:category", args=[category.slug])
    client.get(category_url)
    client.get(product.get_absolute_url())  # both now cached in the base currency
    response = client.post(reverse("markets:choose"), {"currency": "KRW", "next": category_url})
    assert response.status_code == 302
    for url in (category_url, product.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "₩" in page, url
