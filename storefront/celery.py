"""The Celery app: the shop's task queue (scheduled jobs and outgoing e-mail).

Configuration comes from Django settings under the `CELERY_` namespace (see settings.py). Without a broker
(`CELERY_BROKER_URL` unset: the demo and the default test run) every task runs inline when it is queued, so
nothing else has to be started. Production runs a worker (`celery -A storefront worker`) and one scheduler
(`celery -A storefront beat`) against Redis; see the README's "Production processes".
"""

from __future__ import annotations

import logging
import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")

log = logging.getLogger("storefront.tasks")


class ShopTask(Task):
    """Every shop task: acknowledged only once it has finished (a worker killed mid-task leaves the message
    for another), retried with exponential backoff on any error, and each retry and final failure logged."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (Exception,)
    retry_backoff = 5  # seconds before the first retry, doubling each time
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5

    def retry(self, *args, exc: BaseException | None = None, **kwargs):
        if self.request.is_eager and exc is not None:
            raise exc  # run inline (no broker): there is no backoff to wait on, so fail once and log it
        return super().retry(*args, exc=exc, **kwargs)

    def on_retry(self, exc, task_id, args, kwargs, einfo) -> None:
        log.warning("Task %s[%s] failed, retrying with backoff: %r", self.name, task_id, exc)

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        log.error("Task %s[%s] failed for good: %r", self.name, task_id, exc, exc_info=einfo.exc_info)


app = Celery("storefront", task_cls=ShopTask, include=["storefront.mail"])
app.config_from_object("django.conf:settings", namespace="CELERY")
# Tasks live beside what they drive: <app>/tasks.py in each installed app (and storefront/mail.py, above).
app.autodiscover_tasks()
