"""Family payment pages: the overview (links, requests, history), invitations, asking, and answering.

A request is found only through the signed-in user's own side of it; anyone else gets 404, never 403, so
nobody learns that a request exists. Every change is a POST with CSRF, followed by a redirect.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from editions.rendering import render_page
from storefront.accounts.models import Address, SavedPaymentMethod
from storefront.accounts import services as account_rules
from storefront.cart import services as cart_services
from storefront.catalog.models import Product
from storefront.checkout import placement
from storefront.checkout.state import CheckoutState
from storefront.nexturl import safe_next

from . import services
from .forms import (AllowanceForm, ApproveForm, AskForm, CheckoutAskForm, DeclineForm, InviteForm,
                    ProductAskForm)
from .models import Allowance, FamilyEvent, FamilyLink, PayRequest


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _visible_request(request: HttpRequest, public_id) -> PayRequest:
    pay_request = (PayRequest.objects.select_related("order", "link", "payer", "beneficiary")
                   .filter(Q(payer=request.user) | Q(beneficiary=request.user), public_id=public_id).first())
    if pay_request is None:
        raise Http404
    return services.settle_on_read(services.expire_if_due(pay_request))


def _allowance_row(link: FamilyLink, form: AllowanceForm | None = None) -> dict:
    allowance = Allowance.objects.filter(link=link).first()
    if form is None:
        initial = ({"monthly_limit": allowance.monthly_limit,
                    "excluded_categories": list(allowance.excluded_categories.all())} if allowance else {})
        form = AllowanceForm(prefix=f"allowance-{link.pk}", initial=initial)
    return {"link": link, "allowance": allowance, "form": form,
            "spent": services.allowance_spent(link) if allowance else None}


def _home_context(request: HttpRequest, allowance_forms: dict | None = None, **overrides) -> dict:
    user = request.user
    allowance_forms = allowance_forms or {}
    for due in PayRequest.objects.due().filter(Q(payer=user) | Q(beneficiary=user)):
        services.expire_if_due(due)
    my_link = services.active_link_for(user)
    summary = cart_services.summary(cart_services.get_cart(request))
    default_address = account_rules.default_address(user)
    context = {
        "my_link": my_link,
        "paying_for": [_allowance_row(link, allowance_forms.get(link.pk)) for link in
                       FamilyLink.objects.active().filter(payer=user).select_related("beneficiary")],
        "open_invites": [link for link in FamilyLink.objects.filter(payer=user,
                                                                    status=FamilyLink.Status.INVITED)
                         if link.invite_usable()],
        "incoming": PayRequest.objects.filter(payer=user).select_related("order", "beneficiary")[:20],
        "outgoing": PayRequest.objects.filter(beneficiary=user).select_related("order", "payer")[:20],
        "events": FamilyEvent.objects.filter(link__in=FamilyLink.objects.involving(user))
        .select_related("actor", "pay_request", "link")[:30],
        "summary": summary,
        "cart_totals": cart_services.priced(request, summary, default_address.country
                                            if default_address else None).totals,
        "default_address": default_address,
        "invite_form": InviteForm(),
        "ask_form": AskForm(),
        "allowance_errors": None,
        "base_url": _base_url(request),
    }
    context.update(overrides)
    return context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render_page(request, "family/home.html", _home_context(request))


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return render_page(request, "family/home.html", _home_context(request, invite_form=form), status=400)
    services.create_invite(payer=request.user, email=form.cleaned_data["email"], base_url=_base_url(request))
    if form.cleaned_data["email"]:
        messages.success(request, _("Invitation sent. The link works once and for 7 days."))
    else:
        messages.success(request, _("Invitation created. Share the link below; it works once and for "
                                    "7 days."))
    return redirect("family:home")


@login_required
def join(request: HttpRequest, code: str) -> HttpResponse:
    link = FamilyLink.objects.select_related("payer").filter(invite_code=code).first()
    if request.method == "POST":
        try:
            services.accept_invite(code=code, beneficiary=request.user)
        except services.FamilyError as exc:
            messages.error(request, str(exc))
            return redirect("family:join", code=code)
        messages.success(request, _("Done. You can now ask %(name)s to pay for your shopping.")
                         % {"name": services.display_name(link.payer)})
        return redirect("family:home")
    problem = services.invite_problem(link, request.user)
    return render_page(request, "family/join.html", {
        "link": link, "problem": problem, "payer_name": services.display_name(link.payer) if link else ""},
        status=404 if link is None else 200)


@login_required
@require_POST
def end_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(FamilyLink.objects.involving(request.user), pk=pk)
    services.end_link(link=link, by=request.user)
    messages.success(request, _("The family link has ended. Requests still waiting were cancelled."))
    return redirect("family:home")


@login_required
@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.POST)
    if not form.is_valid():
        return render_page(request, "family/home.html", _home_context(request, ask_form=form), status=400)
    cart = cart_services.get_cart(request)
    summary = cart_services.summary(cart)
    if not summary.lines:
        just_asked = PayRequest.objects.pending().filter(
            beneficiary=request.user, created_at__gte=timezone.now() - timedelta(minutes=5)).first()
        if just_asked is not None:  # a double submit: the first one already moved the cart into the request
            messages.info(request, _("You already asked for these items. That request is still waiting for "
                                     "an answer."))
            return redirect(just_asked)
        messages.error(request, _("Your cart is empty. Add something before asking."))
        return redirect("family:home")
    address = account_rules.default_address(request.user)
    if address is None:
        messages.error(request, _("Add a default delivery address first, so your family knows where it "
                                  "goes."))
        return redirect("accounts:addresses")
    lines = [placement.WantedLine(line.product_id, line.quantity) for line in summary.lines]
    return _ask(request, lines, address, note=form.cleaned_data["note"], back=reverse("family:home"),
                cart=cart)


def _ask(request: HttpRequest, lines: list[placement.WantedLine], address: Address, *, note: str = "",
         key: str = "", back: str, cart=None) -> HttpResponse:
    """Ask through the family service (the one way to ask), then say what happened and show the request."""
    try:
        pay_request, created = services.ask_to_pay(
            beneficiary=request.user, lines=lines, address=address.as_snapshot(), note=note,
            base_url=_base_url(request), idempotency_key=key, currency=request.currency)
    except (services.FamilyError, placement.PlacementError) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if cart is not None:
        cart_services.clear(request, cart)
    name = services.display_name(pay_request.payer)
    if created and pay_request.status == PayRequest.Status.APPROVED:  # within the allowance
        messages.success(request, _("Paid from the monthly allowance %(name)s set for you. Your order is "
                                    "confirmed.") % {"name": name})
    elif created and pay_request.status == PayRequest.Status.CANCELLED:  # the allowance card was refused
        messages.error(request, _("%(reason)s Nothing was charged and the items are back on sale.")
                       % {"reason": pay_request.answer})
    elif created:
        messages.success(request, _("Sent. %(name)s has 48 hours to answer; the items are kept for you "
                                    "until then.") % {"name": name})
    elif pay_request.status == PayRequest.Status.PENDING:
        messages.info(request, _("You already asked for these items. That request is still waiting for "
                                 "an answer."))
    return redirect(pay_request)


@login_required
@require_POST
def ask_product(request: HttpRequest) -> HttpResponse:
    """"Ask my family to pay" on a product page: one unit, held for 48 hours, like a one-click purchase."""
    form = ProductAskForm(request.POST)
    product = None
    if form.is_valid():
        product = Product.objects.filter(pk=form.cleaned_data["product"]).first()
    if product is None:
        messages.error(request, _("Something went wrong with that button. Nothing was ordered. "
                                  "Please try again."))
        return redirect("home")
    address = account_rules.default_address(request.user)
    if address is None:
        messages.error(request, _("Add a default delivery address first, so your family knows where it "
                                  "goes."))
        return redirect("accounts:addresses")
    return _ask(request, [placement.WantedLine(product.pk, 1)], address,
                key=form.cleaned_data["idempotency_key"], back=product.get_absolute_url())


@login_required
@require_POST
def ask_checkout(request: HttpRequest) -> HttpResponse:
    """"Ask my family to pay" at checkout (review or pay step): the cart, to the checkout's address."""

    back = _safe_back(request, reverse("checkout:review"))
    links = list(FamilyLink.objects.active().filter(beneficiary=request.user).select_related("payer"))
    form = CheckoutAskForm(request.POST, links=links)
    if not links:
        messages.error(request, _("Nobody is set up to pay for you yet. Ask a family member to invite you."))
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    cart = cart_services.get_cart(request)
    summary = cart_services.summary(cart)
    key = form.cleaned_data["idempotency_key"]
    if not summary.lines:
        earlier = PayRequest.objects.filter(beneficiary=request.user, order__idempotency_key=key).first()
        if earlier is not None:  # a double submit: the first one already moved the cart into the request
            return redirect(earlier)
        messages.error(request, _("Your cart is empty. Add something before asking."))
        return redirect("cart:cart")
    address = CheckoutState.of(request).address(request.user) or account_rules.default_address(request.user)
    if address is None:
        return redirect("checkout:address")
    lines = [placement.WantedLine(line.product_id, line.quantity) for line in summary.lines]
    return _ask(request, lines, address, note=form.cleaned_data["note"], key=key, back=back, cart=cart)


