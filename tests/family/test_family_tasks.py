"""The scheduled family job: the `family.expire_requests` task expires what the command does, once."""

from __future__ import annotations

from django.core import mail

from storefront.family import tasks
from storefront.family.models import PayRequest


def test_the_scheduled_task_expires_due_requests_once_and_emails_the_asker(
    ask, product, clock, user, django_capture_on_commit_callbacks
):
    pay_request, _ = ask((product, 2))
    clock.advance(hours=47)
    assert tasks.expire_requests.delay().get() == 0
    clock.advance(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_requests.delay().get() == 1
    assert tasks.expire_requests.delay().get() == 0  # run again (a retry, a redelivery): nothing more happens
    pay_request.refresh_from_db()
    product.refresh_from_db()
    assert pay_request.status == PayRequest.Status.EXPIRED and product.stock == 5
    assert [m.to for m in mail.outbox] == [[user.email]]
