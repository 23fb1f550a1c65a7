"""WAV input: parse RIFF/WAVE 16-bit PCM in memory, enforce limits, downmix and resample to 16 kHz mono.

The per-sample work (downmix, resampling, speed copies, RMS) runs in numpy: the pure-Python loops it replaces
held the GIL for ~10 ms per second of audio and copy, so the voice service's other threads (the decoders, and the
one that should answer "busy" at once) waited on them. Results are bit-identical to those loops (same linear
interpolation, same truncation), so recognition figures do not move. Nothing here touches the disk or logs.
"""

from __future__ import annotations

import math
import struct
from array import array

import numpy as np
from django.conf import settings

from . import errors

TARGET_RATE = 16000
MIN_RATE, MAX_RATE = 8000, 48000
MIN_SECONDS = 0.1  # shorter than this cannot hold a word: treat as empty
# RMS of int16 samples under which we call a recording silent (~ -50 dBFS); a quiet room mic sits above it.
DEFAULT_SILENCE_RMS = 100.0
_PCM = 1
_EXTENSIBLE = 0xFFFE
_PCM_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def max_seconds() -> float:
    return float(getattr(settings, "VOICE_MAX_SECONDS", 10))


def max_bytes() -> int:
    return int(getattr(settings, "VOICE_MAX_BYTES", TARGET_RATE * 2 * 10 + 4096))


def silence_rms() -> float:
    return float(getattr(settings, "VOICE_SILENCE_RMS", DEFAULT_SILENCE_RMS))


def _parse_header(data: bytes) -> tuple[int, int, int, int, int, int]:
    """(channels, rate, bits, data offset, data length, declared length) from the RIFF chunks, no decoding."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise errors.NotWavError()
    pos, fmt, data_chunk = 12, None, None
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = pos + 8
        if chunk_id == b"fmt ":
            if size < 16 or body + 16 > len(data):
                raise errors.NotWavError()
            fmt = struct.unpack_from("<HHIIHH", data, body)
            if fmt[0] == _EXTENSIBLE:
                # WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's first two bytes.
                if size < 40 or body + 40 > len(data):
                    raise errors.NotWavError()
                sub = data[body + 24 : body + 40]
                real = struct.unpack_from("<H", sub)[0] if sub[2:] == _PCM_GUID_TAIL else -1
                fmt = (real, *fmt[1:])
        elif chunk_id == b"data":
            # Streaming writers (browsers, `--stdout`) may leave the size at 0 or 0xFFFFFFFF: trust the bytes.
            # Otherwise the declared size counts for the limits, even when the body was cut short.
            available = len(data) - body
            declared = available if size in (0, 0xFFFFFFFF, 0x7FFFFFFF) else size
            data_chunk = (body, min(declared, available), declared)
            break
        pos = body + size + (size & 1)  # chunks are word-aligned
    if fmt is None or data_chunk is None:
        raise errors.NotWavError()
    audio_format, channels, rate, _byte_rate, _align, bits = fmt
    if audio_format != _PCM:
        raise errors.UnsupportedFormatError()
    if bits != 16:
        raise errors.UnsupportedFormatError()
    if not 1 <= channels <= 8 or not MIN_RATE <= rate <= MAX_RATE:
        raise errors.UnsupportedFormatError()
    return channels, rate, bits, *data_chunk


def _check_limits(channels: int, rate: int, length: int) -> None:
    seconds = length / (channels * 2 * rate)
    limit = max_seconds()
    if seconds > limit:
        raise errors.AudioTooLongError(errors.AudioTooLongError.default_message % {"seconds": f"{limit:g}"})


def _samples(data: bytes, offset: int, length: int) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2", count=(length // 2), offset=offset).astype(np.int16)


def _downmix(samples: np.ndarray, channels: int) -> np.ndarray:
    if channels == 1:
        return samples
    frames = len(samples) // channels
    mixed = samples[: frames * channels].reshape(frames, channels).astype(np.int64).sum(axis=1) // channels
    return mixed.astype(np.int16)


def _resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Linear interpolation to 16 kHz: plenty for speech recognition (the model's features stop at 8 kHz)."""
    if rate == TARGET_RATE or not len(samples):
        return samples
    step = rate / TARGET_RATE
    count = int(len(samples) / step)
    x = np.arange(count, dtype=np.float64) * step
    j = x.astype(np.int64)
    frac = x - j
    a = samples[j].astype(np.float64)
    b = samples[np.minimum(j + 1, len(samples) - 1)].astype(np.float64)
    return np.trunc(a + (b - a) * frac).astype(np.int16)


def change_speed(pcm: bytes, factor: float) -> bytes:
    """16 kHz PCM played `factor` times faster (pitch moves with it, like a tape): speed perturbation."""
    if factor == 1.0:
        return pcm
    samples = np.frombuffer(pcm, dtype="<i2")
    return _resample(samples, int(TARGET_RATE * factor)).astype("<i2").tobytes()


def rms(samples: np.ndarray | array) -> float:
    if not len(samples):
        return 0.0
    values = np.asarray(samples, dtype=np.float64)
    return math.sqrt(float(np.dot(values, values)) / len(values))


def decode_wav(data: bytes) -> bytes:
    """16 kHz mono 16-bit little-endian PCM from a WAV upload, or an `errors.AudioError` saying what is wrong.

    Size and duration are checked from the header before any sample is decoded.
    """
    if not data:
        raise errors.EmptyAudioError()
    if len(data) > max_bytes():
        raise errors.AudioTooLargeError()
    channels, rate, _bits, offset, length, declared = _parse_header(data)
    _check_limits(channels, rate, declared)
    if length < channels * 2 * MIN_SECONDS * rate:
        raise errors.EmptyAudioError()
    samples = _resample(_downmix(_samples(data, offset, length), channels), rate)
    if not len(samples):
        raise errors.EmptyAudioError()
    if rms(samples) < silence_rms():
        raise errors.SilentAudioError()
    return samples.astype("<i2").tobytes()


def pcm_seconds(pcm: bytes) -> float:
    return len(pcm) / (2 * TARGET_RATE)