def _safe_back(request: HttpRequest, fallback: str) -> str:
    return safe_next(request, fallback)  # the shop's one next= rule (storefront/nexturl.py)


@never_cache
@login_required
def request_status(request: HttpRequest, public_id) -> HttpResponse:
    """The htmx status poll of a request page or order page: announces a change in the polite live region."""
    from .templatetags.family import status_change

    pay_request = _visible_request(request, public_id)
    since = request.GET.get("since", "")
    status_change(request, pay_request)
    announcement = ""
    if since and since != pay_request.status:
        announcement = _("Family payment request for order %(number)s: %(status)s.") % {
            "number": pay_request.order.number, "status": pay_request.get_status_display()}
    return render(request, "family/_status_update.html", {"pay_request": pay_request,
                                                           "announcement": announcement})


@login_required
def request_detail(request: HttpRequest, public_id) -> HttpResponse:
    pay_request = _visible_request(request, public_id)
    return render_page(request, "family/request_detail.html", _request_context(request, pay_request))


def _request_context(request: HttpRequest, pay_request: PayRequest, **overrides) -> dict:
    is_payer = pay_request.payer_id == request.user.pk
    methods = list(SavedPaymentMethod.objects.filter(user=request.user)) if is_payer else []
    context = {
        "pay_request": pay_request, "order": pay_request.order, "is_payer": is_payer,
        "lines": pay_request.order.lines.all(), "methods": methods,
        "approve_form": ApproveForm(methods=methods) if is_payer else None,
        "decline_form": DeclineForm() if is_payer else None,
        "events": pay_request.events.select_related("actor"),
        "refunds": list(pay_request.order.refunds.all()),  # returns refunded to the payer's card
        "payer_name": services.display_name(pay_request.payer),
        "beneficiary_name": services.display_name(pay_request.beneficiary),
    }
    context.update(overrides)
    return context


