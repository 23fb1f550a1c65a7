"""Family payment pages: the overview (links, requests, history), invitations, asking, and answering.

A request is found only through the signed-in user's own side of it; anyone else gets 404, never 403, so
nobody learns that a request exists. Every change is a POST with CSRF, followed by a redirect.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from editions.rendering import render_page
from storefront.accounts import services as account_rules
from storefront.accounts.models import Address, SavedPaymentMethod
from storefront.accounts.requests import SignedInRequest
from storefront.cart import services as cart_services
from storefront.catalog.models import Product
from storefront.checkout import placement
from storefront.checkout.models import Payment
from storefront.checkout.state import CheckoutState
from storefront.markets.pricing import totals_for_request
from storefront.nexturl import safe_next

from . import services, share_code_guard
from .forms import (
    AcceptForm,
    AllowanceForm,
    ApproveForm,
    AskForm,
    BasketForm,
    CheckoutAskForm,
    DeclineForm,
    FamilyCardForm,
    HelpRequestForm,
    InviteForm,
    ProductAskForm,
    RelationForm,
    ShareCodeForm,
)
from .models import Allowance, FamilyEvent, FamilyLink, HelpBasket, PayRequest


def _base_url(request: SignedInRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _visible_request(request: SignedInRequest, public_id) -> PayRequest:
    pay_request = (
        PayRequest.objects.select_related("order", "link", "payer", "beneficiary")
        .filter(Q(payer=request.user) | Q(beneficiary=request.user), public_id=public_id)
        .first()
    )
    if pay_request is None:
        raise Http404
    return services.settle_on_read(services.expire_if_due(pay_request))


def _allowance_row(link: FamilyLink, form: AllowanceForm | None = None) -> dict:
    allowance = Allowance.objects.filter(link=link).first()
    if form is None:
        initial = (
            {
                "monthly_limit": allowance.monthly_limit,
                "excluded_categories": list(allowance.excluded_categories.all()),
            }
            if allowance
            else {}
        )
        form = AllowanceForm(prefix=f"allowance-{link.pk}", initial=initial)
    return {
        "link": link,
        "allowance": allowance,
        "form": form,
        "spent": services.allowance_spent(link) if allowance else None,
        "relation_form": RelationForm(
            prefix=f"relation-{link.pk}", initial={"relation": link.beneficiary_relation}
        ),
        "basket_form": BasketForm(prefix=f"basket-{link.pk}"),
        "baskets": list(HelpBasket.objects.filter(link=link).prefetch_related("lines__product")[:5]),
    }


def _home_context(request: SignedInRequest, allowance_forms: dict | None = None, **overrides) -> dict:
    """Each side sees its own sections: someone paid for sees who pays, the allowance and what is left,
    baskets to confirm and their requests; a payer sees the people they pay for and the requests to answer.
    Someone with neither sees how to start, from either side."""
    user = request.user
    allowance_forms = allowance_forms or {}
    for due in PayRequest.objects.due().filter(Q(payer=user) | Q(beneficiary=user)):
        services.expire_if_due(due)
    my_link = services.active_link_for(user)
    paying_for = [
        _allowance_row(link, allowance_forms.get(link.pk))
        for link in FamilyLink.objects.active().filter(payer=user).select_related("beneficiary", "payer")
    ]
    open_invites = [
        link
        for link in FamilyLink.objects.filter(payer=user, status=FamilyLink.Status.INVITED)
        if link.invite_usable()
    ]
    help_asks = [
        link
        for link in FamilyLink.objects.filter(
            beneficiary=user, status=FamilyLink.Status.INVITED, started_by=FamilyLink.Side.BENEFICIARY
        )
        if link.invite_usable()
    ]
    incoming = list(
        PayRequest.objects.filter(payer=user)
        .select_related("order", "beneficiary", "link")
        .prefetch_related("order__lines")[:20]
    )
    outgoing = list(
        PayRequest.objects.filter(beneficiary=user)
        .select_related("order", "payer", "link")
        .prefetch_related("order__lines")[:20]
    )
    is_beneficiary = bool(my_link or outgoing or help_asks)
    is_payer = bool(paying_for or open_invites or incoming)
    summary = cart_services.summary(cart_services.get_cart(request))
    default_address = account_rules.default_address(user)
    context = {
        "my_link": my_link,
        "outlook": services.allowance_outlook(my_link) if my_link else None,
        "my_relation_form": RelationForm(
            prefix=f"relation-{my_link.pk}", initial={"relation": my_link.payer_relation}
        )
        if my_link
        else None,
        "baskets_for_me": list(
            HelpBasket.objects.filter(
                beneficiary=user, status=HelpBasket.Status.OFFERED, link__status=FamilyLink.Status.ACTIVE
            )
            .select_related("link", "payer")
            .prefetch_related("lines__product")
        ),
        "paying_for": paying_for,
        "open_invites": open_invites,
        "help_asks": help_asks,
        "incoming": incoming,
        "outgoing": outgoing,
        "show_beneficiary": is_beneficiary or not is_payer,
        "show_payer": is_payer or not is_beneficiary,
        "starting": not is_payer and not is_beneficiary,
        "events": FamilyEvent.objects.filter(link__in=FamilyLink.objects.involving(user)).select_related(
            "actor", "pay_request", "link", "link__payer", "link__beneficiary"
        )[:30],
        "summary": summary,
        "cart_totals": cart_services.priced(
            request, summary, default_address.country if default_address else None
        ).totals,
        "default_address": default_address,
        "has_card": SavedPaymentMethod.objects.filter(user=user, is_default=True).exists(),
        "invite_form": InviteForm(),
        "help_form": HelpRequestForm(),
        "code_form": ShareCodeForm(),
        "ask_form": AskForm(),
        "basket_form": BasketForm(),
        "allowance_errors": None,
        "base_url": _base_url(request),
    }
    context.update(overrides)
    return context


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    return render_page(request, "family/home.html", _home_context(request))


@login_required
@require_POST
def invite(request: SignedInRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return render_page(request, "family/home.html", _home_context(request, invite_form=form), status=400)
    services.create_invite(
        payer=request.user,
        email=form.cleaned_data["email"],
        base_url=_base_url(request),
        relation=form.cleaned_data["relation"],
    )
    if form.cleaned_data["email"]:
        messages.success(request, _("Invitation sent. The link works once and for 7 days."))
    else:
        messages.success(
            request, _("Invitation created. Share the link below; it works once and for 7 days.")
        )
    return redirect(reverse("family:home") + "#invitations")


@login_required
@require_POST
def ask_help(request: SignedInRequest) -> HttpResponse:
    """ "Ask a family member to help me": the person to be paid for starts the link."""
    form = HelpRequestForm(request.POST)
    if not form.is_valid():
        return render_page(request, "family/home.html", _home_context(request, help_form=form), status=400)
    try:
        services.ask_for_help(
            beneficiary=request.user,
            relation=form.cleaned_data["relation"],
            email=form.cleaned_data["email"],
            base_url=_base_url(request),
        )
    except services.FamilyError as exc:
        messages.error(request, str(exc))
        return redirect("family:home")
    messages.success(
        request, _("Done. Give your family member the code or the link below; it works once, for 7 days.")
    )
    return redirect(reverse("family:home") + "#help-asks")


@login_required
@require_POST
def enter_code(request: SignedInRequest) -> HttpResponse:
    """A relative types the short code they were given: it opens the invitation it names."""
    form = ShareCodeForm(request.POST)
    if share_code_guard.blocked(request):
        form.is_valid()
        form.add_error(
            "code",
            _(
                "Too many codes did not match, so we have stopped checking codes for 15 minutes to keep "
                "family links safe. Try again later, or open the link your family member sent you."
            ),
        )
        response = render_page(
            request, "family/home.html", _home_context(request, code_form=form), status=429
        )
        response["Retry-After"] = str(share_code_guard.WINDOW)
        return response
    link = (
        services.link_for_share_code(form.data.get(form.add_prefix("code"), "")) if form.is_valid() else None
    )
    if link is None:
        if form.is_valid():
            share_code_guard.record_wrong(request)
            form.add_error("code", _("We could not find that code. Check it, or ask for a new one."))
        return render_page(request, "family/home.html", _home_context(request, code_form=form), status=400)
    return redirect("family:join", code=link.invite_code)


@login_required
def join(request: SignedInRequest, code: str) -> HttpResponse:
    link = FamilyLink.objects.select_related("payer", "beneficiary").filter(invite_code=code).first()
    form = AcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.accept(code=code, by=request.user, relation=form.cleaned_data["relation"])
        except services.FamilyError as exc:
            messages.error(request, str(exc))
            return redirect("family:join", code=code)
        if link.payer_id == request.user.pk:
            messages.success(
                request,
                _(
                    "Done. You now help %(name)s: they can ask you to pay, and you can "
                    "prepare baskets for them."
                )
                % {"name": link.beneficiary_name},
            )
        else:
            messages.success(
                request,
                _("Done. You can now ask %(name)s to pay for your shopping.") % {"name": link.payer_name},
            )
        return redirect("family:home")
    problem = services.invite_problem(link, request.user)
    starter = link.starter if link else None
    return render_page(
        request,
        "family/join.html",
        {"link": link, "problem": problem, "form": form, "starter_name": services.display_name(starter)},
        status=404 if link is None else 200,
    )


@login_required
@require_POST
def relation(request: SignedInRequest, pk: int) -> HttpResponse:
    """Either side names what the other is to them ("Mum"); used on every page and e-mail they read."""
    link = get_object_or_404(FamilyLink.objects.active().involving(request.user), pk=pk)
    form = RelationForm(request.POST, prefix=f"relation-{link.pk}")
    if form.is_valid():
        link = services.set_relation(link=link, by=request.user, relation=form.cleaned_data["relation"])
        messages.success(
            request,
            _("Saved. We now call them %(name)s.") % {"name": link.name_of(link.other_side(request.user))},
        )
    else:
        messages.error(request, _("Choose from the list."))
    return redirect("family:home")


@login_required
@require_POST
def end_link(request: SignedInRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(FamilyLink.objects.involving(request.user), pk=pk)
    services.end_link(link=link, by=request.user)
    messages.success(request, _("The family link has ended. Requests still waiting were cancelled."))
    return redirect("family:home")


@login_required
@require_POST
def ask(request: SignedInRequest) -> HttpResponse:
    form = AskForm(request.POST)
    if not form.is_valid():
        return render_page(request, "family/home.html", _home_context(request, ask_form=form), status=400)
    cart = cart_services.get_cart(request)
    summary = cart_services.summary(cart)
    if not summary.lines:
        just_asked = (
            PayRequest.objects.pending()
            .filter(beneficiary=request.user, created_at__gte=timezone.now() - timedelta(minutes=5))
            .first()
        )
        if just_asked is not None:  # a double submit: the first one already moved the cart into the request
            messages.info(
                request, _("You already asked for these items. That request is still waiting for an answer.")
            )
            return redirect(just_asked)
        messages.error(request, _("Your cart is empty. Add something before asking."))
        return redirect("family:home")
    address = account_rules.default_address(request.user)
    if address is None:
        messages.error(
            request, _("Add a default delivery address first, so your family knows where it goes.")
        )
        return redirect("accounts:addresses")
    lines = [placement.WantedLine(line.product_id, line.quantity) for line in summary.lines]
    return _ask(
        request, lines, address, note=form.cleaned_data["note"], back=reverse("family:home"), cart=cart
    )


def _ask(
    request: SignedInRequest,
    lines: list[placement.WantedLine],
    address: Address,
    *,
    note: str = "",
    key: str = "",
    back: str,
    cart=None,
) -> HttpResponse:
    """Ask through the family service (the one way to ask), then say what happened and show the request."""
    try:
        pay_request, created = services.ask_to_pay(
            beneficiary=request.user,
            lines=lines,
            address=address.as_snapshot(),
            note=note,
            base_url=_base_url(request),
            idempotency_key=key,
            currency=request.currency,
        )
    except (services.FamilyError, placement.PlacementError) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if cart is not None:
        cart_services.clear(request, cart)
    name = pay_request.link.payer_name
    if created and pay_request.status == PayRequest.Status.APPROVED:  # within the allowance
        messages.success(
            request,
            _("Paid from the monthly allowance %(name)s set for you. Your order is confirmed.")
            % {"name": name},
        )
    elif created and pay_request.status == PayRequest.Status.CANCELLED:  # the allowance card was refused
        messages.error(
            request,
            _("%(reason)s Nothing was charged and the items are back on sale.")
            % {"reason": pay_request.answer_text},
        )
    elif created:
        messages.success(
            request,
            _("Sent. %(name)s has 48 hours to answer; the items are kept for you until then.")
            % {"name": name},
        )
    elif pay_request.status == PayRequest.Status.PENDING:
        messages.info(
            request, _("You already asked for these items. That request is still waiting for an answer.")
        )
    return redirect(pay_request)


@login_required
@require_POST
def ask_product(request: SignedInRequest) -> HttpResponse:
    """ "Ask my family to pay" on a product page: one unit, held for 48 hours, like a one-click purchase."""
    form = ProductAskForm(request.POST)
    product = None
    if form.is_valid():
        product = Product.objects.filter(pk=form.cleaned_data["product"]).first()
    if product is None:
        messages.error(
            request, _("Something went wrong with that button. Nothing was ordered. Please try again.")
        )
        return redirect("home")
    address = account_rules.default_address(request.user)
    if address is None:
        messages.error(
            request, _("Add a default delivery address first, so your family knows where it goes.")
        )
        return redirect("accounts:addresses")
    return _ask(
        request,
        [placement.WantedLine(product.pk, 1)],
        address,
        key=form.cleaned_data["idempotency_key"],
        back=product.get_absolute_url(),
    )


@login_required
@require_POST
def ask_checkout(request: SignedInRequest) -> HttpResponse:
    """ "Ask my family to pay" at checkout (review or pay step): the cart, to the checkout's address."""

    back = _safe_back(request, reverse("checkout:review"))
    links = list(FamilyLink.objects.active().filter(beneficiary=request.user).select_related("payer"))
    form = CheckoutAskForm(request.POST, links=links)
    if not links:
        messages.error(request, _("Nobody is set up to pay for you yet. Ask a family member to invite you."))
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, cast(str, errors[0]))  # ErrorList indexing gives the message text
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


