"""What a screen reader (and an HTML validator) gets from the markup, page by page (issue 14): each test here
catches the return of one thing Orca, the W3C Nu checker or Lighthouse found. The spoken results themselves are
tested in tests/screenreader/.
"""

from __future__ import annotations

import gzip
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from storefront.checkout.state import ADDRESS_KEY

ROOT = Path(__file__).resolve().parents[2]


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def sr_client(client):
    client.get("/?edition=screen-reader")
    return client


# --- sign-up ---------------------------------------------------------------------------------------------


def test_password_rules_hint_is_a_div_so_the_list_stays_inside_it(client):
    page = html(client.get(reverse("accounts:signup")))
    hint = re.search(r'<(\w+) class="hint" id="id_password1-hint">\s*<ul>', page)
    assert hint, "the password rules must be a list inside the element aria-describedby points at"
    assert hint.group(1) == "div", "<p> cannot hold a <ul>: the browser closes it and the hint is empty"


def test_signup_error_summary_names_each_field(client):
    page = html(client.post(reverse("accounts:signup"), {}))
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    items = re.findall(r"<a [^>]*>([^<]+)</a>", summary)
    assert len(items) >= 3
    assert len(set(items)) == len(items), f"identical lines tell nobody which field: {items}"
    assert any(item.startswith("Username:") for item in items), items


