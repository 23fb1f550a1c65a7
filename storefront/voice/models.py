"""Registered speech models: one Vosk model directory per language, added with `register_voice_model`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VoiceModel(models.Model):
    language = models.CharField(
        _("language"),
        max_length=20,
        unique=True,
        help_text=_("A Django language code such as ko or zh-hans."),
    )
    path = models.CharField(_("model directory"), max_length=500)
    registered_at = models.DateTimeField(_("registered"), auto_now=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("voice model")
        verbose_name_plural = _("voice models")

    def __str__(self) -> str:
        return f"{self.language}: {self.path}"