def _safe_back(request: SignedInRequest, fallback: str) -> str:
    return safe_next(request, fallback)  # the shop's one next= rule (storefront/nexturl.py)


@never_cache
@login_required
def request_status(request: SignedInRequest, public_id) -> HttpResponse:
    """The htmx status poll of a request page or order page: announces a change in the polite live region."""
    from .templatetags.family import status_change

    pay_request = _visible_request(request, public_id)
    since = request.GET.get("since", "")
    status_change(request, pay_request)
    announcement = ""
    if since and since != pay_request.status:
        announcement = _("Family payment request for order %(number)s: %(status)s.") % {
            "number": pay_request.order.number,
            "status": pay_request.get_status_display(),
        }
    return render(
        request, "family/_status_update.html", {"pay_request": pay_request, "announcement": announcement}
    )


@login_required
def request_detail(request: SignedInRequest, public_id) -> HttpResponse:
    pay_request = _visible_request(request, public_id)
    return render_page(request, "family/request_detail.html", _request_context(request, pay_request))


def _saw(request: SignedInRequest, pay_request: PayRequest) -> None:
    """The user changed the request themselves: they have seen its new status, so their own page must not
    tell them it "has changed since you last looked"."""
    from .templatetags.family import SEEN_KEY

    request.session[SEEN_KEY.format(pay_request.public_id)] = pay_request.status


