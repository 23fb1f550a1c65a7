"""Account pages: sign up, sign in/out, password reset, the account overview, addresses and saved cards."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editions.rendering import render_page, wants_fragment
from storefront.markets import timezones
from storefront.nexturl import safe_next

from . import services, signin_throttle
from .forms import (
    REFRESH_FRAGMENTS,
    AddressForm,
    DisplayNameForm,
    QueuedPasswordResetForm,
    SignUpForm,
    TimeZoneForm,
)
from .models import Address, SavedPaymentMethod
from .requests import SignedInRequest


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or email")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean_username(self) -> str:
        from django.contrib.auth import get_user_model

        value = self.cleaned_data.get("username", "").strip()
        if "@" in value:
            user = get_user_model().objects.filter(email__iexact=value).first()
            if user is not None:
                return user.get_username()
        return value


class SignInView(auth_views.LoginView):
    """Sign in. An address past its free failures waits before its next try (signin_throttle); a username locked
    at this address by django-axes gets the locked-out page from AxesMiddleware."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = signin_throttle.wait_seconds(request)
        if wait:
            return signin_throttle.slowed_response(request, wait)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if form.non_field_errors():  # a wrong username or password, not a blank field
            signin_throttle.record_failure(self.request)
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form) -> HttpResponse:
        # The link proved the shopper owns the address: lift any sign-in lock on the account (django-axes).
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = SignUpForm(
        request.POST if request.method == "POST" else None
    )  # an empty POST still gets its errors
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(safe_next(request, reverse("accounts:account")))
    return render_page(
        request,
        "accounts/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=400 if request.method == "POST" else 200,
    )


def _account_context(request: SignedInRequest, **overrides) -> dict:
    context = {
        "recent_orders": request.user.orders.all()[:3],
        "addresses": request.user.addresses.all()[:3],
        "methods": SavedPaymentMethod.objects.filter(user=request.user),
        "zone_form": TimeZoneForm(initial={"time_zone": request.user.time_zone}),
        "name_form": DisplayNameForm(
            instance=request.user, initial={"display_name": request.user.shown_name}
        ),
    }
    context.update(overrides)
    return context


@login_required
def account(request: SignedInRequest) -> HttpResponse:
    return render_page(request, "accounts/account.html", _account_context(request))


@login_required
@require_POST
def display_name(request: SignedInRequest) -> HttpResponse:
    """ "Your name": what family members, e-mails and reviews call this shopper."""
    form = DisplayNameForm(request.POST, instance=request.user)
    if not form.is_valid():
        request.user.refresh_from_db(fields=["display_name"])  # the page's greeting keeps the saved name
        return render_page(
            request, "accounts/account.html", _account_context(request, name_form=form), status=400
        )
    form.save()
    messages.success(request, _("Your name is saved."))
    return redirect("accounts:account")


@login_required
@require_POST
def time_zone(request: SignedInRequest) -> HttpResponse:
    """Stores the zone on the account and in the cookie (which this browser then keeps); blank: automatic."""
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        return render_page(
            request, "accounts/account.html", _account_context(request, zone_form=form), status=400
        )
    request.user.time_zone = form.cleaned_data["time_zone"]
    request.user.save(update_fields=["time_zone"])
    messages.success(request, _("Time zone saved."))
    response = redirect("accounts:account")
    if request.user.time_zone:
        response.set_cookie(
            timezones.COOKIE,
            request.user.time_zone,
            max_age=timezones.COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(timezones.COOKIE)  # the browser may offer its zone again
    return response


@login_required
def addresses(request: SignedInRequest) -> HttpResponse:
    refreshed = (
        AddressForm.refresh_kind(request.POST, htmx=wants_fragment(request))
        if request.method == "POST"
        else None
    )
    if refreshed:
        # "Update the form for this country" (or a new province): the same typed values, the chosen country's
        # fields and province's city list, no errors.
        form = AddressForm.refreshed(request.POST)
        if wants_fragment(request):
            return render_page(
                request,
                "components/address_form.html",
                {"form": form, "refreshed": refreshed},
                fragment=REFRESH_FRAGMENTS[refreshed],
            )
    else:
        form = AddressForm(request.POST or None, country=getattr(request, "country", None))
        if request.method == "POST" and form.is_valid():
            services.add_address(request.user, form.save(commit=False))
            messages.success(request, _("Address saved."))
            return redirect(safe_next(request, reverse("accounts:addresses"), from_query=True))
    return render_page(
        request,
        "accounts/addresses.html",
        {
            "addresses": request.user.addresses.all(),
            "form": form,
            "refreshed": refreshed,
            "next": safe_next(request, "", from_query=True),
        },
        status=400 if request.method == "POST" and not refreshed else 200,
    )


@login_required
@require_POST
def address_default(request: SignedInRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(Address, pk=pk, user=request.user)
    services.set_default_address(request.user, address)
    messages.success(request, _("Default address changed."))
    return redirect(safe_next(request, reverse("accounts:addresses")))


@login_required
@require_POST
def address_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(Address, pk=pk, user=request.user)
    address.delete()
    messages.success(request, _("Address removed."))
    return redirect("accounts:addresses")


@login_required
@require_POST
def payment_method_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    method = get_object_or_404(SavedPaymentMethod, pk=pk, user=request.user)
    method.delete()
    messages.success(request, _("Card removed."))
    return redirect("accounts:account")
