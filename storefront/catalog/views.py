"""Catalogue pages: home, category, search (+ suggestions), product, reviews and compare. Views stay thin."""

from __future__ import annotations

import functools
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from editions.rendering import render_page
from storefront.nexturl import safe_next

from . import compare as compare_list
from . import listing, product_extras, purchases, recommendations, search, stock_alerts, translated
from .forms import ReviewForm, StockAlertForm
from .models import Category, Product, Review
from .pagecache import catalogue_stamp, keep_for_parts, page_cache, visitor_context


@page_cache(catalogue_stamp)
def home(request: HttpRequest) -> HttpResponse:
    # Lazy: read only when the shared fragments are not cached (templates: `{% cache ... shared_key %}`).
    categories = SimpleLazyObject(lambda: list(Category.objects.all()))
    featured = SimpleLazyObject(
        lambda: list(
            Product.objects.for_listing()
            .filter(stock__gt=0, rating_count__gte=3)
            .order_by("-rating_average", "-rating_count", "id")[:8]
        )
    )
    return render_page(request, "catalog/home.html", {"categories": categories, "featured": featured})


@page_cache(catalogue_stamp)
def category(request: HttpRequest, slug: str) -> HttpResponse:
    cat = get_object_or_404(Category, slug=slug)
    result = SimpleLazyObject(
        lambda: listing.build(Product.objects.for_listing().filter(category=cat), request.GET)
    )
    return render_page(
        request, "catalog/category.html", {"category": cat, "listing": result}, fragment="results"
    )


@require_GET
@page_cache(catalogue_stamp)
def search_results(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    too_long = len(raw) > search.MAX_QUERY_LENGTH
    query = search.clean_query(raw)

    @functools.cache
    def found() -> search.SearchResult:
        return search.run(query) if query else search.SearchResult([])

    result = SimpleLazyObject(
        lambda: listing.build(Product.objects.for_listing(), request.GET, ranked_ids=found().product_ids)
    )
    return render_page(
        request,
        "catalog/search.html",
        {
            "query": query,
            "listing": result,
            "too_long": too_long,
            "suggestion": SimpleLazyObject(lambda: found().suggestion or ""),
            "corrected": SimpleLazyObject(lambda: (found().corrected or "") if found().product_ids else ""),
            "max_length": search.MAX_QUERY_LENGTH,
        },
        fragment="results",
    )


@require_GET
def search_suggest(request: HttpRequest) -> HttpResponse:
    query = search.clean_query(request.GET.get("q", ""))
    ids = search.suggestions(query) if len(query) >= 2 else []
    by_id = {p.pk: p for p in Product.objects.for_listing().filter(pk__in=ids)}
    products = [by_id[i] for i in ids if i in by_id]
    return render_page(request, "catalog/_suggestions.html", {"query": query, "products": products})


def _product_personal(request: HttpRequest, kwargs: dict, kept: dict) -> dict:
    """The product page's parts about the visitor, for a page served from the cache (catalog/pagecache.py): the
    product kept with the page (as current as the page), else read if one of them needs it."""
    if isinstance(kept.get("product"), Product):
        return {"product": kept["product"], **_personal_context(request, kept["product"])}
    product = cast(
        Product,
        SimpleLazyObject(lambda: get_object_or_404(Product.objects.for_listing(), slug=kwargs["slug"])),
    )
    return {"product": product, **_personal_context(request, product)}


@page_cache(catalogue_stamp, personal=_product_personal)
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.for_listing(), slug=slug)
    keep_for_parts(request, product=product)  # with the cached page: its parts need not read it again
    return render_page(
        request,
        "catalog/product_detail.html",
        {
            **_detail_context(request, product),
            **visitor_context(request, _personal_context(request, product)),
        },
    )


def _review_state(request: HttpRequest, product: Product) -> tuple[str, ReviewForm | None]:
    """Whether the shopper may review: 'anonymous', 'not_bought', 'reviewed' or 'yes'."""
    user = request.user
    if not user.is_authenticated:
        return "anonymous", None
    if Review.objects.filter(product=product, user=user).exists():
        return "reviewed", None
    if not purchases.has_bought(user, product):
        return "not_bought", None
    return "yes", ReviewForm()


@login_required
@require_POST
def review_create(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.for_listing(), slug=slug)
    state, _form = _review_state(request, product)
    if state != "yes":
        messages.error(request, _("Only shoppers who bought this product can review it, once."))
        return redirect(product)
    form = ReviewForm(request.POST)
    if form.is_valid():
        Review.objects.create(
            product=product,
            user=request.user,  # type: ignore[misc]  # login_required: a User (accounts.requests is a layer up)
            language=translated.content_language(),
            **form.cleaned_data,
        )
        messages.success(request, _("Thank you. Your review is published."))
        return redirect(f"{product.get_absolute_url()}#reviews")
    # Re-render with the bound form: errors sit next to their fields and nothing has to be retyped.
    return render_page(
        request,
        "catalog/product_detail.html",
        {
            **_detail_context(request, product),
            **_personal_context(request, product),
            "review_form": form,
            "can_review": "yes",
            "form_errors": True,
        },
        status=400,
    )