def _request_context(request: SignedInRequest, pay_request: PayRequest, **overrides) -> dict:
    is_payer = pay_request.payer_id == request.user.pk
    methods = list(SavedPaymentMethod.objects.filter(user=request.user)) if is_payer else []
    context = {
        "pay_request": pay_request,
        "order": pay_request.order,
        "is_payer": is_payer,
        "lines": pay_request.order.lines.all(),
        "methods": methods,
        "approve_form": ApproveForm(methods=methods) if is_payer else None,
        "decline_form": DeclineForm() if is_payer else None,
        "events": pay_request.events.select_related("actor", "link", "link__payer", "link__beneficiary"),
        "refunds": list(pay_request.order.refunds.all()),  # returns refunded to the payer's card
        "payer_name": pay_request.link.payer_name,
        "beneficiary_name": pay_request.link.beneficiary_name,
        "add_card_url": f"{reverse('family:add_card')}?{urlencode({'next': pay_request.get_absolute_url()})}",
    }
    context.update(overrides)
    return context


@login_required
@require_POST
def approve(request: SignedInRequest, public_id) -> HttpResponse:
    pay_request = _visible_request(request, public_id)
    if pay_request.payer_id != request.user.pk:
        raise Http404
    methods = list(SavedPaymentMethod.objects.filter(user=request.user))
    form = ApproveForm(request.POST, methods=methods)
    if not form.is_valid():
        return render_page(
            request,
            "family/request_detail.html",
            _request_context(request, pay_request, approve_form=form),
            status=400,
        )
    method = next(m for m in methods if str(m.pk) == form.cleaned_data["method"])
    try:
        pay_request = services.approve(
            pay_request=pay_request, payer=request.user, method=method, base_url=_base_url(request)
        )
    except services.FamilyError as exc:
        messages.error(request, str(exc))
        return redirect(pay_request)
    _saw(request, pay_request)
    if pay_request.status == PayRequest.Status.APPROVED:
        messages.success(
            request,
            _("Paid. Thank you. We have told %(name)s.") % {"name": pay_request.link.beneficiary_name},
        )
    elif pay_request.status == PayRequest.Status.CANCELLED:
        messages.error(
            request,
            _(
                "%(reason)s The request has been cancelled and the items are back on sale; "
                "%(name)s can ask again."
            )
            % {"reason": pay_request.answer_text, "name": pay_request.link.beneficiary_name},
        )
    else:
        messages.info(
            request,
            _(
                "We are still confirming the payment with your bank. You will not be "
                "charged twice. Check this page again in a minute."
            ),
        )
    return redirect(pay_request)


