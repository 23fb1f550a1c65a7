"""The task queue without a broker (the demo and the default test run): tasks run inline, call their services,
retry with backoff on a worker, and e-mail goes out only after the change that caused it commits."""

from __future__ import annotations

import logging
import smtplib
from io import StringIO
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail as outbox
from django.core.management import call_command
from django.db import transaction

from storefront import mail
from storefront.celery import app as celery_app
from storefront.checkout import tasks as checkout_tasks


def test_the_schedule_runs_each_job_at_its_interval_and_every_job_is_a_registered_task(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule == {
        "checkout.reconcile_payments": 60.0,
        "checkout.reconcile_refunds": 60.0,
        "checkout.expire_abandoned_payments": 300.0,
        "family.expire_requests": 900.0,
        "checkout.compute_bought_together": 3600.0,
    }
    celery_app.loader.import_default_modules()
    assert set(schedule) <= set(celery_app.tasks)
    for entry in settings.CELERY_BEAT_SCHEDULE.values():  # a run nobody picked up is dropped, not piled up
        assert entry["options"]["expires"] == entry["schedule"]


def test_every_shop_task_is_acknowledged_late_and_retried_with_backoff():
    celery_app.loader.import_default_modules()
    shop_tasks = [task for name, task in celery_app.tasks.items() if not name.startswith("celery.")]
    assert (
        len(shop_tasks) == 7
    )  # reconcile payments and refunds, wallets, family, bought-together, mail, search
    for task in shop_tasks:
        assert task.acks_late and task.reject_on_worker_lost
        assert task.autoretry_for == (Exception,) and task.retry_backoff and task.max_retries == 5


def test_without_a_broker_tasks_run_inline(settings):
    assert celery_app.conf.task_always_eager is True  # the test settings, like the demo, name no broker
    with mock.patch("storefront.checkout.reconciler.run", return_value=2) as run:
        assert checkout_tasks.reconcile_payments.delay().get() == 2
    run.assert_called_once_with()


def test_the_abandoned_wallet_task_and_command_call_the_same_service(db):
    with mock.patch("storefront.checkout.payments.expire_abandoned_redirects", return_value=3) as service:
        assert checkout_tasks.expire_abandoned_payments.delay().get() == 3
        out = StringIO()
        call_command("expire_abandoned_payments", stdout=out)
    assert service.call_count == 2 and "Cancelled 3 abandoned wallet payment(s)." in out.getvalue()


def test_the_reconcile_command_reports_what_it_settled(db):
    out = StringIO()
    with mock.patch("storefront.checkout.reconciler.run", return_value=4):
        call_command("reconcile_payments", stdout=out)
    assert out.getvalue().strip() == "Settled 4 order(s)."


def test_the_reconciler_closes_nothing_when_nothing_is_due(db):
    from storefront.checkout import reconciler

    assert reconciler.run() == 0


# --- e-mail ------------------------------------------------------------------------------------------------


def test_an_email_queued_in_a_rolled_back_change_is_never_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            mail.queue_on_commit("Order 1: paid", "Thank you.\n", ["alice@example.com"])
            raise RuntimeError("the change failed")
    assert callbacks == [] and outbox.outbox == []


def test_an_email_queued_in_a_committed_change_is_sent_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail.queue_on_commit("Order 1: paid", "Thank you.\n", ["alice@example.com"])
        assert outbox.outbox == []  # not before the commit
    callbacks[0]()
    assert [(m.subject, m.to, m.from_email) for m in outbox.outbox] == [
        ("Order 1: paid", ["alice@example.com"], "shop@localhost")
    ]


def test_a_mail_server_failure_is_logged_and_never_raised_to_the_caller(caplog):
    with (
        mock.patch("storefront.mail.send_mail", side_effect=smtplib.SMTPException("421 busy")) as send,
        caplog.at_level(logging.ERROR, logger="storefront.tasks"),
    ):
        mail.queue("Order 1: paid", "Thank you.\n", ["alice@example.com"])
    assert send.call_count == 1  # inline there is no backoff to wait on: one try, then logged
    assert "mail.send_email" in caplog.text and "failed for good" in caplog.text and "421 busy" in caplog.text


def test_on_a_worker_a_failed_email_is_requeued_with_backoff_then_given_up():
    task = mail.send_email
    with (
        mock.patch("storefront.mail.send_mail", side_effect=smtplib.SMTPException("421 busy")),
        mock.patch("celery.canvas.Signature.apply_async") as requeue,
    ):
        task.push_request(id="t-1", retries=0, is_eager=False, called_directly=False)
        try:
            with pytest.raises(Retry) as retried:
                task.run("Order 1: paid", "Thank you.\n", ["alice@example.com"])
        finally:
            task.pop_request()
        assert requeue.call_count == 1
        assert 0 <= retried.value.when <= task.retry_backoff  # first wait: up to 5 s, doubling each retry
        task.push_request(id="t-1", retries=task.max_retries, is_eager=False, called_directly=False)
        try:
            with pytest.raises(smtplib.SMTPException):  # the last try: no more requeueing
                task.run("Order 1: paid", "Thank you.\n", ["alice@example.com"])
        finally:
            task.pop_request()
    assert requeue.call_count == 1
