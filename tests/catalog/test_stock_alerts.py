"""'Notify me when back in stock': signing up (signed in or by e-mail), bad input, and the one e-mail on restock."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from storefront.catalog.models import StockAlert


@pytest.fixture
def sold_out(make_product):
    return make_product("Sunny Cherries", stock=0, name_ko="햇살 체리")


def ask(client, product, **data):
    return client.post(reverse("catalog:stock_alert", args=[product.slug]), data, follow=True)


def test_sold_out_page_offers_the_alert_and_an_in_stock_page_does_not(client, sold_out, product):
    assert "Notify me when back in stock" in client.get(sold_out.get_absolute_url()).content.decode()
    assert "Notify me when back in stock" not in client.get(product.get_absolute_url()).content.decode()


def test_anonymous_shopper_signs_up_with_an_email(client, sold_out):
    html = ask(client, sold_out, email="Ming@Example.com").content.decode()
    assert "We will e-mail ming@example.com once when Sunny Cherries is back in stock." in html
    alert = StockAlert.objects.get()
    assert (alert.email, alert.user, alert.notified_at) == ("ming@example.com", None, None)
    ask(client, sold_out, email="ming@example.com")
    assert StockAlert.objects.count() == 1  # asking twice waits once


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Enter your e-mail address."), ("not-an-address", "Enter an e-mail address like")],
)
def test_bad_email_is_a_400_with_the_error_beside_the_field(client, sold_out, email, message):
    response = ask(client, sold_out, email=email)
    assert response.status_code == 400 and message in response.content.decode()
    assert not StockAlert.objects.exists()


def test_signed_in_shopper_needs_no_email_field(user_client, user, sold_out):
    html = user_client.get(sold_out.get_absolute_url()).content.decode()
    assert f"We will write to {user.email}, once." in html and 'name="email"' not in html
    ask(user_client, sold_out)
    assert StockAlert.objects.get().user == user
    html = user_client.get(sold_out.get_absolute_url()).content.decode()
    assert "We will e-mail you once when it is back in stock." in html


def test_in_stock_product_takes_no_alert(client, product):
    assert "is in stock now" in ask(client, product, email="a@example.com").content.decode()
    assert not StockAlert.objects.exists()


def test_restocking_sends_one_email_in_the_shoppers_language(
    client, sold_out, django_capture_on_commit_callbacks
):
    ask(client, sold_out, email="ming@example.com")
    sold_out.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        sold_out.stock = 5
        sold_out.save()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ming@example.com"] and message.subject == "Back in stock: Sunny Cherries"
    assert f"http://testserver{sold_out.get_absolute_url()}" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        sold_out.stock = 9
        sold_out.save()
    assert len(mail.outbox) == 1  # once
    assert StockAlert.objects.get().notified_at is not None


def test_units_put_back_by_an_unpaid_order_send_the_alert(
    place, make_product, django_capture_on_commit_callbacks
):
    from storefront.catalog import stock_alerts
    from storefront.checkout import lifecycle

    last = make_product("Ocean Plums", stock=1)
    order, _new = place((last, 1))
    last.refresh_from_db()
    assert last.stock == 0
    stock_alerts.subscribe(last, "ming@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.fail_payment(order, message="Declined")
    assert [m.subject for m in mail.outbox] == ["Back in stock: Ocean Plums"]


def test_the_email_is_written_in_the_language_the_shopper_asked_in(client, sold_out, settings):
    from storefront.catalog import stock_alerts

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    ask(client, sold_out, email="ming@example.com")
    alert = StockAlert.objects.get()
    assert alert.language == "ko"
    subject, body = stock_alerts._render(alert)
    assert subject.startswith("재입고") and sold_out.name_ko in subject