@login_required
@require_POST
def approve(request: HttpRequest, public_id) -> HttpResponse:
    pay_request = _visible_request(request, public_id)
    if pay_request.payer_id != request.user.pk:
        raise Http404
    methods = list(SavedPaymentMethod.objects.filter(user=request.user))
    form = ApproveForm(request.POST, methods=methods)
    if not form.is_valid():
        return render_page(request, "family/request_detail.html",
                           _request_context(request, pay_request, approve_form=form), status=400)
    method = next(m for m in methods if str(m.pk) == form.cleaned_data["method"])
    try:
        pay_request = services.approve(pay_request=pay_request, payer=request.user, method=method,
                                       base_url=_base_url(request))
    except services.FamilyError as exc:
        messages.error(request, str(exc))
        return redirect(pay_request)
    if pay_request.status == PayRequest.Status.APPROVED:
        messages.success(request, _("Paid. Thank you. We have told %(name)s.")
                         % {"name": services.display_name(pay_request.beneficiary)})
    elif pay_request.status == PayRequest.Status.CANCELLED:
        messages.error(request, _("%(reason)s The request has been cancelled and the items are back on sale; "
                                  "%(name)s can ask again.")
                       % {"reason": pay_request.answer,
                          "name": services.display_name(pay_request.beneficiary)})
    else:
        messages.info(request, _("We are still confirming the payment with your bank. You will not be "
                                 "charged twice. Check this page again in a minute."))
    return redirect(pay_request)


@login_required
@require_POST
def decline(request: HttpRequest, public_id) -> HttpResponse:
    pay_request = _visible_request(request, public_id)
    if pay_request.payer_id != request.user.pk:
        raise Http404
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return render_page(request, "family/request_detail.html",
                           _request_context(request, pay_request, decline_form=form), status=400)
    try:
        services.decline(pay_request=pay_request, payer=request.user, message=form.cleaned_data["message"],
                         base_url=_base_url(request))
    except services.FamilyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Declined. We have told %(name)s; nobody was charged.")
                         % {"name": services.display_name(pay_request.beneficiary)})
    return redirect(pay_request)


@login_required
@require_POST
def cancel(request: HttpRequest, public_id) -> HttpResponse:
    pay_request = _visible_request(request, public_id)
    if pay_request.beneficiary_id != request.user.pk:
        raise Http404
    try:
        services.cancel(pay_request=pay_request, beneficiary=request.user, base_url=_base_url(request))
    except services.FamilyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Request cancelled. The items are back on sale."))
    return redirect(pay_request)


@login_required
@require_POST
def set_allowance(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(FamilyLink.objects.active(), pk=pk, payer=request.user)
    form = AllowanceForm(request.POST, prefix=f"allowance-{link.pk}")
    if not form.is_valid():
        context = _home_context(request, allowance_forms={link.pk: form}, allowance_errors=form)
        return render_page(request, "family/home.html", context, status=400)
    services.set_allowance(link=link, payer=request.user, monthly_limit=form.cleaned_data["monthly_limit"],
                           excluded=form.cleaned_data["excluded_categories"])
    messages.success(request, _("Allowance saved."))
    return redirect("family:home")
