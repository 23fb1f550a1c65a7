"""Steady-noise reduction before decoding: a noise-floor estimate and spectral subtraction, in numpy.

A living room hums, hisses and murmurs steadily under the voice. The quietest tenth of the recording's frames
gives each frequency's noise floor; that floor (times OVERSUBTRACT) is taken off every frame's magnitude, never
below FLOOR of the original (so no "musical" holes), and the frames are put back together with the original
phases. Recordings whose floor is already low (clean speech, a close microphone) pass through untouched, so the
step costs nothing where it cannot help. On by default (VOICE_DENOISE).

Measured (bench/voice/run.py --products 40 --variants 1, seed 7, 54 queries, on a machine shared by six jobs):
noisy top-1 46.3% -> 59.3%, noisy top-3 68.5% -> 75.9% (product queries 77.5% -> 82.5%); clean unchanged
(55.6% / 72.2%: their floor is below MIN_NOISE_RMS, they pass through). About 5 ms per utterance on an idle core.
"""

from __future__ import annotations

import numpy as np

FRAME = 512  # 32 ms at 16 kHz
HOP = FRAME // 2
OVERSUBTRACT = 1.5
FLOOR = 0.08
MIN_NOISE_RMS = 150.0  # quieter floors (about -47 dBFS) are left alone


def noise_floor_rms(samples: np.ndarray) -> float:
    """RMS of the quietest 10% of 32 ms frames: the recording's steady background level."""
    frames = len(samples) // FRAME
    if frames < 4:
        return 0.0
    energy = np.sqrt(
        np.mean(samples[: frames * FRAME].astype(np.float64).reshape(frames, FRAME) ** 2, axis=1)
    )
    return float(np.percentile(energy, 10))


def denoise(pcm: bytes) -> bytes:
    """16 kHz 16-bit PCM with its steady background noise reduced (unchanged when the floor is low)."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    if noise_floor_rms(samples) < MIN_NOISE_RMS or len(samples) < FRAME * 4:
        return pcm
    window = np.hanning(FRAME)
    count = 1 + (len(samples) - FRAME) // HOP
    index = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    spectra = np.fft.rfft(samples[index] * window, axis=1)
    magnitude, phase = np.abs(spectra), np.angle(spectra)
    power = np.sum(samples[index] ** 2, axis=1)
    quiet = magnitude[power <= np.percentile(power, 10)]
    noise = quiet.mean(axis=0) if len(quiet) else np.zeros(magnitude.shape[1])
    cleaned = np.maximum(magnitude - OVERSUBTRACT * noise, FLOOR * magnitude)
    frames = np.fft.irfft(cleaned * np.exp(1j * phase), n=FRAME, axis=1) * window
    out = np.zeros(len(samples))
    norm = np.zeros(len(samples))
    squared = window**2
    for k in range(count):  # overlap-add: a few hundred frames, each a vector operation
        out[k * HOP : k * HOP + FRAME] += frames[k]
        norm[k * HOP : k * HOP + FRAME] += squared
    out = np.where(norm > 1e-6, out / np.maximum(norm, 1e-6), samples)
    return np.clip(np.round(out), -32768, 32767).astype("<i2").tobytes()
