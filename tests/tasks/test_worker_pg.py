"""The task queue for real: a Celery worker and the beat scheduler as separate processes, Redis as the broker,
PostgreSQL as the database both sides see (so the test's data is committed: `transaction=True`).

Each run uses a queue of its own (CELERY_QUEUE), so leftovers of an earlier run or another checkout on the
same Redis never reach this worker. Under CI=true a missing Redis fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from storefront.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/13")
ROOT = Path(__file__).resolve().parents[2]
READY_WITHIN = 40  # seconds for a worker to import Django and connect
EFFECT_WITHIN = 30  # seconds for a queued or scheduled job to show its effect

# `celery -A fast_beat beat`: the shop's own schedule, every entry due each second, not every few minutes.
FAST_BEAT = """
from django.conf import settings
from storefront.celery import app

app.conf.beat_schedule = {name: {**entry, "schedule": 1.0, "options": {"expires": 20}}
                          for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
"""


@pytest.fixture
def redis_broker() -> str:
    import redis

    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"needs Redis at {BROKER_URL} (CELERY_TEST_BROKER_URL): {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true, but {message}", pytrace=False)
        pytest.skip(message)
    return BROKER_URL


@pytest.fixture
def queue(redis_broker):
    import redis

    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(redis_broker)
    for key in client.scan_iter(f"*{name}*"):  # the queue and kombu's bindings for it
        client.delete(key)


def _database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def spawn(redis_broker, queue, tmp_path):
    """Start `celery -A APP ROLE` on this test's database and queue; every process is stopped afterwards."""
    started: list[tuple[subprocess.Popen, object]] = []
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": redis_broker,
        "CELERY_QUEUE": queue,
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }

    def start(role: str, *args: str, app: str = "storefront") -> Path:
        log = tmp_path / f"{role}.log"
        out = log.open("w")
        command = [sys.executable, "-m", "celery", "-A", app, role, "--loglevel=INFO", *args]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        started.append((process, out))
        return log

    yield start
    for process, out in reversed(started):
        process.send_signal(signal.SIGTERM)  # warm shutdown: finish the task in hand
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        out.close()


@pytest.fixture
def worker(spawn, queue):
    log = spawn(
        "worker",
        "--pool=solo",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    )
    wait_for(lambda: "ready." in log.read_text(), READY_WITHIN, f"the worker to start:\n{log.read_text()}")
    return log


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"waited {seconds} s for {what}", pytrace=False)


@contextmanager
def queued_to(broker_url: str):
    """This process queues to the broker for real (the test settings run tasks inline)."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with celery_app.connection_for_write(broker_url) as conn:
            yield conn
    finally:
        celery_app.conf.task_always_eager = eager


@pytest.fixture
def overdue_request(make_user, make_product, make_address):
    """Alice asked Pat to pay for two of the last five units 49 hours ago; nobody answered."""
    from storefront.checkout import placement
    from storefront.family import services
    from storefront.family.models import PayRequest

    payer, alice = make_user("pat"), make_user("alice")
    product = make_product("Apples", stock=5)
    link = services.accept_invite(code=services.create_invite(payer=payer).invite_code, beneficiary=alice)
    assert link.beneficiary_id == alice.pk
    pay_request, _ = services.ask_to_pay(
        beneficiary=alice,
        lines=[placement.WantedLine(product.pk, 2)],
        address=make_address(alice).as_snapshot(),
    )
    past = timezone.now() - timedelta(hours=49)
    PayRequest.objects.filter(pk=pay_request.pk).update(
        created_at=past, expires_at=past + timedelta(hours=48)
    )
    product.refresh_from_db()
    assert product.stock == 3
    return pay_request, product


def _status(pay_request) -> str:
    pay_request.refresh_from_db()
    return pay_request.status


def test_a_queued_task_runs_on_a_real_worker_and_its_email_goes_through_the_queue(
    redis_broker, queue, worker, overdue_request
):
    from storefront.family import tasks
    from storefront.family.models import PayRequest

    pay_request, product = overdue_request
    with queued_to(redis_broker) as conn:
        tasks.expire_requests.apply_async(queue=queue, connection=conn)
    assert _status(pay_request) == PayRequest.Status.PENDING  # queued, not run here

    wait_for(
        lambda: _status(pay_request) == PayRequest.Status.EXPIRED, EFFECT_WITHIN, "the worker to expire it"
    )
    product.refresh_from_db()
    assert product.stock == 5 and pay_request.order.status == "expired"
    # The expiry queued its e-mail after commit; the worker delivered it (console backend: into its log).
    wait_for(lambda: "To: alice@example.com" in worker.read_text(), EFFECT_WITHIN, "the e-mail to be sent")
    log = worker.read_text()
    assert f"Your family payment request for order {pay_request.order.number}: Expired" in log
    assert re.search(r"Task family.expire_requests\[[-0-9a-f]+\] succeeded", log)
    assert re.search(r"Task mail.send_email\[[-0-9a-f]+\] succeeded", log)


def test_the_scheduler_queues_every_scheduled_job_and_the_worker_runs_them(
    spawn, worker, overdue_request, tmp_path, settings
):
    from storefront.family.models import PayRequest

    (tmp_path / "fast_beat.py").write_text(FAST_BEAT)
    pay_request, _product = overdue_request
    beat = spawn(
        "beat", "--schedule", str(tmp_path / "beat-schedule"), "--max-interval", "1", app="fast_beat"
    )

    def ran(task: str) -> bool:
        return re.search(rf"Task {re.escape(task)}\[[-0-9a-f]+\] succeeded", worker.read_text()) is not None

    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert set(tasks) == {
        "checkout.reconcile_payments",
        "checkout.reconcile_refunds",
        "checkout.expire_abandoned_payments",
        "family.expire_requests",
        "checkout.compute_bought_together",
    }
    wait_for(
        lambda: all(ran(task) for task in tasks),
        EFFECT_WITHIN,
        f"every scheduled job to run:\n--- beat\n{beat.read_text()}\n--- worker\n{worker.read_text()}",
    )
    wait_for(lambda: _status(pay_request) == PayRequest.Status.EXPIRED, EFFECT_WITHIN, "the scheduled expiry")
    assert "Sending due task expire-family-requests (family.expire_requests)" in beat.read_text()