# --- listings --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?in_stock=on", "?min_price=abc"])
def test_sort_select_shows_the_sort_in_effect(client, product, query):
    page = html(client.get(reverse("catalog:category", args=[product.category.slug]) + query))
    select = page.split('name="sort"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'<option value="rating"[^>]* selected>', select), select


def test_number_filter_never_echoes_text(client, product):
    page = html(client.get(reverse("catalog:category", args=[product.category.slug]) + "?min_price=abc"))
    number_inputs = re.findall(r'<input type="number"[^>]*>', page)
    assert number_inputs and not [i for i in number_inputs if 'value="abc"' in i], number_inputs
    assert "Some filters were not understood" in page


@pytest.mark.parametrize("kind", ["category", "search"])
def test_result_pages_have_a_skip_to_results_link_before_the_filters(client, product, kind):
    url = (
        reverse("catalog:category", args=[product.category.slug])
        if kind == "category"
        else reverse("catalog:search") + "?q=apples"
    )
    page = html(client.get(url))
    link = page.find('<a href="#results-heading">Skip to results</a>')
    assert 0 < link < page.find('class="filters"')
    assert 'id="results-heading" tabindex="-1"' in page


# --- cart ------------------------------------------------------------------------------------------------


@pytest.fixture
def cart_page(client, product):
    client.post(reverse("cart:add"), {"product": product.pk, "quantity": 2})
    return html(client.get(reverse("cart:cart")))


def test_cart_tables_have_one_name_each_and_no_idle_tab_stop(cart_page):
    assert 'tabindex="0"' not in cart_page, "a scroll box that does not scroll is a tab stop doing nothing"
    assert 'aria-labelledby="estimate-caption"' not in cart_page
    assert cart_page.count("Estimated cost, delivered to") == 1
    assert 'aria-labelledby="cart-caption"' not in cart_page  # app.js names the box only when it scrolls
    assert 'data-scroll-label="cart-caption"' in cart_page


def test_cart_line_says_each_thing_once(cart_page):
    body = cart_page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("Quantity of Sunny Apples") == 1
    assert "<th" not in body, "a row header cell around a link made Orca say a lone 'row header'"
    assert '<span class="visually-hidden">Line total: </span>' in body


# --- header, product page ----------------------------------------------------------------------------------


def test_edition_links_have_no_strong_inside(db, client):
    page = html(client.get("/?edition=elder"))
    switcher = page.split('class="edition-switcher"', 1)[1].split("</nav>", 1)[0]
    assert "<strong" not in switcher and re.search(r'class="[^"]*\bedition-large\b', switcher)


def test_breadcrumb_separators_are_not_spoken():
    css = (ROOT / "static/css/base.css").read_text()
    rule = re.search(r"\.breadcrumbs li \+ li::before \{([^}]*)\}", css).group(1)
    assert '/ ""' in rule, "generated separators need empty alternative text or they are read out"


@pytest.fixture
def product_page(client, product, make_review, make_user):
    for i in range(2):
        make_review(product, make_user(), rating=5 - i)
    return html(client.get(product.get_absolute_url()))


def test_product_h1_comes_before_the_image(product_page):
    assert product_page.index("<h1") < product_page.index('class="product-image"')


def test_rating_table_has_one_caption(product_page):
    table = product_page.split('class="rating-bars"', 1)[1].split("</table>", 1)[0]
    assert table.count("<caption") == 1 and "aria-describedby" not in table
    assert "<figcaption" not in product_page


def test_product_page_has_few_landmarks(product_page):
    named_sections = re.findall(r"<section[^>]*aria-label", product_page)
    landmarks = (
        len(re.findall(r"<nav\b", product_page))
        + len(named_sections)
        + product_page.count("<main")
        + product_page.count('role="search"')
        + product_page.count("<search")
        + 2
    )  # the page's own header and footer
    assert landmarks <= 10, f"{landmarks} landmarks"


def test_meta_description_per_page_in_the_pages_language(client, product):
    page = html(client.get(product.get_absolute_url()))
    assert '<meta name="description" content="Sunny Apples, for tests.">' in page
    home = html(client.get("/"))
    assert re.search(r'<meta name="description" content="[^"]{40,}">', home)
    category = html(client.get(reverse("catalog:category", args=[product.category.slug])))
    assert f'content="{product.category.display_name} at Open Basket' in category
    from storefront.catalog.models import Product

    Product.objects.filter(pk=product.pk).update(description_ko="햇살 가득한 사과.")
    korean = html(
        client.get(
            product.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko", headers={"Cookie": "django_language=ko"}
        )
    )
    assert '<meta name="description" content="햇살 가득한 사과.">' in korean


def test_html_is_compressed(db, client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b"<!doctype html>" in gzip.decompress(response.content)


def test_templates_use_data_hx_attributes_only():
    bare = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for m in re.finditer(r"(?<![\w-])hx-[a-z-]+=", path.read_text())
    ]
    assert not bare, "htmx reads data-hx-*, which validates; hx-* does not:\n" + "\n".join(bare)


# --- checkout --------------------------------------------------------------------------------------------


@pytest.fixture
def shopper(user_client, user, product, make_cart, address):
    make_cart(user=user, lines=[(product, 2)])
    session = user_client.session
    session[ADDRESS_KEY] = address.pk
    session.save()
    return user_client


def test_address_tokens_and_area_prompt(user_client):
    page = html(user_client.get(reverse("accounts:addresses")))
    assert 'autocomplete="street-address"' not in page, "street-address is for a multi-line textarea"
    assert re.search(
        r'<input[^>]+name="street_address"[^>]+autocomplete="address-line1"|'
        r'<input[^>]+autocomplete="address-line1"[^>]+name="street_address"',
        page,
    )
    area = page.split('name="country_area"', 1)[1].split("</select>", 1)[0]
    first = re.search(r"<option value=\"\"[^>]*>([^<]*)</option>", area)
    assert first and first.group(1).strip(), "an empty first option is announced 'blank'"


def test_sr_pay_page_shows_card_fields_only_after_choosing_a_new_card(shopper, user, make_saved_card):
    shopper.get("/?edition=screen-reader")
    make_saved_card(user, is_default=True)
    page = html(shopper.get(reverse("checkout:pay")))
    assert "card-number" not in page, "the new-card fields sit between the choice and Place order"
    step = shopper.post(reverse("checkout:pay"), {"method": "new", "idempotency_key": "k1"})
    assert step.status_code == 200
    page = html(step)
    assert 'name="card-number"' in page and 'name="card-shown"' in page and "data-focus-on-load" in page
    assert 'id="error-summary"' not in page
    # the standard edition keeps the fields on the page (one step)
    shopper.get("/?edition=standard")
    assert 'name="card-number"' in html(shopper.get(reverse("checkout:pay")))


def test_sr_pay_with_a_new_card_in_its_step(shopper, user, make_saved_card):
    from storefront.checkout.models import Order

    shopper.get("/?edition=screen-reader")
    make_saved_card(user, is_default=True)
    data = {
        "method": "new",
        "idempotency_key": "k2",
        "card-shown": "1",
        "card-number": "4242424242424242",
        "card-exp_month": "12",
        "card-exp_year": str(date.today().year + 1),
        "card-cvc": "123",
    }
    response = shopper.post(reverse("checkout:pay"), data)
    assert response.status_code == 302 and Order.objects.get().is_paid


def test_a_decline_message_takes_focus(shopper):
    data = {
        "method": "new",
        "idempotency_key": "k3",
        "card-number": "4000000000000002",
        "card-exp_month": "12",
        "card-exp_year": str(date.today().year + 1),
        "card-cvc": "123",
    }
    page = html(shopper.post(reverse("checkout:pay"), data, follow=True))
    assert re.search(r'class="message message-error" role="alert" tabindex="-1" data-error-message', page)
    js = (ROOT / "static/js/app.js").read_text()
    assert 'document.querySelector("[data-error-message]")' in js