@login_required
@require_POST
def decline(request: SignedInRequest, public_id) -> HttpResponse:
    pay_request = _visible_request(request, public_id)
    if pay_request.payer_id != request.user.pk:
        raise Http404
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return render_page(
            request,
            "family/request_detail.html",
            _request_context(request, pay_request, decline_form=form),
            status=400,
        )
    try:
        pay_request = services.decline(
            pay_request=pay_request,
            payer=request.user,
            message=form.cleaned_data["message"],
            base_url=_base_url(request),
        )
    except services.FamilyError as exc:
        messages.error(request, str(exc))
    else:
        _saw(request, pay_request)
        messages.success(
            request,
            _("Declined. We have told %(name)s; nobody was charged.")
            % {"name": pay_request.link.beneficiary_name},
        )
    return redirect(pay_request)


@login_required
@require_POST
def cancel(request: SignedInRequest, public_id) -> HttpResponse:
    pay_request = _visible_request(request, public_id)
    if pay_request.beneficiary_id != request.user.pk:
        raise Http404
    try:
        pay_request = services.cancel(
            pay_request=pay_request, beneficiary=request.user, base_url=_base_url(request)
        )
    except services.FamilyError as exc:
        messages.error(request, str(exc))
    else:
        _saw(request, pay_request)
        messages.success(request, _("Request cancelled. The items are back on sale."))
    return redirect(pay_request)


