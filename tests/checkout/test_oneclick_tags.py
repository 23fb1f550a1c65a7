"""One-click template tags only format (issue 16): readiness comes from the `oneclick` context processor and the
"Buy now" price from the product view (catalog.product_extras); rendering the tags runs no query."""

from __future__ import annotations

from django.template import engines
from django.test import RequestFactory

from storefront.catalog import pagecache
from storefront.checkout import context_processors


def test_the_tags_run_no_query(db, django_assert_num_queries):
    class PlacedOrder:  # only what the cancel window reads
        status = "paid"
        from django.utils import timezone

        placed_at = timezone.now()

    with django_assert_num_queries(0):
        page = (
            engines["django"]
            .from_string(
                "{% load oneclick %}{% cancel_window order as w %}{{ w.open }} {{ w.minutes }} {% oneclick_key %}"
            )
            .render({"order": PlacedOrder()})
        )
    assert page.startswith("True 30 oneclick-")


def test_readiness_is_read_lazily_and_once_per_request(
    user, address, make_saved_card, django_assert_num_queries
):
    make_saved_card(user, is_default=True)
    request = RequestFactory().get("/")
    request.user = user
    with django_assert_num_queries(0):
        context = context_processors.oneclick(request)  # nothing read until a page shows it
    with django_assert_num_queries(2):  # default address, default card
        assert context["oneclick"].ready
        assert context_processors.oneclick(request)["oneclick"].ready  # the same request: no second look-up


def test_the_product_page_gets_the_buy_now_price_from_its_view(
    user_client, user, address, product, make_saved_card
):
    make_saved_card(user, is_default=True)
    response = user_client.get(product.get_absolute_url())
    # The page is cached for shoppers with a session: the shared render sees only a guard (catalog.pagecache);
    # the value is in the context of the buying part, which is rendered per request.
    found = [
        ctx["buy_now_totals"]
        for ctx in response.context
        if "buy_now_totals" in ctx and not isinstance(ctx["buy_now_totals"], pagecache._VisitorGuard)  # noqa: SLF001
    ]
    assert found, "the buying part was not rendered with its totals"
    totals = found[0]
    assert totals.total > product.price  # one unit, delivered to the default address
    assert "Buys 1 now for" in response.content.decode() or "One costs" in response.content.decode()
