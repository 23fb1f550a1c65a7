"""Model registry: which languages have a model, registering another model directory, one load per process."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from voicekit import run_together

from storefront.voice import errors, registry
from storefront.voice.models import VoiceModel


@pytest.mark.django_db
def test_korean_ships_embedded_and_others_have_no_model():
    assert registry.has_model("ko")
    assert registry.has_model("ko-KR")  # a regional code falls back to its language
    assert not registry.has_model("ar")
    assert not registry.has_model("")
    status = registry.status()
    assert "ko" in status["available"] and "ar" not in status["available"]


@pytest.mark.django_db
def test_unknown_language_raises_a_user_safe_error():
    with pytest.raises(errors.ModelUnavailableError):
        registry.get_model("ar")


def test_validate_model_dir_explains_what_is_missing(tmp_path):
    with pytest.raises(errors.InvalidModelDirectoryError, match="not a directory"):
        registry.validate_model_dir(str(tmp_path / "nope"))
    (tmp_path / "am").mkdir()
    with pytest.raises(errors.InvalidModelDirectoryError, match="am/final.mdl"):
        registry.validate_model_dir(str(tmp_path))


@pytest.mark.django_db
def test_register_command_rejects_a_directory_that_is_not_a_model(tmp_path):
    (tmp_path / "readme.txt").write_text("not a model")
    with pytest.raises(CommandError, match="does not look like a Vosk model"):
        call_command("register_voice_model", "zh-hans", str(tmp_path))
    with pytest.raises(CommandError, match="Unknown language"):
        call_command("register_voice_model", "xx", registry.embedded_models()["ko"])
    assert not VoiceModel.objects.exists()


@pytest.mark.django_db
def test_register_command_adds_a_language(capsys):
    path = registry.embedded_models()["ko"]  # any valid model directory will do
    assert not registry.has_model("zh-hans")
    call_command("register_voice_model", "zh-hans", path)
    assert "Registered" in capsys.readouterr().out
    assert registry.has_model("zh-hans")
    assert registry.model_path("zh-hans") == path
    assert "zh-hans" in registry.status()["available"]


@pytest.mark.voice
@pytest.mark.django_db
def test_model_loads_once_and_is_shared_between_threads(ko_model):
    seen, failures = run_together(lambda: registry.get_model("ko"), count=8)
    assert not failures and len(seen) == 8
    # One model for every thread: the base model, or the one with a catalogue's sentence graph that replaced it
    # (an earlier test's recognition); either way the same lexicon, loaded from disk once as the base.
    assert len({id(model) for model in seen}) == 1
    assert seen[0].openbasket_lexicon == ko_model.openbasket_lexicon == registry.model_path("ko")
    assert registry.load_count("ko") == 1
    assert "ko" in registry.status()["loaded"]


@pytest.mark.voice
@pytest.mark.django_db
def test_first_loads_race_to_a_single_model(monkeypatch):
    """Threads asking for a model nobody loaded yet wait for one load instead of each loading their own."""
    import vosk

    loads = []

    class FakeModel:
        def __init__(self, path):
            loads.append(path)

    monkeypatch.setattr(vosk, "Model", FakeModel)
    monkeypatch.setattr(registry, "_loaded", {})
    monkeypatch.setattr(registry, "_load_counts", {})
    results, failures = run_together(lambda: registry.get_model("ko"))
    assert not failures and len(results) == 6
    assert len(loads) == 1
    assert len({id(m) for m in results}) == 1