@login_required
@require_POST
def set_allowance(request: SignedInRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(FamilyLink.objects.active(), pk=pk, payer=request.user)
    form = AllowanceForm(request.POST, prefix=f"allowance-{link.pk}")
    if not form.is_valid():
        context = _home_context(request, allowance_forms={link.pk: form}, allowance_errors=form)
        return render_page(request, "family/home.html", context, status=400)
    services.set_allowance(
        link=link,
        payer=request.user,
        monthly_limit=form.cleaned_data["monthly_limit"],
        excluded=form.cleaned_data["excluded_categories"],
    )
    messages.success(request, _("Allowance saved."))
    return redirect("family:home")


# --- the payer's receipt and card ------------------------------------------------------------------------


@login_required
def receipt(request: SignedInRequest, public_id) -> HttpResponse:
    """The payer's receipt for an order they paid for: what, for whom, when, with which card, and refunds."""
    pay_request = _visible_request(request, public_id)
    if pay_request.payer_id != request.user.pk or pay_request.order.paid_at is None:
        raise Http404
    order = pay_request.order
    charge = (
        order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED)
        .order_by("created_at")
        .first()
    )
    return render_page(
        request,
        "family/receipt.html",
        {
            "pay_request": pay_request,
            "order": order,
            "lines": order.lines.all(),
            "charge": charge,
            "refunds": list(order.refunds.all()),
            "beneficiary_name": pay_request.link.beneficiary_name,
            "refunded_in_full": pay_request.status == PayRequest.Status.REFUNDED,
        },
    )


