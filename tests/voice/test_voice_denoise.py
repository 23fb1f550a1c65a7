"""Steady-noise reduction (storefront/voice/denoise.py): quiet recordings pass untouched, hiss goes down, the
voice stays."""

from __future__ import annotations

import numpy as np

from storefront.voice import denoise


def speech_like(seconds: float = 3.0) -> np.ndarray:
    """A tone switched on and off every half second, like syllables with pauses between them."""
    t = np.arange(int(16000 * seconds))
    return np.sin(t * 0.05) * 8000 * ((t // 8000) % 2 == 0)


def pcm(values: np.ndarray) -> bytes:
    return np.clip(np.round(values), -32768, 32767).astype("<i2").tobytes()


def test_a_quiet_recording_is_returned_unchanged():
    rng = np.random.default_rng(1)
    quiet = pcm(speech_like() + rng.uniform(-100, 100, 48000))  # the dither's level: nothing to take away
    assert denoise.denoise(quiet) == quiet


def test_hiss_goes_down_and_the_voice_stays():
    rng = np.random.default_rng(2)
    voice = speech_like()
    noisy = pcm(voice + rng.standard_normal(len(voice)) * 600)
    cleaned = np.frombuffer(denoise.denoise(noisy), dtype="<i2").astype(float)
    before = denoise.noise_floor_rms(np.frombuffer(noisy, dtype="<i2"))
    after = denoise.noise_floor_rms(cleaned)
    assert after < before / 3
    assert np.corrcoef(cleaned, voice)[0, 1] > np.corrcoef(np.frombuffer(noisy, dtype="<i2"), voice)[0, 1]
    assert len(cleaned) == len(voice)
