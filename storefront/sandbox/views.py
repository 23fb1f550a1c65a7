"""The sandbox wallet provider's payment page: what Alipay, Kakao Pay, Mada, GrabPay or OVO would show the shopper.

Served by the shop only because the provider is a stand-in (wallets.py), and only with PAYMENT_SANDBOX on. The
page shows the amount and currency the shop asked for and offers the three endings a real provider can have:
confirm, fail, cancel. The choice is recorded in the provider's ledger once; then the shopper goes back to the
shop's return URL, where the shop asks the provider what happened. No sign-in: like a real provider, it knows
only the payment's unguessable reference (a slug: anything else is a 404 before the database is asked).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from editions.rendering import render_page
from storefront.markets import payment_methods
from storefront.nexturl import is_local_url

from . import wallets
from .models import SandboxWalletCharge

Status = SandboxWalletCharge.Status
CHOICES = {"confirm": Status.SUCCEEDED, "fail": Status.DECLINED, "cancel": Status.CANCELLED}


@require_http_methods(["GET", "POST"])
def provider_page(request: HttpRequest, reference: str) -> HttpResponse:
    charge = SandboxWalletCharge.objects.filter(reference=reference, kind="charge").first()
    if charge is None:
        raise Http404
    if request.method == "POST" and request.POST.get("outcome") in CHOICES:
        charge = wallets.settle(charge.reference, CHOICES[request.POST["outcome"]])
        return redirect(_back_to_shop(request, charge))
    method = payment_methods.get(charge.method)
    return render_page(
        request,
        "sandbox/provider.html",
        {
            "charge": charge,
            "method_name": method.name if method else charge.method,
            "is_open": charge.status == Status.PENDING,
            "return_url": _back_to_shop(request, charge),
        },
        status=400 if request.method == "POST" else 200,
    )


def _back_to_shop(request: HttpRequest, charge: SandboxWalletCharge) -> str:
    """The return URL the shop gave when the payment began (only ever a URL of this site)."""
    url = charge.return_url
    if url and is_local_url(request, url):
        return url
    return "/"
