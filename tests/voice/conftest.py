"""Voice test fixtures: WAV builders, speech synthesis (espeak-ng + sox, in memory), the shared Korean model and
a Korean demo catalogue made with the ORM."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from voicekit import MODEL_CONF, make_wav

from storefront.catalog.demo_data import BRANDS, CATEGORIES


def _tools_missing() -> list[str]:
    return [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]


@pytest.fixture
def fake_model(tmp_path, settings) -> Path:
    """A directory shaped like a Vosk model (the files' contents do not matter to the overlay)."""
    settings.VOICE_MODEL_OVERLAY_DIR = str(tmp_path / "overlays")
    root = tmp_path / "vosk-model-small-xx"
    (root / "am").mkdir(parents=True)
    (root / "am" / "final.mdl").write_bytes(b"acoustic model")
    (root / "graph").mkdir()
    (root / "graph" / "HCLG.fst").write_bytes(b"graph")
    (root / "conf").mkdir()
    (root / "conf" / "mfcc.conf").write_text("--use-energy=false\n")
    (root / "conf" / "model.conf").write_text(MODEL_CONF)
    return root


@pytest.fixture(scope="session")
def speech_tools() -> None:
    """espeak-ng and sox, or a skip locally / a failure in CI (CI=true must not silently skip voice tests)."""
    missing = _tools_missing()
    if missing:
        message = f"needs {' and '.join(missing)} (apt-get install espeak-ng sox)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def synth(speech_tools):
    """synth(text, voice="ko", rate=150, pitch=50, noise=0.0) -> 16 kHz mono 16-bit WAV bytes, never on disk."""

    def make(text: str, *, voice: str = "ko", rate: int = 150, pitch: int = 50, noise: float = 0.0) -> bytes:
        spoken = subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "--stdout", text],
            capture_output=True,
            check=True,
        ).stdout
        raw = ["-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed", "-"]
        pcm = subprocess.run(
            ["sox", "-t", "wav", "-", *raw], input=spoken, capture_output=True, check=True
        ).stdout
        if noise:
            seconds = f"{len(pcm) / 32000:.3f}"
            hiss = subprocess.run(
                ["sox", "-R", "-n", *raw, "synth", seconds, "whitenoise", "vol", str(noise)],
                capture_output=True,
                check=True,
            ).stdout
            from array import array

            a, b = array("h", pcm), array("h", hiss[: len(pcm)])
            pcm = array("h", (max(-32768, min(32767, x + y)) for x, y in zip(a, b))).tobytes()
        return make_wav(pcm)

    return make


@pytest.fixture(scope="session")
def ko_model(django_db_setup, django_db_blocker):
    """The shipped Korean model, loaded once for the whole test session (about 2.5 s and 545 MB)."""
    from storefront.voice import registry

    with django_db_blocker.unblock():  # the registry looks for registered models in the database
        return registry.get_model("ko")


@pytest.fixture
def korean_catalog(db):
    """The demo catalogue (every brand x item, Korean names) made with the ORM; {Korean name: product}."""
    from storefront.catalog.models import Brand, Category, Product

    brands = [
        Brand.objects.create(slug=f"b{i}", name=b.en, name_zh_hans=b.zh_hans, name_ko=b.ko)
        for i, b in enumerate(BRANDS)
    ]
    products = []
    for c_index, spec in enumerate(CATEGORIES):
        category = Category.objects.create(
            slug=spec.slug,
            name=spec.name.en,
            name_zh_hans=spec.name.zh_hans,
            name_ko=spec.name.ko,
            position=c_index,
        )
        for i_index, item in enumerate(spec.items):
            for brand, words in zip(brands, BRANDS):
                products.append(
                    Product(
                        category=category,
                        brand=brand,
                        slug=f"p-{c_index}-{i_index}-{brand.slug}",
                        name=f"{words.en} {item.en}",
                        name_zh_hans=f"{words.zh_hans}{item.zh_hans}",
                        name_ko=f"{words.ko} {item.ko}",
                        description="Voice test product.",
                        price=Decimal("1.00"),
                        stock=5,
                    )
                )
    Product.objects.bulk_create(products)
    return {p.name_ko: p for p in Product.objects.select_related("category", "brand")}


@pytest.fixture
def korean(settings):
    """Requests and service calls in Korean."""
    from django.utils import translation

    with translation.override("ko"):
        yield


@pytest.fixture
def ko_client(client):
    client.cookies["django_language"] = "ko"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ko"
    return client