@login_required
def add_card(request: SignedInRequest) -> HttpResponse:
    """ "Add a card" for paying for family: saved as the payer's default card (what the allowance and
    baskets charge), then back to the request or basket that needed it; not the one-click set-up page."""
    from storefront.accounts.services import save_card
    from storefront.checkout.gateways import get_gateway
    from storefront.checkout.gateways.base import CardDetails, CardInvalid

    form = FamilyCardForm(request.POST or None, prefix="card")
    back = _safe_back(request, "") or _safe_get_next(request) or reverse("family:home")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token = get_gateway().tokenize(
                CardDetails(data["number"], data["exp_month"], data["exp_year"], data["cvc"])
            )
        except CardInvalid as exc:
            form.add_error("number", exc.customer_message)
        else:
            save_card(request.user, token, make_default=True)
            messages.success(request, _("Card saved. It pays for your family's requests and baskets."))
            return redirect(back)
    return render_page(
        request,
        "family/add_card.html",
        {"card_form": form, "next": back, "methods": SavedPaymentMethod.objects.filter(user=request.user)},
        status=400 if request.method == "POST" else 200,
    )


def _safe_get_next(request: SignedInRequest) -> str:
    return safe_next(request, "", from_query=True)  # the shop's one next= rule (storefront/nexturl.py)


# --- help me shop ----------------------------------------------------------------------------------------


def _visible_basket(request: SignedInRequest, public_id) -> HelpBasket:
    basket = (
        HelpBasket.objects.select_related(
            "link", "link__payer", "link__beneficiary", "pay_request", "pay_request__order"
        )
        .filter(Q(payer=request.user) | Q(beneficiary=request.user), public_id=public_id)
        .first()
    )
    if basket is None:
        raise Http404
    return basket


@login_required
@require_POST
def prepare_basket(request: SignedInRequest, pk: int) -> HttpResponse:
    """The payer turns their own cart into a basket for the person they pay for."""
    link = get_object_or_404(FamilyLink.objects.active(), pk=pk, payer=request.user)
    form = BasketForm(request.POST, prefix=f"basket-{link.pk}")
    if not form.is_valid():
        messages.error(request, _("Keep the note to 250 characters or fewer."))
        return redirect("family:home")
    if not SavedPaymentMethod.objects.filter(user=request.user, is_default=True).exists():
        messages.info(request, _("Add a card first: it pays for the basket when the allowance does not."))
        return redirect(f"{reverse('family:add_card')}?{urlencode({'next': reverse('family:home')})}")
    cart = cart_services.get_cart(request)
    summary = cart_services.summary(cart)
    lines = [placement.WantedLine(line.product_id, line.quantity) for line in summary.lines]
    try:
        basket = services.prepare_basket(
            link=link,
            payer=request.user,
            lines=lines,
            note=form.cleaned_data["note"],
            base_url=_base_url(request),
        )
    except services.FamilyError as exc:
        messages.error(request, str(exc))
        return redirect("family:home")
    assert cart is not None  # no cart means no lines, and prepare_basket refused an empty basket above
    cart_services.clear(request, cart)
    messages.success(
        request,
        _("Basket sent to %(name)s. Nothing is ordered until they confirm it.")
        % {"name": link.beneficiary_name},
    )
    return redirect(basket)


