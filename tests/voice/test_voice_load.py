"""Voice load (#12): the web app and the voice service as separate gunicorn apps, as in production (DEBUG off).

With more uploads in flight than the voice pool takes, every other page keeps answering, nothing answers 500,
the overflow gets 503 with Retry-After at once, and the web workers never load the model.

Both servers share a SQLite file made here (migrate + a small demo catalogue): about 20 s of set-up.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from voicekit import make_wav, tone

pytestmark = pytest.mark.voice

ROOT = Path(__file__).resolve().parents[2]
UPLOADS = 10  # in flight at once: more than the web relays (2 x 2) and the voice pool (2) take
CSRF = "v" * 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SETTINGS_SHIM = """from storefront.settings import *  # noqa: F401,F403
# Pages link static files without collectstatic's manifest (this test measures voice, not static files).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""


def base_env(db: Path) -> dict[str, str]:
    (db.parent / "voiceload_settings.py").write_text(SETTINGS_SHIM)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{db}",
            "DEBUG": "False",
            "SECRET_KEY": "voice-load-test-" + "k" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "SESSION_COOKIE_SECURE": "False",
            "CSRF_COOKIE_SECURE": "False",
            "SECURE_HSTS_SECONDS": "0",
            "VOICE_RATE_LIMIT": "1000",
            "PAYMENT_SANDBOX": "True",
            "DJANGO_SETTINGS_MODULE": "voiceload_settings",
            "PYTHONPATH": f"{ROOT}{os.pathsep}{db.parent}",
        }
    )
    return env


class Server:
    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "-b", f"127.0.0.1:{self.port}", *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stderr.read()[-3000:]
            try:
                if requests.get(f"{self.url}/healthz", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{self.url} did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    db = tmp_path_factory.mktemp("voice-load") / "shop.sqlite3"
    env = base_env(db)
    python = [sys.executable, "manage.py"]
    subprocess.run([*python, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*python, "seed_demo", "--limit", "80", "--no-reviews", "--no-images"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    voice = Server(
        [
            "-w",
            "1",
            "-k",
            "gthread",
            "--threads",
            "6",
            "--preload",
            "--timeout",
            "60",
            "storefront.voice.wsgi:application",
        ],
        {**env, "VOICE_POOL_SIZE": "2"},
    )
    started = []
    try:
        voice.wait()
        started.append(voice)
        web = Server(
            ["-w", "2", "-k", "gthread", "--threads", "4", "--timeout", "60", "storefront.wsgi:application"],
            {**env, "VOICE_SERVICE_URL": voice.url, "VOICE_RELAY_SLOTS": "2"},
        )
        web.wait()
        started.append(web)
        yield web, voice
    finally:
        for server in started or [voice]:
            server.stop()


def _niceness(pid: int) -> int:
    """A process's nice value (field 19 of /proc/<pid>/stat, after the parenthesised command name)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def upload(url: str, wav: bytes) -> requests.Response:
    return requests.post(
        f"{url}/voice/search/",
        data=wav,
        timeout=60,
        cookies={"csrftoken": CSRF},
        headers={
            "Content-Type": "audio/wav",
            "Accept": "application/json",
            "X-CSRFToken": CSRF,
            "Accept-Language": "ko",
        },
    )


def test_pages_keep_answering_while_uploads_queue_and_the_overflow_gets_503(servers):
    web, voice = servers
    wav = make_wav(tone(6.0, freq=300) + tone(3.0, freq=500))  # 9 s each: long decodes keep the pool full
    pages = ["/", "/search/?q=apple", "/healthz"]
    page_results: list[tuple[int, float]] = []
    stop = threading.Event()
    for path in pages * 4:  # both workers' first requests (templates, caches) are not what this test measures
        assert requests.get(web.url + path, timeout=60).status_code == 200

    def browse() -> None:
        i = 0
        while not stop.is_set():
            started = time.monotonic()
            response = requests.get(web.url + pages[i % len(pages)], timeout=30)
            page_results.append((response.status_code, round(time.monotonic() - started, 3)))
            i += 1

    browser = threading.Thread(target=browse)
    browser.start()
    try:
        with ThreadPoolExecutor(UPLOADS) as executor:
            replies = list(executor.map(lambda _i: upload(web.url, wav), range(UPLOADS)))
    finally:
        stop.set()
        browser.join()

    statuses = sorted(r.status_code for r in replies)
    assert all(status in (200, 503) for status in statuses), statuses  # never a 500, never a hang
    assert 200 in statuses, statuses  # the pool did recognise
    busy = [r for r in replies if r.status_code == 503]
    assert busy, statuses
    for reply in busy:
        assert int(reply.headers["Retry-After"]) > 0
        assert reply.json()["error"]
    assert page_results, "no page was served while the uploads ran"
    assert all(status == 200 for status, _s in page_results), page_results
    slowest = max(seconds for _status, seconds in page_results)
    assert slowest < 5.0, f"a page took {slowest:.1f} s while voice was busy: {page_results}"

    # The voice service yields the CPU to the web app (VOICE_NICE): its worker runs at a lower priority.
    voice_workers = _children(voice.process.pid)
    assert voice_workers and all(_niceness(pid) - _niceness(web.process.pid) == 10 for pid in voice_workers)
    assert all(_niceness(pid) == _niceness(web.process.pid) for pid in _children(web.process.pid))
    # The model lives in the voice service only.
    assert requests.get(f"{web.url}/healthz", timeout=10).json()["voice"]["loaded"] == []
    assert requests.get(f"{voice.url}/healthz", timeout=10).json()["voice"]["loaded"] == ["ko"]
    assert requests.get(f"{voice.url}/", timeout=10).status_code == 404


def test_a_full_pool_answers_at_once_directly_from_the_voice_service(servers):
    _web, voice = servers
    wav = make_wav(tone(9.0, freq=350))
    deadline = (
        time.monotonic() + 90
    )  # uploads the web relay gave up on may still be decoding: let them finish
    while (
        requests.get(f"{voice.url}/healthz", timeout=10).json()["voice"]["busy"]
        and time.monotonic() < deadline
    ):
        time.sleep(0.5)

    def timed(_i: int) -> tuple[requests.Response, float]:
        started = time.monotonic()
        reply = upload(voice.url, wav)
        return reply, time.monotonic() - started

    with ThreadPoolExecutor(6) as executor:
        replies = list(executor.map(timed, range(6)))
    busy = [(r, seconds) for r, seconds in replies if r.status_code == 503]
    assert len(busy) >= 3, [
        r.status_code for r, _s in replies
    ]  # pool of 2: at least 4 of 6 refused, allow one race
    assert all(int(r.headers["Retry-After"]) > 0 for r, _s in busy)
    timings = [(r.status_code, round(seconds, 2)) for r, seconds in replies]
    assert min(seconds for _r, seconds in busy) < 1.5, (
        timings
    )  # refused at once, not after waiting for a slot
