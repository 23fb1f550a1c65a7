"""decode_wav: the accepted format, conversions, and every rejection with its error type (no Vosk needed)."""

from __future__ import annotations

import struct
from array import array

import pytest
from voicekit import make_wav, tone

from storefront.voice import audio, errors


def samples_of(pcm: bytes) -> array:
    return array("h", pcm)


def test_16k_mono_passes_through_unchanged():
    pcm = array("h", tone(1.0)).tobytes()
    assert audio.decode_wav(make_wav(pcm)) == pcm


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_other_rates_are_resampled_to_16k(rate):
    out = audio.decode_wav(make_wav(tone(1.0, rate=rate), rate=rate))
    assert abs(len(out) / 2 - 16000) <= 2  # one second stays one second
    assert audio.rms(samples_of(out)) > 4000  # the tone survived


def test_stereo_is_downmixed_to_the_mean_of_the_channels():
    left, right = tone(0.5, amplitude=8000), tone(0.5, amplitude=2000)
    interleaved = [s for pair in zip(left, right) for s in pair]
    out = samples_of(audio.decode_wav(make_wav(interleaved, channels=2)))
    assert len(out) == len(left)
    assert all(abs(o - (a + b) // 2) <= 1 for o, a, b in zip(out, left, right))


def test_24_bit_is_rejected():
    frames = b"".join(struct.pack("<i", s * 256)[:3] for s in tone(0.5))
    with pytest.raises(errors.UnsupportedFormatError):
        audio.decode_wav(make_wav(frames, width=3))


def test_8_bit_is_rejected():
    with pytest.raises(errors.UnsupportedFormatError):
        audio.decode_wav(make_wav(bytes(128 + (s >> 8) for s in tone(0.5)), width=1))


def test_float_wav_is_rejected_as_not_pcm():
    wav = bytearray(make_wav(tone(0.5)))
    struct.pack_into("<H", wav, 20, 3)  # WAVE_FORMAT_IEEE_FLOAT
    with pytest.raises(errors.UnsupportedFormatError):
        audio.decode_wav(bytes(wav))


@pytest.mark.parametrize(
    "data",
    [
        b"not audio at all",
        b"ID3\x03\x00" + bytes(2000),
        b"OggS" + bytes(100),
        b"RIFF\x10\x00\x00\x00AVI LIST",
    ],
)
def test_non_wav_is_rejected(data):
    with pytest.raises(errors.NotWavError):
        audio.decode_wav(data)


def test_empty_body_and_empty_wav_are_rejected():
    with pytest.raises(errors.EmptyAudioError):
        audio.decode_wav(b"")
    with pytest.raises(errors.EmptyAudioError):
        audio.decode_wav(make_wav(b""))


def test_silence_is_rejected():
    with pytest.raises(errors.SilentAudioError):
        audio.decode_wav(make_wav([0] * 16000))
    with pytest.raises(errors.SilentAudioError):  # a very quiet hum is silence too
        audio.decode_wav(make_wav(tone(1.0, amplitude=20)))


def test_too_long_is_rejected_from_the_header(settings):
    settings.VOICE_MAX_SECONDS = 10
    # 11 s at 8 kHz is small enough for the byte limit: the duration limit must catch it.
    with pytest.raises(errors.AudioTooLongError) as caught:
        audio.decode_wav(make_wav(tone(11.0, rate=8000), rate=8000))
    assert "10" in str(caught.value.message)
    # A header that claims 20 s is rejected even if the body was cut short.
    wav = bytearray(make_wav(tone(1.0)))
    struct.pack_into("<I", wav, 40, 16000 * 2 * 20)
    with pytest.raises(errors.AudioTooLongError):
        audio.decode_wav(bytes(wav))


def test_too_large_is_rejected_before_parsing(settings):
    settings.VOICE_MAX_BYTES = 50_000
    with pytest.raises(errors.AudioTooLargeError):
        audio.decode_wav(make_wav(tone(2.0)))


def test_streaming_header_without_sizes_is_accepted():
    wav = bytearray(make_wav(tone(1.0)))
    struct.pack_into("<I", wav, 40, 0xFFFFFFFF)  # what a streaming writer leaves behind
    assert len(audio.decode_wav(bytes(wav))) == 32000


def test_errors_carry_user_safe_messages_and_statuses():
    for cls in (
        errors.NotWavError,
        errors.UnsupportedFormatError,
        errors.EmptyAudioError,
        errors.SilentAudioError,
        errors.AudioTooLargeError,
        errors.ModelUnavailableError,
    ):
        error = cls()
        assert 400 <= error.status < 500
        assert str(error.message) and "Traceback" not in str(error.message)
        assert isinstance(error, errors.VoiceError)