@login_required
def basket_detail(request: SignedInRequest, public_id) -> HttpResponse:
    basket = _visible_basket(request, public_id)
    is_payer = basket.payer_id == request.user.pk
    lines = list(basket.lines.select_related("product"))
    address = None if is_payer else account_rules.default_address(request.user)
    totals = totals_for_request(
        request,
        [(line.product.price, line.quantity, line.product.category_id) for line in lines],
        address.country if address else None,
    )
    outlook = None
    if basket.status == HelpBasket.Status.OFFERED and basket.link.status == FamilyLink.Status.ACTIVE:
        outlook = services.allowance_outlook(
            basket.link, totals.total_base, [line.product.category_id for line in lines]
        )
    order = basket.pay_request.order if basket.pay_request else None
    return render_page(
        request,
        "family/basket.html",
        {
            "basket": basket,
            "is_payer": is_payer,
            "rows": list(zip(lines, totals.lines)),
            "totals": totals,
            "address": address,
            "outlook": outlook,
            "order": order,
            "payer_name": basket.link.payer_name,
            "beneficiary_name": basket.link.beneficiary_name,
            "events": FamilyEvent.objects.filter(Q(basket=basket) | Q(pay_request__basket=basket))
            .select_related("actor", "link", "link__payer", "link__beneficiary")
            .order_by("created_at", "id"),
        },
    )


@login_required
@require_POST
def basket_confirm(request: SignedInRequest, public_id) -> HttpResponse:
    basket = _visible_basket(request, public_id)
    if basket.beneficiary_id != request.user.pk:
        raise Http404
    address = account_rules.default_address(request.user)
    if address is None:
        messages.error(request, _("Add a default delivery address first, so we know where it goes."))
        return redirect(f"{reverse('accounts:addresses')}?{urlencode({'next': basket.get_absolute_url()})}")
    try:
        basket = services.confirm_basket(
            basket=basket,
            beneficiary=request.user,
            address=address.as_snapshot(),
            currency=request.currency,
            base_url=_base_url(request),
        )
    except (services.FamilyError, placement.PlacementError) as exc:
        messages.error(request, str(exc))
        return redirect(basket)
    if basket.status == HelpBasket.Status.FAILED:
        messages.error(
            request,
            _("%(reason)s Nothing was charged; %(name)s has been told.")
            % {"reason": basket.problem_text, "name": basket.link.payer_name},
        )
        return redirect(basket)
    pay_request = basket.pay_request
    assert pay_request is not None  # confirm_basket returns a confirmed basket, which has its pay request
    _saw(request, pay_request)
    if pay_request.status == PayRequest.Status.APPROVED:
        if pay_request.by_allowance:
            messages.success(
                request,
                _(
                    "Ordered. Paid from the monthly allowance %(name)s set for you. You can "
                    "cancel it within 30 minutes."
                )
                % {"name": basket.link.payer_name},
            )
        else:
            messages.success(
                request,
                _("Ordered. %(name)s paid for it. You can cancel it within 30 minutes.")
                % {"name": basket.link.payer_name},
            )
    else:
        messages.info(request, _("We are still confirming the payment. Check this page again in a minute."))
    return redirect(basket)


@login_required
@require_POST
def basket_withdraw(request: SignedInRequest, public_id) -> HttpResponse:
    basket = _visible_basket(request, public_id)
    if basket.payer_id != request.user.pk:
        raise Http404
    try:
        services.withdraw_basket(basket=basket, payer=request.user)
    except services.FamilyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Basket withdrawn. Nothing was ordered."))
    return redirect(basket)