def _detail_context(request: HttpRequest, product: Product) -> dict:
    """The product page's shared context (rating bars, reviews, recommendations), lazy: read only when their
    fragment is not cached."""

    @functools.cache
    def distribution() -> dict[int, int]:
        return dict(Review.objects.filter(product=product).values_list("rating").annotate(n=Count("id")))

    def bars() -> list[dict]:
        total = sum(distribution().values())
        return [
            {
                "stars": s,
                "count": distribution().get(s, 0),
                "percent": round(100 * distribution().get(s, 0) / total) if total else 0,
            }
            for s in (5, 4, 3, 2, 1)
        ]

    return {
        "product": product,
        "bars": SimpleLazyObject(bars),
        "review_total": SimpleLazyObject(lambda: sum(distribution().values())),
        "reviews": SimpleLazyObject(
            lambda: list(Review.objects.filter(product=product).select_related("user")[:10])
        ),
        "recommendations": SimpleLazyObject(lambda: recommendations.for_product(product)),
    }


def _personal_context(request: HttpRequest, product: Product) -> dict:
    """The product page's parts about the visitor (its `{% personal %}` templates: buying, comparison, review),
    lazy: each is read only when its part is rendered, per request, also on a page served from the cache."""

    @functools.cache
    def review() -> tuple[str, ReviewForm | None]:
        return _review_state(request, product)

    return {
        "in_compare": SimpleLazyObject(lambda: product.pk in compare_list.ids(request)),
        "stock_alert_form": SimpleLazyObject(
            lambda: None if product.in_stock else StockAlertForm(user=request.user)
        ),
        "waiting_for_stock": SimpleLazyObject(
            lambda: not product.in_stock and stock_alerts.is_waiting(product, request.user)
        ),
        "can_review": SimpleLazyObject(lambda: review()[0]),
        "review_form": SimpleLazyObject(lambda: review()[1]),
        **product_extras.context(request, product),
    }


@require_POST
def stock_alert(request: HttpRequest, slug: str) -> HttpResponse:
    """'Notify me when back in stock' for a sold-out product: signed in (their address) or with an e-mail."""
    product = get_object_or_404(Product.objects.for_listing(), slug=slug)
    if product.in_stock:
        messages.info(request, _("%(name)s is in stock now.") % {"name": product.display_name})
        return redirect(product)
    form = StockAlertForm(request.POST, user=request.user)
    if not form.is_valid():
        return render_page(
            request,
            "catalog/product_detail.html",
            {
                **_detail_context(request, product),
                **_personal_context(request, product),
                "stock_alert_form": form,
                "form_errors": True,
            },
            status=400,
        )
    stock_alerts.subscribe(
        product,
        form.address,
        user=request.user,
        language=request.LANGUAGE_CODE,
        base_url=request.build_absolute_uri("/"),
    )
    messages.success(
        request,
        _("We will e-mail %(email)s once when %(name)s is back in stock.")
        % {"email": form.address, "name": product.display_name},
    )
    return redirect(product)


def compare(request: HttpRequest) -> HttpResponse:
    products = compare_list.products(request)
    spec_names: list[str] = []
    for product in products:
        for name, _value in product.specifications:
            if name not in spec_names:
                spec_names.append(name)
    # keyed by the stored (English) name, shown in the reader's language
    rows = [
        {
            "name": translated.term(name),
            "values": [translated.term(dict(p.specifications).get(name, "")) for p in products],
        }
        for name in spec_names
    ]
    return render_page(
        request, "catalog/compare.html", {"products": products, "rows": rows, "limit": compare_list.LIMIT}
    )


@require_POST
def compare_toggle(request: HttpRequest) -> HttpResponse:
    try:
        product_id = int(request.POST.get("product", ""))
    except ValueError:
        raise Http404 from None
    product = get_object_or_404(Product.objects.active(), pk=product_id)
    if request.POST.get("action") == "remove":
        compare_list.remove(request, product)
        messages.success(request, _("%(name)s removed from comparison.") % {"name": product.display_name})
    else:
        ok = compare_list.add(request, product)
        if ok:
            messages.success(request, _("%(name)s added to comparison.") % {"name": product.display_name})
        else:
            messages.error(
                request,
                _("You can compare up to %(n)d products. Remove one first.") % {"n": compare_list.LIMIT},
            )
    return redirect(safe_next(request, reverse("catalog:compare")))
