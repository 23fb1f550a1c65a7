"""The voice error hierarchy: every error carries a message that is safe to show to the shopper."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class VoiceError(Exception):
    """Base class. `message` is user-safe (translated lazily); `status` is the HTTP status the view returns;
    `retry_after` (seconds), when set, is sent as the Retry-After header."""

    status = 400
    default_message = _("Voice search could not understand this request.")

    def __init__(self, message: str | None = None, *, retry_after: int | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.retry_after = retry_after
        super().__init__(str(self.message))


class AudioError(VoiceError):
    """The uploaded audio is unusable."""

    default_message = _("The recording could not be read.")


class NotWavError(AudioError):
    default_message = _("The recording must be a WAV file.")


class UnsupportedFormatError(AudioError):
    status = 415
    default_message = _("The recording must be 16-bit PCM WAV audio.")


class EmptyAudioError(AudioError):
    default_message = _("The recording is empty.")


class SilentAudioError(AudioError):
    status = 422
    default_message = _("We could not hear anything. Please speak closer to the microphone and try again.")


class AudioTooLongError(AudioError):
    status = 413
    default_message = _("The recording is too long. Please keep it under %(seconds)s seconds.")


class AudioTooLargeError(AudioError):
    status = 413
    default_message = _("The recording is too large.")


class ModelUnavailableError(VoiceError):
    """No speech model for the requested language."""

    status = 422
    default_message = _("Voice search is not available in this language. Please type your search instead.")


class InvalidModelDirectoryError(VoiceError):
    """A directory given to the registry does not look like a Vosk model (an operator error, not a shopper's)."""

    status = 500


class VoiceBusyError(VoiceError):
    """Every recognition slot is taken: refused at once rather than queued (see `pool`)."""

    status = 503
    default_message = _(
        "Voice search is busy right now. Please try again in a few seconds, or type your search."
    )


class VoiceUnavailableError(VoiceError):
    """The voice service cannot be reached (stopped, restarting, or too slow to answer)."""

    status = 503
    default_message = _(
        "Voice search is not available right now. Please type your search, or try again later."
    )


class VoiceRateLimitedError(VoiceError):
    """This client sent more recordings than a person could speak (see `pool.check_rate`)."""

    status = 429
    default_message = _(
        "You have sent many recordings in a short time. Please wait a minute, or type your search."
    )
