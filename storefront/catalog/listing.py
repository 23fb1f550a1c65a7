"""Product listings: the filter form (price range, minimum rating, in stock), sorting and pagination.

Malformed parameters never break a page: the form reports them and the listing ignores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Product

PAGE_SIZE = 24

SORTS = {
    "relevance": (_("Relevance"), None),
    "price": (_("Price: low to high"), ("price", "id")),
    "-price": (_("Price: high to low"), ("-price", "id")),
    "rating": (_("Customer rating"), ("-rating_average", "-rating_count", "id")),
    "newest": (_("Newest"), ("-created_at", "-id")),
}


class ListingFilterForm(forms.Form):
    min_price = forms.DecimalField(
        label=_("Lowest price"),
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    max_price = forms.DecimalField(
        label=_("Highest price"),
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    min_rating = forms.TypedChoiceField(
        label=_("Minimum rating"),
        required=False,
        coerce=int,
        empty_value=0,  # type: ignore[arg-type]  # any value works; django-stubs says str
        choices=[
            ("", _("Any rating")),
            ("4", _("4 stars and up")),
            ("3", _("3 stars and up")),
            ("2", _("2 stars and up")),
            ("1", _("1 star and up")),
        ],
    )
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[(key, label) for key, (label, _order) in SORTS.items()]
    )

    def __init__(self, *args, default_sort: str = "relevance", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.default_sort = default_sort
        if default_sort != "relevance":
            sort: Any = self.fields["sort"]  # a ChoiceField
            sort.choices = [c for c in sort.choices if c[0] != "relevance"]

    def clean(self) -> dict:
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price must be more than the lowest price."))
        return data

    def value(self, name: str, default=None):
        """A cleaned value, or the default when the field was missing or invalid."""
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return default if value in (None, "") or name in self.errors else value

    def show(self, sort: str) -> None:
        """Make the form show what the listing did: the sort in effect selected (else the select shows, and
        announces, its first option), and no number field echoing text a number input cannot hold ("abc" is
        invalid HTML there; its error message says it was ignored)."""
        self.fields["sort"].initial = sort
        if not self.is_bound:
            return
        data = self.data.copy()  # type: ignore[attr-defined]  # bound: a QueryDict (or a dict), both copy
        data["sort"] = sort
        for name in ("min_price", "max_price"):
            if name in self.errors and name in data:
                try:
                    Decimal(data[name])
                except ArithmeticError:
                    del data[name]
        self.data = data


@dataclass
class Listing:
    form: ListingFilterForm
    page: Page
    total: int
    sort: str


def apply_filters(qs: QuerySet[Product], form: ListingFilterForm) -> QuerySet[Product]:
    low, high = form.value("min_price"), form.value("max_price")
    if low is not None:
        qs = qs.filter(price__gte=low)
    if high is not None:
        qs = qs.filter(price__lte=high)
    rating = form.value("min_rating", 0)
    if rating:
        qs = qs.filter(rating_average__gte=rating)
    if form.value("in_stock", False):
        qs = qs.filter(stock__gt=0)
    return qs


def _ordering(sort: str) -> tuple[str, ...]:
    """The order_by fields of a sort other than relevance (build() only asks for those)."""
    return cast("tuple[str, ...]", SORTS[sort][1])


def page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 10_000))
    except (TypeError, ValueError):
        return 1


def build(qs: QuerySet[Product], params, *, ranked_ids: list[int] | None = None) -> Listing:
    """Filter, sort and paginate. With `ranked_ids` (search), relevance keeps the search engine's order."""
    default_sort = "relevance" if ranked_ids is not None else "rating"
    form = ListingFilterForm(params or None, default_sort=default_sort)
    sort = form.value("sort", default_sort) or default_sort
    if sort not in SORTS or (sort == "relevance" and ranked_ids is None):
        sort = default_sort
    qs = apply_filters(qs, form)
    form.show(sort)
    number = page_number(params.get("page"))
    if ranked_ids is not None:
        allowed = set(qs.filter(pk__in=ranked_ids).values_list("pk", flat=True))
        ids = [pid for pid in ranked_ids if pid in allowed]
        if sort != "relevance":
            ids = list(
                Product.objects.filter(pk__in=ids).order_by(*_ordering(sort)).values_list("pk", flat=True)
            )
        paginator: Paginator[Any] = Paginator(ids, PAGE_SIZE)
        page = paginator.get_page(number)
        by_id = {p.pk: p for p in Product.objects.for_listing().filter(pk__in=list(page.object_list))}
        page.object_list = [by_id[pid] for pid in page.object_list if pid in by_id]
        return Listing(form, page, paginator.count, sort)
    paginator = Paginator(qs.order_by(*_ordering(sort)), PAGE_SIZE)
    page = paginator.get_page(number)
    return Listing(form, page, paginator.count, sort)
