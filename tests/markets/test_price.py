"""Prices in the shopper's currency: one rounding rule (ROUND_HALF_UP per unit price to the currency's minor
unit, line = unit x quantity, totals = sums of lines), Decimal only, Babel formatting, the currency selector."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, RequestContext, Template
from django.utils import translation
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from storefront.markets import rates
from storefront.markets.landed_cost import HOME_RULES, DestinationRules
from storefront.markets.models import ExchangeRate
from storefront.markets.money import BASE_CURRENCY, minor_unit, quantize
from storefront.markets.pricing import totals_for, unit_price

CURRENCIES = ["USD", "CNY", "KRW", "EUR", "SAR", "JPY"]
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
rate_values = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("5000"), places=4)
quantities = st.integers(min_value=1, max_value=99)


def is_whole_minor_units(amount: Decimal, currency: str) -> bool:
    return (
        amount == amount.quantize(minor_unit(currency))
        and amount.as_tuple().exponent == minor_unit(currency).as_tuple().exponent
    )


@given(prices, rate_values, st.sampled_from(CURRENCIES))
@example(Decimal("3.50"), Decimal("1385"), "KRW")  # 4847.5 -> 4848: half up
@example(Decimal("0.01"), Decimal("0.5"), "EUR")  # 0.005 -> 0.01: half up
def test_conversion_rounds_half_up_to_a_whole_minor_unit(price, rate, currency):
    exact = price * rate
    converted = rates.convert(price, rate, currency)
    unit = minor_unit(currency)
    assert is_whole_minor_units(converted, currency)
    assert abs(converted - exact) <= unit / 2  # never more than half a minor unit away
    if abs(converted - exact) == unit / 2:
        assert converted > exact  # ties go up (away from zero)
    if exact == exact.quantize(unit):
        assert converted == exact  # an exact amount is never changed: no minor unit lost or invented


@given(prices)
def test_base_currency_is_unchanged(price):
    assert rates.convert(price, Decimal(1), BASE_CURRENCY) == price
    assert unit_price(price) == price


order_lines = st.lists(st.tuples(prices, quantities, st.sampled_from([None, 1, 2])), min_size=1, max_size=8)
percentages = st.decimals(min_value=Decimal(0), max_value=Decimal("40"), places=2)
thresholds = st.decimals(min_value=Decimal(0), max_value=Decimal("2000"), places=2)
destination_rules = st.builds(
    DestinationRules,
    country=st.sampled_from(["US", "KR", "DE"]),
    shipping_fee=prices,
    free_shipping_from=st.none() | thresholds,
    duty_free_up_to=thresholds,
    default_duty_rate=percentages,
    tax_free_up_to=thresholds,
    import_tax_rate=percentages,
    duty_rates=st.dictionaries(st.sampled_from([1, 2]), percentages, max_size=2),
)


@given(order_lines, rate_values, st.sampled_from(CURRENCIES), destination_rules)
@hypothesis_settings(max_examples=300)
def test_totals_are_sums_of_rounded_lines(lines, rate, currency, rules):
    rate = Decimal(1) if currency == BASE_CURRENCY else rate
    totals = totals_for(lines, currency, rate, rules=rules)
    shown_lines = [unit_price(price, currency, rate) * qty for price, qty, _category in lines]
    assert all(is_whole_minor_units(line, currency) for line in shown_lines)
    assert totals.subtotal == sum(shown_lines)  # what the shopper adds up is what they pay
    duty_lines = [
        quantize(line * rules.duty_rate(category) / 100, currency)
        for line, (_p, _q, category) in zip(shown_lines, lines)
    ]
    assert totals.duties == (0 if totals.duty_exempt else sum(duty_lines))  # duty: rounded per line, summed
    assert totals.total == totals.subtotal + totals.shipping + totals.duties + totals.taxes
    assert all(
        is_whole_minor_units(amount, currency)
        for amount in (totals.subtotal, totals.shipping, totals.duties, totals.taxes, totals.total)
    )
    base = totals_for(lines, rules=rules)
    assert totals.total_base == base.total  # the same order in the base currency, for the books
    assert totals.shipping == unit_price(base.shipping, currency, rate)  # free delivery: decided in base
    assert (totals.duty_exempt, totals.tax_exempt) == (
        base.duty_exempt,
        base.tax_exempt,
    )  # thresholds in base
    assert totals.currency == currency and totals.exchange_rate == rate


def test_a_worked_example_in_won():
    totals = totals_for(
        [(Decimal("3.50"), 3), (Decimal("10.00"), 1)], "KRW", Decimal("1385"), rules=HOME_RULES
    )
    # 3.50 USD = 4,847.5 KRW -> 4,848 per unit; x3 = 14,544 (not 3 x 3.50 x 1385 = 14,542.5 -> 14,543)
    assert totals.subtotal == Decimal("14544") + Decimal("13850")
    assert totals.shipping == Decimal("6911")  # 4.99 x 1385 = 6,911.15 -> 6,911
    assert str(totals.total) == "35305"


def test_conversion_refuses_floats():
    with pytest.raises(TypeError):
        rates.convert(3.5, Decimal("1385"), "KRW")
    with pytest.raises(TypeError):
        rates.convert(Decimal("3.5"), 1385.0, "KRW")


def test_totals_use_the_current_rate_when_none_is_given(db):
    assert totals_for([(Decimal("1.00"), 1)], "KRW").subtotal == Decimal("1385")
    with pytest.raises(ValueError):
        totals_for([(Decimal("1.00"), 1)], "JPY")


# --- the {% price %} tag ---------------------------------------------------------------------------------


def render_price(rf, currency: str, template: str, **context) -> str:
    request = rf.get("/")
    request.currency, request.user = currency, AnonymousUser()
    return Template(template).render(RequestContext(request, context))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("currency", "language", "unit", "line"),
    [
        ("USD", "en", "$3.50", "$10.50"),
        ("KRW", "ko", "₩4,848", "₩14,544"),
        ("CNY", "zh-hans", "¥24.85", "¥74.55"),
        ("EUR", "en", "€3.22", "€9.66"),
    ],
)
def test_price_tag(rf, currency, language, unit, line):
    with translation.override(language):
        assert render_price(rf, currency, "{% price p %}", p=Decimal("3.50")) == unit
        assert render_price(rf, currency, "{% price p quantity=3 %}", p=Decimal("3.50")) == line


@pytest.mark.django_db
def test_price_tag_in_arabic(rf):
    with translation.override("ar"):
        shown = render_price(rf, "SAR", "{% price p %}", p=Decimal("3.50"))
    assert "13.13" in shown or "١٣٫١٣" in shown  # 3.50 x 3.75 = 13.125 -> 13.13


@pytest.mark.django_db
def test_price_tag_falls_back_to_the_base_currency(rf):
    ExchangeRate.objects.filter(currency="EUR").delete()
    with translation.override("en"):
        assert render_price(rf, "EUR", "{% price p %}", p=Decimal("3.50")) == "$3.50"
        assert render_price(rf, "XYZ", "{% price p %}", p=Decimal("3.50")) == "$3.50"
        assert Template("{% price p %}").render(Context({"p": Decimal("3.50")})) == "$3.50"  # no request
        assert render_price(rf, "KRW", "{% price p %}", p=None) == ""


@pytest.mark.django_db
def test_one_rate_lookup_per_request(rf, django_assert_max_num_queries):
    request = rf.get("/")
    request.currency, request.user = "KRW", AnonymousUser()
    with django_assert_max_num_queries(1):
        Template("{% for p in ps %}{% price p %}{% endfor %}").render(
            RequestContext(request, {"ps": [Decimal("1.00")] * 50})
        )


# --- the currency selector -------------------------------------------------------------------------------


def currency_form(page: str) -> str:
    return re.search(
        r'<form class="market-form" method="post"[^>]*>.*?name="currency".*?</form>', page, flags=re.S
    ).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["standard", "elder", "screen-reader", "cross-border"])
def test_currency_selector_on_every_edition(client, slug):
    response = client.get(f"/?edition={slug}&currency=KRW")
    form = currency_form(response.content.decode())
    assert '<label for="market-currency">Currency</label>' in form
    assert '<option value="KRW" selected>KRW – South Korean Won</option>' in form
    assert "Rates of November 1, 2026: <bdi>$1.00</bdi> = <bdi>₩1,385</bdi>" in form
    assert response.cookies["currency"].value == "KRW"


@pytest.mark.django_db
def test_base_currency_needs_no_rate(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert not [q for q in queries.captured_queries if "markets_exchangerate" in q["sql"]]
    form = currency_form(response.content.decode())
    assert '<option value="USD" selected>USD – US Dollar</option>' in form
    assert "Prices in US dollars</p>" in form


@pytest.mark.django_db
def test_currency_selector_keeps_other_parameters(client):
    page = client.get("/search/?q=apple&page=2&currency=EUR").content.decode()
    form = currency_form(page)
    assert 'action="/market/"' in form
    # back to the same search, from its first page: a new currency starts the listing again
    assert '<input type="hidden" name="next" value="/search/?q=apple">' in form


@pytest.mark.django_db
def test_currency_names_and_rate_date_in_the_shoppers_language(client):
    client.cookies["django_language"] = "ko"
    page = client.get("/?currency=KRW").content.decode()
    assert "대한민국 원" in page
    assert "2026년 11월 1일 기준 환율" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["currency=XYZ", "currency=" + "K" * 3000, "country=ZZ", "country=../x", "currency=KRW&currency=EUR"],
)
def test_unknown_codes_never_fail(client, query):
    client.cookies["currency"] = "BTC"
    client.cookies["country"] = "??"
    response = client.get(f"/?edition=cross-border&{query}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_nul_in_a_code_is_a_bad_request(client):
    assert client.get("/?edition=cross-border&currency=%00").status_code == 400  # storefront/nulguard.py


@pytest.mark.django_db
def test_a_currency_without_a_rate_shows_base_prices(client):
    ExchangeRate.objects.filter(currency="SAR").delete()
    page = client.get("/?currency=SAR").content.decode()
    assert '<option value="USD" selected>' in currency_form(page)


@pytest.mark.django_db
def test_an_empty_rate_table_still_works(client):
    ExchangeRate.objects.all().delete()
    page = client.get("/?currency=KRW").content.decode()
    assert "Prices in US dollars" in page


@pytest.mark.django_db
def test_destination_selector_only_up_front_in_cross_border(client):
    page = client.get("/?edition=cross-border&country=KR").content.decode()
    assert '<label for="market-country">Deliver to</label>' in page
    assert '<option value="KR" selected>South Korea</option>' in page
    assert 'name="country"' not in client.get("/?edition=standard").content.decode()


def test_rates_date_shown_is_the_rate_used(db, rf):
    ExchangeRate.objects.create(currency="KRW", rate=Decimal("1400"), as_of=date(2026, 11, 20))
    request = rf.get("/")
    request.currency = "KRW"
    assert rates.for_request(request) == rates.Rate("KRW", Decimal("1400"), date(2026, 11, 20))
    assert quantize(Decimal("1.5"), "KRW") == Decimal("2")


@pytest.mark.django_db
def test_display_survives_a_database_failure(rf, monkeypatch):
    from django.db import OperationalError

    def broken(currency):
        raise OperationalError("database is down")

    monkeypatch.setattr(rates, "current", broken)
    request = rf.get("/")
    request.currency = "KRW"
    assert rates.for_request(request) == rates.BASE_RATE


@pytest.mark.django_db
def test_the_market_bar_is_up_front_only_in_cross_border(client):
    page = client.get("/?edition=cross-border").content.decode()
    assert page.index('class="market-bar market-bar-full"') < page.index('<header class="site-header">')
    page = client.get("/?edition=standard").content.decode()
    assert page.index('<header class="site-header">') < page.index('class="market-bar"')


@pytest.mark.django_db
def test_price_lines_is_the_sum_of_the_shown_lines(rf, product, make_product):
    from types import SimpleNamespace as Line

    lines = [Line(product=product, quantity=3), Line(product=make_product(price="10.00"), quantity=1)]
    template = "{% for l in lines %}{% price l.product.price quantity=l.quantity %};{% endfor %}{% price_lines lines %}"
    with translation.override("en"):
        assert render_price(rf, "KRW", template, lines=lines) == "₩14,544;₩13,850;₩28,394"
        assert render_price(rf, "USD", template, lines=lines) == "$10.50;$10.00;$20.50"
        assert render_price(rf, "KRW", "{% price_lines lines %}", lines=[]) == "₩0"


@pytest.mark.django_db
def test_totals_for_request_match_what_placement_charges(rf, user, address, product):
    from storefront.checkout import placement
    from storefront.markets.pricing import totals_for_request

    request = rf.get("/")
    request.currency = "KRW"
    shown = totals_for_request(request, [(product.price, 2)])
    order, _new = placement.place_order(
        user=user,
        lines=[placement.WantedLine(product.pk, 2)],
        address=address.as_snapshot(),
        idempotency_key="shown-is-charged",
        currency=request.currency,
    )
    assert (order.currency, order.subtotal, order.shipping, order.total) == (
        shown.currency,
        shown.subtotal,
        shown.shipping,
        shown.total,
    )


# --- formatting: what the shopper reads is the amount, to the minor unit ----------------------------------


@given(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999.99"), places=2),
    st.sampled_from(["USD", "CNY", "KRW", "EUR", "SAR"]),
    st.sampled_from(["en", "zh-hans", "ko", "ar", "de"]),
)
@hypothesis_settings(max_examples=300)
def test_formatting_never_loses_or_invents_a_minor_unit(amount, currency, language):
    from babel.numbers import parse_decimal
    from django.utils.translation import to_locale

    from storefront.markets.money import format_money

    shown = format_money(amount, currency, language)
    number = re.search(r"[0-9](?:[0-9.,\u00a0\u202f\u066b\u066c]*[0-9])?", shown).group(0)
    read_back = parse_decimal(number, locale=to_locale(language), strict=True)
    assert read_back == quantize(amount, currency)  # the shown amount is exactly the amount charged
    decimals = (
        len(number.split(",")[-1] if language == "de" else number.split(".")[-1])
        if minor_unit(currency) < 1
        else 0
    )
    assert decimals == -minor_unit(currency).as_tuple().exponent  # every minor unit shown, none invented
