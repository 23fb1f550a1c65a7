"""Family payment: invitations and links, asking with stock held for 48 hours, merging repeated asks, the
payer's answer (approve charges the payer's own card once; decline), expiry, ending a link, 404s for
outsiders, the audit log and the emails."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from storefront.checkout.models import Order, Payment
from storefront.family import services
from storefront.family.models import FamilyEvent, FamilyLink, PayRequest
from storefront.sandbox.models import SandboxCardCharge as GatewayLedger


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def charges() -> list[bool]:
    return list(GatewayLedger.objects.filter(kind="charge").values_list("succeeded", flat=True))


# --- invitations and links -------------------------------------------------------------------------------


def test_invite_by_email_and_accept_once(payer, user, make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite = services.create_invite(payer=payer, email="alice@example.com", base_url="http://shop")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    assert f"http://shop/family/join/{invite.invite_code}/" in mail.outbox[0].body
    link = services.accept_invite(code=invite.invite_code, beneficiary=user)
    assert (link.status, link.beneficiary) == (FamilyLink.Status.ACTIVE, user)
    with pytest.raises(services.FamilyError, match="already been used"):
        services.accept_invite(code=invite.invite_code, beneficiary=make_user())


def test_invite_expires_after_seven_days(payer, user, clock):
    invite = services.create_invite(payer=payer)
    clock.advance(days=7)
    with pytest.raises(services.FamilyError, match="expired"):
        services.accept_invite(code=invite.invite_code, beneficiary=user)


def test_cannot_accept_own_invite_or_have_two_payers(payer, user, link, make_user):
    own = services.create_invite(payer=payer)
    with pytest.raises(services.FamilyError, match="your own invitation"):
        services.accept_invite(code=own.invite_code, beneficiary=payer)
    second = services.create_invite(payer=make_user())
    with pytest.raises(services.FamilyError, match="already pays for you"):
        services.accept_invite(code=second.invite_code, beneficiary=user)


def test_join_page_accepts_with_a_post(payer, user_client):
    invite = services.create_invite(payer=payer)
    url = reverse("family:join", args=[invite.invite_code])
    page = user_client.get(url).content.decode()
    assert "Pat Parent offers to pay for your shopping" in page and "csrfmiddlewaretoken" in page
    assert user_client.post(url).status_code == 302
    assert FamilyLink.objects.get().status == FamilyLink.Status.ACTIVE
    assert "already been used" in user_client.get(url).content.decode()


def test_unknown_invite_code_is_404(user_client):
    assert user_client.get(reverse("family:join", args=["A" * 32])).status_code == 404  # well formed, unknown


def test_invite_from_the_family_page(payer_client):
    response = payer_client.post(reverse("family:invite"), {"email": ""})
    assert response.status_code == 302
    link = FamilyLink.objects.get()
    page = payer_client.get(reverse("family:home")).content.decode()
    assert f"/family/join/{link.invite_code}/" in page


def test_invite_form_errors_use_the_error_summary(payer_client):
    response = payer_client.post(reverse("family:invite"), {"email": "not an email"})
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html and 'href="#id_email"' in html


# --- asking ----------------------------------------------------------------------------------------------


def test_ask_holds_the_order_and_stock_and_emails_the_payer(
    ask, product, payer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pay_request, created = ask((product, 2), note="For school")
    assert created
    assert pay_request.status == PayRequest.Status.PENDING
    assert pay_request.order.status == Order.Status.AWAITING_FAMILY
    held_for = (pay_request.expires_at - pay_request.created_at).total_seconds()
    assert held_for == pytest.approx(48 * 3600, abs=5)
    assert stock_of(product) == 3
    assert mail.outbox[-1].to == [payer.email] and "asks you to pay" in mail.outbox[-1].subject
    assert charges() == []


def test_asking_again_for_the_same_cart_merges(ask, product, make_product):
    first, created = ask((product, 2))
    again, created_again = ask((product, 2))
    assert created and not created_again and again.pk == first.pk
    assert PayRequest.objects.count() == 1 and Order.objects.count() == 1
    assert stock_of(product) == 3  # reserved once
    other, created_other = ask((make_product(stock=3), 1))
    assert created_other and other.pk != first.pk


def test_ask_without_a_link_is_refused(user, address, product):
    from storefront.checkout import placement

    with pytest.raises(services.FamilyError):
        services.ask_to_pay(
            beneficiary=user, lines=[placement.WantedLine(product.pk, 1)], address=address.as_snapshot()
        )
    assert not Order.objects.exists()


def test_ask_from_the_family_page_clears_the_cart(link, user_client, user, address, product, make_cart):
    cart = make_cart(user=user, lines=[(product, 1)])
    page = user_client.get(reverse("family:home")).content.decode()
    assert "Ask Pat Parent to pay" in page
    response = user_client.post(reverse("family:ask"), {"note": "Thanks!"})
    pay_request = PayRequest.objects.get()
    assert response["Location"] == pay_request.get_absolute_url()
    assert pay_request.note == "Thanks!" and not cart.lines.exists()
    assert stock_of(product) == 4


# --- what the payer sees, and who may see it -------------------------------------------------------------


def test_payer_sees_items_prices_total_and_address_only(ask, product, payer_client, user, payer_card):
    pay_request, _ = ask((product, 2))
    page = payer_client.get(pay_request.get_absolute_url()).content.decode()
    assert "Alice Archer asks you to pay" in page
    assert "Sunny Apples" in page and "$3.50" in page and "$7.00" in page and "$11.99" in page
    assert "1600 Amphitheatre Pkwy" in page
    assert user.email not in page  # nothing else about the beneficiary
    assert "Approve and pay $11.99" in page and "Decline this request" in page


@pytest.mark.parametrize("action", ["approve", "decline", "cancel"])
def test_outsiders_get_404_not_403(ask, product, other_user, action, payer_card):
    pay_request, _ = ask((product, 1))
    outsider = Client()
    outsider.force_login(other_user)
    assert outsider.get(pay_request.get_absolute_url()).status_code == 404
    response = outsider.post(
        reverse(f"family:{action}", args=[pay_request.public_id]), {"method": str(payer_card.pk)}
    )
    assert response.status_code == 404
    assert PayRequest.objects.get().status == PayRequest.Status.PENDING and charges() == []


def test_beneficiary_cannot_approve_their_own_request(ask, product, user_client, payer_card):
    pay_request, _ = ask((product, 1))
    response = user_client.post(
        reverse("family:approve", args=[pay_request.public_id]), {"method": str(payer_card.pk)}
    )
    assert response.status_code == 404 and charges() == []


# --- answering -------------------------------------------------------------------------------------------


def test_approve_charges_the_payers_card_once(
    ask, product, payer_client, payer_card, user, django_capture_on_commit_callbacks
):
    pay_request, _ = ask((product, 2))
    url = reverse("family:approve", args=[pay_request.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        first = payer_client.post(url, {"method": str(payer_card.pk)})
        second = payer_client.post(url, {"method": str(payer_card.pk)})  # double click / refresh
    assert first.status_code == second.status_code == 302
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.APPROVED
    order = pay_request.order
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.user == user
    assert charges() == [True]
    assert GatewayLedger.objects.get(kind="charge").token == payer_card.token
    assert Payment.objects.filter(status=Payment.Status.SUCCEEDED).count() == 1
    assert stock_of(product) == 3
    assert mail.outbox[-1].to == [user.email] and "Approved and paid" in mail.outbox[-1].subject


def test_approve_needs_csrf(ask, product, payer, payer_card):
    pay_request, _ = ask((product, 1))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(payer)
    response = strict.post(
        reverse("family:approve", args=[pay_request.public_id]), {"method": str(payer_card.pk)}
    )
    assert response.status_code == 403 and charges() == []


def test_approve_with_someone_elses_card_is_rejected(
    ask, product, payer_client, payer_card, user, make_saved_card
):
    alices = make_saved_card(user)
    pay_request, _ = ask((product, 1))
    response = payer_client.post(
        reverse("family:approve", args=[pay_request.public_id]), {"method": str(alices.pk)}
    )
    assert response.status_code == 400 and charges() == []


def test_declined_card_cancels_the_request_and_releases_stock(
    ask, product, payer_client, payer, make_saved_card
):
    bad = make_saved_card(payer, number="4000000000000002")
    pay_request, _ = ask((product, 2))
    response = payer_client.post(
        reverse("family:approve", args=[pay_request.public_id]), {"method": str(bad.pk)}, follow=True
    )
    assert "Your card was declined" in response.content.decode()
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.CANCELLED
    assert stock_of(product) == 5
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()


def test_decline_with_a_message(ask, product, payer_client, user, django_capture_on_commit_callbacks):
    pay_request, _ = ask((product, 2))
    with django_capture_on_commit_callbacks(execute=True):
        payer_client.post(
            reverse("family:decline", args=[pay_request.public_id]), {"message": "Not this week"}
        )
    pay_request.refresh_from_db()
    assert (pay_request.status, pay_request.answer) == (PayRequest.Status.DECLINED, "Not this week")
    assert pay_request.order.status == Order.Status.CANCELLED
    assert stock_of(product) == 5 and charges() == []
    assert mail.outbox[-1].to == [user.email] and "Not this week" in mail.outbox[-1].body


def test_beneficiary_can_cancel_a_pending_request(ask, product, user_client):
    pay_request, _ = ask((product, 2))
    user_client.post(reverse("family:cancel", args=[pay_request.public_id]))
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.CANCELLED and stock_of(product) == 5


# --- expiry ----------------------------------------------------------------------------------------------


def test_expiry_by_command_releases_stock(ask, product, clock, user, django_capture_on_commit_callbacks):
    pay_request, _ = ask((product, 2))
    clock.advance(hours=47, minutes=59)
    call_command("expire_family_requests", stdout=StringIO())
    assert PayRequest.objects.get().status == PayRequest.Status.PENDING
    clock.advance(minutes=1)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_family_requests", stdout=out)
    assert "Expired 1" in out.getvalue()
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.EXPIRED
    assert pay_request.order.status == Order.Status.EXPIRED
    assert stock_of(product) == 5
    assert mail.outbox[-1].to == [user.email]


def test_expiry_on_read_then_approval_is_refused(ask, product, clock, payer_client, payer_card):
    pay_request, _ = ask((product, 2))
    clock.advance(hours=49)
    page = payer_client.get(pay_request.get_absolute_url()).content.decode()
    assert "Expired" in page and "Approve and pay" not in page
    assert stock_of(product) == 5
    response = payer_client.post(
        reverse("family:approve", args=[pay_request.public_id]), {"method": str(payer_card.pk)}, follow=True
    )
    assert "can no longer be approved" in response.content.decode()
    assert charges() == []


def test_an_expired_ask_does_not_block_asking_again(ask, product, clock):
    first, _ = ask((product, 1))
    clock.advance(hours=48)
    second, created = ask((product, 1))
    assert created and second.pk != first.pk
    first.refresh_from_db()
    assert first.status == PayRequest.Status.EXPIRED and stock_of(product) == 4


# --- ending a link ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["payer", "beneficiary"])
def test_either_side_ends_the_link_and_pending_requests_are_cancelled(
    ask, product, link, payer, user, side, django_capture_on_commit_callbacks
):
    pay_request, _ = ask((product, 2))
    client = Client()
    client.force_login(payer if side == "payer" else user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("family:end_link", args=[link.pk]))
    link.refresh_from_db()
    pay_request.refresh_from_db()
    assert link.status == FamilyLink.Status.ENDED
    assert pay_request.status == PayRequest.Status.CANCELLED and stock_of(product) == 5
    other = user if side == "payer" else payer
    assert mail.outbox[-1].to == [other.email]
    with pytest.raises(services.FamilyError):
        ask((product, 1))


def test_outsider_cannot_end_a_link(link, other_user):
    client = Client()
    client.force_login(other_user)
    assert client.post(reverse("family:end_link", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.status == FamilyLink.Status.ACTIVE


# --- audit log -------------------------------------------------------------------------------------------


def test_audit_log_is_visible_to_both_sides(ask, product, payer_client, user_client, payer_card):
    pay_request, _ = ask((product, 1))
    payer_client.post(reverse("family:approve", args=[pay_request.public_id]), {"method": str(payer_card.pk)})
    kinds = list(FamilyEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["invited", "accepted", "requested", "approved"]
    for client in (payer_client, user_client):
        page = client.get(reverse("family:home")).content.decode()
        assert "Asked to pay" in page and "Approved and paid" in page and "Invitation accepted" in page


@pytest.mark.parametrize("edition", ["standard", "elder", "screen-reader", "cross-border"])
def test_family_pages_render_in_every_edition(ask, product, payer_client, user_client, edition, payer_card):
    pay_request, _ = ask((product, 1))
    for client in (payer_client, user_client):
        for url in (reverse("family:home"), pay_request.get_absolute_url()):
            response = client.get(f"{url}?edition={edition}")
            assert response.status_code == 200
            assert response.content.decode().count("<h1") == 1


def test_account_page_shows_waiting_requests_to_the_payer(ask, product, payer_client, user_client):
    ask((product, 1))
    assert "1 request waits for your answer" in payer_client.get(reverse("accounts:account")).content.decode()
    page = user_client.get(reverse("accounts:account")).content.decode()
    assert "waits for your answer" not in page and reverse("family:home") in page


def test_held_order_links_to_its_request(ask, product, user_client, place):
    pay_request, _ = ask((product, 1))
    page = user_client.get(pay_request.order.get_absolute_url()).content.decode()
    assert pay_request.get_absolute_url() in page and "Waiting for an answer" in page
    plain, _ = place((product, 1))
    assert "Family payment request" not in user_client.get(plain.get_absolute_url()).content.decode()


def test_double_submitted_ask_lands_on_the_same_request(link, user_client, user, address, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    first = user_client.post(reverse("family:ask"), {"note": ""})
    second = user_client.post(reverse("family:ask"), {"note": ""}, follow=True)
    assert PayRequest.objects.count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "You already asked for these items" in second.content.decode()


def test_a_payment_left_unknown_is_settled_when_the_request_is_read(
    ask, product, payer, payer_client, make_saved_card, monkeypatch
):
    from storefront.checkout.gateways.base import PaymentError
    from storefront.sandbox.card import SandboxCardGateway

    slow = make_saved_card(payer, number="4000000000003220")  # charged, but the answer times out
    pay_request, _ = ask((product, 1))
    real_lookup = SandboxCardGateway.lookup

    calls: list[str] = []

    def unreachable_after_charging(self, key):  # the charge's own look-up works; the reconcile one fails
        calls.append(key)
        if len(calls) == 1:
            return real_lookup(self, key)
        raise PaymentError("down")

    monkeypatch.setattr(SandboxCardGateway, "lookup", unreachable_after_charging)
    payer_client.post(reverse("family:approve", args=[pay_request.public_id]), {"method": str(slow.pk)})
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.PENDING
    assert Order.objects.get().status == Order.Status.PENDING_PAYMENT
    monkeypatch.setattr(SandboxCardGateway, "lookup", real_lookup)
    page = payer_client.get(pay_request.get_absolute_url()).content.decode()
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.APPROVED and "Approved and paid" in page
    assert charges() == [True]
