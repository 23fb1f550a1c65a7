"""The safety net for NUL bytes anywhere else: a NUL in the path is a 404, in a query or form value a 400;
none reaches the database (PostgreSQL refuses NUL in text and the driver error was a 500). Issue 11 #5.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        "/cart/%00/",
        "/category/%00/",
        "/product/a%00b/",
        "/orders/%00/",
        "/account/password-reset/%00/%00/",
        "/admin/auth/user/%00/change/",
        "/family/requests/%00/",
    ],
)
def test_nul_in_the_path_is_404(user_client, path):
    assert user_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=milk%00",
        "currency=%00",
        "country=K%00R",
        "edition=%00",
        "page=%00",
        "%00=1",
        "sort=price&brand=%00",
    ],
)
@pytest.mark.parametrize("path", ["/", "/search/", "/cart/", "/orders/"])
def test_nul_in_a_query_value_is_400(user_client, path, query):
    response = user_client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert 'class="edition-standard"' in response.content.decode()  # the shop's own error page


def test_nul_in_a_posted_form_value_is_400(user_client, product):
    response = user_client.post(
        "/cart/add/", f"product={product.pk}%00&quantity=1", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_a_clean_request_is_untouched(client, db):
    assert client.get("/search/?q=milk").status_code == 200
