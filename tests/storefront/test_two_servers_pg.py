"""Several app servers for real: two gunicorn servers on one PostgreSQL database and one Redis database (cache
and sessions). What a shopper or the merchant does through one is seen at once through the other: a price
change and a new product (edited in the admin of server A; found by search on B), a cart and a sign-in.

Each run uses its own cache KEY_PREFIX, so an earlier run or another checkout on the same Redis database never
interferes. Under CI=true a missing Redis (or PostgreSQL: the `postgres` marker) fails the run, never skips.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from django.conf import global_settings
from django.db import connection

pytestmark = [pytest.mark.servers, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("SERVERS_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
ROOT = Path(__file__).resolve().parents[2]
PORTS = (
    int(os.environ.get("SERVERS_TEST_PORT", "8150")),
    int(os.environ.get("SERVERS_TEST_PORT", "8150")) + 1,
)
READY_WITHIN = 60
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "a-long-test-passphrase-42"


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"needs Redis at {REDIS_URL} (SERVERS_TEST_REDIS_URL): {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true, but {message}", pytrace=False)
        pytest.skip(message)
    return REDIS_URL


def _database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code < 500
    except requests.RequestException:
        return False


@pytest.fixture
def servers(redis_url, tmp_path):
    """Two gunicorn servers (one worker each) sharing this test's database and one Redis: (url_a, url_b)."""
    import redis

    prefix = f"twoservers-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CACHE_BACKEND": "django.core.cache.backends.redis.RedisCache",
        "CACHE_LOCATION": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "DEBUG": "True",
        "CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    started = []
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                pytest.fail(f"port {port} is taken (set SERVERS_TEST_PORT)", pytrace=False)
        log = (tmp_path / f"gunicorn-{port}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "storefront.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
    try:
        deadline = time.monotonic() + READY_WITHIN
        while not all(_answers(port) for port in PORTS):
            if time.monotonic() > deadline or any(p.poll() is not None for p, _ in started):
                logs = "\n".join(Path(log.name).read_text()[-3000:] for _, log in started)
                pytest.fail(f"the two app servers did not start:\n{logs}", pytrace=False)
            time.sleep(0.3)
        yield tuple(f"http://127.0.0.1:{port}" for port in PORTS)
    finally:
        for process, log in started:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


class _FormFields(HTMLParser):
    """The fields a browser would submit from the page's first POST form with the given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or not a.get("name"):
            if tag == "option" and self.inside and self._select and "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
            return
        if tag == "input" and a.get("type") not in {"submit", "file", "button", "image", "reset"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))

    def handle_data(self, data):
        if self._textarea and self.fields and self.fields[-1][0] == self._textarea:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _form(html: str, form_id: str) -> dict:
    parser = _FormFields(form_id)
    parser.feed(html)
    data: dict = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value.lstrip("\n"))
    return data


def _sign_in(browser: requests.Session, base: str, username: str) -> requests.Response:
    page = browser.get(f"{base}/account/signin/")
    token = TOKEN.search(page.text).group(1)
    response = browser.post(
        f"{base}/account/signin/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[response.text.find("<main") :][:2500]
    return response


def test_what_one_server_does_the_other_sees_at_once(servers, make_product, django_user_model, settings):
    a, b = servers
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the servers must read these hashes
    product = make_product("Sunny Apples", slug="sunny-apples", price="3.50", stock=5)
    django_user_model.objects.create_superuser("merchant", "merchant@example.com", PASSWORD)
    django_user_model.objects.create_user("alice", "alice@example.com", PASSWORD, first_name="Alice")
    page = product.get_absolute_url()

    # Both servers have the page cached (anonymous), and a shopper with a session has seen it on B.
    shopper = requests.Session()
    for base in (a, b):
        assert "3.50" in requests.get(base + page).text
        assert "3.50" in shopper.get(base + page).text
    assert "Sunny Pears" not in requests.get(f"{b}/search/?q=pears").text

    # The merchant changes the price and adds a product in the admin of server A.
    merchant = requests.Session()
    _sign_in(merchant, a, "merchant")
    change_url = f"{a}/admin/catalog/product/{product.pk}/change/"
    form = _form(merchant.get(change_url).text, "product_form")
    assert form, "the admin's product form was not found"
    form["price"] = ["4.25"]
    saved = merchant.post(change_url, data={**form, "_save": "Save"}, headers={"Referer": change_url})
    assert saved.status_code == 200 and "was changed successfully" in saved.text, saved.text[:2000]
    new = {**form, "name": ["Sunny Pears"], "slug": ["sunny-pears"], "price": ["2.10"], "_save": "Save"}
    for key in [k for k in new if k.startswith("name_")]:
        new[key] = [""]
    added = merchant.post(f"{a}/admin/catalog/product/add/", data=new, headers={"Referer": change_url})
    assert added.status_code == 200 and "was added successfully" in added.text, added.text[:2000]

    # Server B shows the new price at once, to anonymous visitors and shoppers with a session, and finds the
    # new product by search.
    assert "4.25" in requests.get(b + page).text
    assert "4.25" in shopper.get(b + page).text and "3.50" not in shopper.get(b + page).text
    assert "Sunny Pears" in requests.get(f"{b}/search/?q=pears").text
    assert "Sunny Pears" in shopper.get(f"{b}/search/?q=pears").text

    # A cart filled through A is the same cart through B.
    html = shopper.get(a + page).text
    token = TOKEN.search(html).group(1)
    shopper.post(
        f"{a}/cart/add/",
        data={"product": product.pk, "quantity": 2, "csrfmiddlewaretoken": token},
        headers={"Referer": a + page},
    )
    cart = shopper.get(f"{b}/cart/").text
    assert "Sunny Apples" in cart and "2 items" in cart

    # Signed in through A, the shopper is signed in on B.
    alice = requests.Session()
    _sign_in(alice, a, "alice")
    account = alice.get(f"{b}/account/", allow_redirects=False)
    assert account.status_code == 200 and "alice" in account.text.lower()
