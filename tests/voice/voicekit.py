"""Helpers for the voice tests (imported as `voicekit`, like tests/browser/browserkit.py)."""

from __future__ import annotations

import io
import math
import wave
from array import array

# A Vosk model's conf/model.conf, as the fake model directories of the decoder tests have it.
MODEL_CONF = (
    "--min-active=200\n--max-active=3000\n--beam=10.0\n--lattice-beam=2.0\n--frame-subsampling-factor=3\n"
)


def make_wav(samples: list[int] | bytes, *, rate: int = 16000, channels: int = 1, width: int = 2) -> bytes:
    """A RIFF/WAVE file in memory from int16 samples (interleaved when channels > 1) or raw frames."""
    if not isinstance(samples, bytes | bytearray):
        samples = array("h", samples).tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(samples)
    return buffer.getvalue()


def tone(seconds: float, *, rate: int = 16000, freq: float = 440.0, amplitude: int = 8000) -> list[int]:
    return [int(amplitude * math.sin(2 * math.pi * freq * i / rate)) for i in range(int(seconds * rate))]


def run_together(call, count: int = 6) -> tuple[list, list[Exception]]:
    """Call `call()` from `count` threads released at the same moment: (results, exceptions raised)."""
    import threading

    barrier = threading.Barrier(count)
    results, failures = [], []

    def worker():
        barrier.wait()
        try:
            results.append(call())
        except Exception as exc:  # collected for the test's own assertion
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, failures
