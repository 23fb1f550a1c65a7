"""Decoder options: the overlay directory that gives a Vosk model other beams without touching the model."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from conftest import MODEL_CONF
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from voicekit import run_together

from storefront.voice import decoder, registry


def test_rewrite_conf_replaces_the_options_given_and_keeps_the_rest():
    text = decoder.rewrite_conf(MODEL_CONF, {"beam": 16.0, "lattice-beam": 4.0})
    lines = text.splitlines()
    assert "--beam=16.0" in lines and "--lattice-beam=4.0" in lines
    assert "--beam=10.0" not in lines and "--lattice-beam=2.0" not in lines
    assert "--max-active=3000" in lines and "--frame-subsampling-factor=3" in lines
    # An option the model's file does not mention is added, not lost.
    assert "--min-active=50" in decoder.rewrite_conf("--beam=10.0\n", {"min-active": 50}).splitlines()


def test_overlay_links_the_model_and_rewrites_only_model_conf(fake_model):
    loaded_from = Path(decoder.model_dir(str(fake_model), {"beam": 16.0, "max-active": 1000}))
    assert loaded_from != fake_model
    assert (loaded_from / "am").is_symlink() and (
        loaded_from / "am" / "final.mdl"
    ).read_bytes() == b"acoustic model"
    assert (loaded_from / "graph" / "HCLG.fst").read_bytes() == b"graph"
    assert (loaded_from / "conf" / "mfcc.conf").is_symlink()
    conf = (loaded_from / "conf" / "model.conf").read_text().splitlines()
    assert "--beam=16.0" in conf and "--max-active=1000" in conf and "--lattice-beam=2.0" in conf
    assert (fake_model / "conf" / "model.conf").read_text() == MODEL_CONF  # the model itself is untouched


def test_overlay_is_reused_and_differs_per_options(fake_model):
    first = decoder.model_dir(str(fake_model), {"beam": 16.0})
    assert decoder.model_dir(str(fake_model), {"beam": 16.0}) == first
    assert decoder.model_dir(str(fake_model), {"beam": 13.0}) != first
    assert decoder.model_dir(str(fake_model), {}) == str(fake_model)  # no options: the model as it is


def test_processes_starting_together_agree_on_one_overlay(fake_model):
    results, failures = run_together(lambda: decoder.model_dir(str(fake_model), {"beam": 16.0}))
    assert not failures and len(results) == 6 and len(set(results)) == 1
    leftovers = [p.name for p in Path(results[0]).parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the losers' staging directories are cleaned up


def test_without_symbolic_links_the_model_keeps_its_own_settings(fake_model, monkeypatch, caplog):
    def refuse(self, target):
        raise OSError("symbolic links are not supported here")

    monkeypatch.setattr(Path, "symlink_to", refuse)
    with caplog.at_level(logging.WARNING, logger="storefront.voice.decoder"):
        assert decoder.model_dir(str(fake_model), {"beam": 16.0}) == str(fake_model)
    assert "using the model's own decoder settings" in caplog.text
    overlays = Path(decoder.overlay_root())
    assert not overlays.exists() or list(overlays.iterdir()) == []


def test_a_model_without_model_conf_keeps_its_own_settings(fake_model, caplog):
    (fake_model / "conf" / "model.conf").unlink()
    with caplog.at_level(logging.WARNING, logger="storefront.voice.decoder"):
        assert decoder.model_dir(str(fake_model), {"beam": 16.0}) == str(fake_model)
    assert "using the model's own decoder settings" in caplog.text


@pytest.mark.parametrize(
    "options, message",
    [
        ({"bean": 16}, "not a tunable decoder option"),
        ({"frame-subsampling-factor": 1}, "not a tunable decoder option"),
        ({"beam": "wide"}, "must be a number"),
        ({"max-active": 0}, "must be positive"),
    ],
)
def test_bad_options_are_refused_with_the_reason(options, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        decoder.validate(options)


def test_a_mistyped_option_fails_the_system_check_at_start_up(settings):
    settings.VOICE_DECODER_OPTIONS = {"ko": {"beam": 16.0, "lattice_beam": 4.0}}
    with pytest.raises(SystemCheckError, match="voice.E001"):
        call_command("check")


def test_options_follow_the_language_and_its_region(settings):
    settings.VOICE_DECODER_OPTIONS = {"ko": {"beam": 16}}
    assert decoder.options_for("ko") == {"beam": 16.0}
    assert decoder.options_for("ko-kr") == {"beam": 16.0}
    assert decoder.options_for("en") == {}


@pytest.mark.django_db
def test_the_shipped_model_is_loaded_with_the_configured_beams(monkeypatch, tmp_path, settings):
    import vosk

    settings.VOICE_MODEL_OVERLAY_DIR = str(tmp_path)
    settings.VOICE_DECODER_OPTIONS = {"ko": {"beam": 16.0, "lattice-beam": 4.0, "max-active": 1000}}
    loads = []

    class RecordingModel:
        def __init__(self, path):
            loads.append(path)

    monkeypatch.setattr(vosk, "Model", RecordingModel)
    monkeypatch.setattr(registry, "_loaded", {})
    monkeypatch.setattr(registry, "_load_counts", {})
    registry.get_model("ko")
    (path,) = loads
    conf = (Path(path) / "conf" / "model.conf").read_text().splitlines()
    assert {"--beam=16.0", "--lattice-beam=4.0", "--max-active=1000"} <= set(conf)
    shipped = Path(registry.embedded_models()["ko"])
    assert os.path.samefile(Path(path) / "am" / "final.mdl", shipped / "am" / "final.mdl")
