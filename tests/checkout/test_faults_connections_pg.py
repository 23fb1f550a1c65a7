"""Fault test: the database drops the shop's connections (pg_terminate_backend) while 20 signed-in shoppers and
payers hit Buy now, checkout's Pay and family approval at once on a real server (gunicorn, 2 workers,
DEBUG=False, persistent connections as in production). Whatever each request answered, after the reconciler
runs with the grace passed the money-and-stock invariant holds and nothing is stranded.

The server runs on the pytest test database (the test's committed data: `transaction=True`), so no separate
migrate or seed is needed; the terminator spares only its own connection and the test's.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import faultkit
import psycopg
import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone

from storefront.checkout import placement, reconciler

pytestmark = [pytest.mark.postgres, pytest.mark.faults, pytest.mark.django_db(transaction=True)]

CSRF = "f" * 32  # a CSRF secret of our choosing: cookie and header carry the same one
ROUNDS = 4  # terminate every other connection this many times, ROUND_GAP seconds apart, while requests run
ROUND_GAP = 0.6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signed_in(user, **session_values) -> requests.Session:
    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            **session_values,
        }
    )
    store.create()
    client = requests.Session()
    client.cookies.set(django_settings.SESSION_COOKIE_NAME, store.session_key)
    client.cookies.set(django_settings.CSRF_COOKIE_NAME, CSRF)
    client.headers["X-CSRFToken"] = CSRF
    return client


class Server:
    """gunicorn serving the shop on the test database, production settings over plain HTTP."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The test's own SECRET_KEY: the sessions made here are signed with it and carry its auth hash.
        env = {
            **faultkit.child_env(),
            "DEBUG": "False",
            "SECRET_KEY": django_settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "SESSION_COOKIE_SECURE": "False",
            "CSRF_COOKIE_SECURE": "False",
            "SECURE_HSTS_SECONDS": "0",
            "CONN_MAX_AGE": "60",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "90",
                "storefront.wsgi:application",
            ],
            env=env,
            cwd=faultkit.ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait(self) -> None:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stderr.read()[-3000:]
            try:
                if requests.get(f"{self.url}/healthz", timeout=10).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    def stop(self) -> str:
        self.process.terminate()
        try:
            _out, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _out, err = self.process.communicate()
        return err


def terminator(
    dbname: str, spare: set[int], start: threading.Event, done: threading.Event
) -> tuple[int, int]:
    """Drop every other connection to the database a few times while the requests run; returns (rounds,
    connections terminated)."""
    dropped = rounds = 0
    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"] or "postgres",
        dbname=dbname,
        autocommit=True,
    ) as conn:
        spare = spare | {conn.info.backend_pid}
        start.wait(timeout=30)
        while not done.is_set() and rounds < ROUNDS:
            time.sleep(0.2 if not rounds else ROUND_GAP)
            rows = conn.execute(
                "select pid, pg_terminate_backend(pid) from pg_stat_activity "
                "where datname = %s and pid <> all(%s)",
                (dbname, list(spare)),
            ).fetchall()
            dropped += sum(1 for _pid, ok in rows if ok)
            rounds += 1
    return rounds, dropped


def test_connections_dropped_during_twenty_payments(
    make_user, make_product, make_address, make_saved_card, make_cart
):
    from storefront.checkout.state import ADDRESS_KEY
    from storefront.family import services

    server = Server()  # boots while the data is made
    products = [make_product(f"Dropped Dates {i}", price="4.00", stock=50) for i in range(2)]
    calls = []  # (session, path, form)
    for i in range(8):  # Buy now; one card times out after charging
        shopper = make_user()
        make_address(shopper, is_default=True)
        make_saved_card(shopper, *(["4000000000003220"] if i == 0 else []), is_default=True)
        calls.append(
            (
                signed_in(shopper),
                "/checkout/buy-now/",
                {"product": products[i % 2].pk, "idempotency_key": f"oneclick-{uuid.uuid4().hex}"},
            )
        )
    for i in range(6):  # checkout's Pay step with a saved card
        shopper = make_user()
        address = make_address(shopper, is_default=True)
        card = make_saved_card(shopper)
        make_cart(shopper, [(products[i % 2], 2)])
        calls.append(
            (
                signed_in(shopper, **{ADDRESS_KEY: address.pk}),
                "/checkout/pay/",
                {"method": str(card.pk), "idempotency_key": uuid.uuid4().hex},
            )
        )
    for i in range(6):  # a payer approves a held order
        payer, child = make_user(), make_user()
        services.accept_invite(code=services.create_invite(payer=payer).invite_code, beneficiary=child)
        card = make_saved_card(payer)
        pay_request, _ = services.ask_to_pay(
            beneficiary=child,
            lines=[placement.WantedLine(products[i % 2].pk, 1)],
            address=make_address(child).as_snapshot(),
        )
        calls.append(
            (signed_in(payer), f"/family/requests/{pay_request.public_id}/approve/", {"method": str(card.pk)})
        )
    initial = faultkit.baseline()
    try:
        made = time.monotonic()
        server.wait()
        began = time.monotonic()
        print(f"\n[faults] server ready {began - made:.1f} s after the data was made")
        dbname = connection.settings_dict["NAME"]
        start, done = threading.Event(), threading.Event()
        with ThreadPoolExecutor(max_workers=len(calls) + 1) as pool:
            killed = pool.submit(terminator, dbname, {connection.connection.info.backend_pid}, start, done)

            def fire(call):
                client, path, form = call
                try:
                    response = client.post(server.url + path, data=form, allow_redirects=False, timeout=90)
                except requests.RequestException as exc:
                    return type(exc).__name__
                assert "signin" not in response.headers.get("Location", ""), "the session did not sign in"
                return response.status_code

            futures = [pool.submit(fire, call) for call in calls]
            start.set()
            answers = [f.result() for f in futures]
            done.set()
            rounds, dropped = killed.result()
    finally:
        errors = server.stop()

    statuses = Counter(answers)
    print(
        f"\n[faults] dropped connections: requests={len(calls)} answers={dict(statuses)} "
        f"faults injected: {dropped} connections terminated in {rounds} rounds, {time.monotonic() - began:.1f} s"
    )
    assert dropped, "no connection was terminated: the fault was not injected"
    # A request whose connection was dropped under it may fail (500); none may hang, none be refused as bad.
    assert set(statuses) <= {302, 303, 200, 500}, (statuses, errors[-3000:])
    later = timezone.now() + timedelta(minutes=31)
    reconciler.run(now=later)
    report = faultkit.assert_invariant(initial, now=later, label="dropped connections, after reconciliation")
    assert report["stranded"] == 0
    paid = sum(report["by_status"].get(s, 0) for s in faultkit.PAID_LIKE)
    assert paid >= len(calls) // 4, "payments should get through between the dropped connections"
