"""`manage.py register_voice_model LANG PATH`: use a downloaded Vosk model directory for a language."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from storefront.voice import errors, registry
from storefront.voice.models import VoiceModel


class Command(BaseCommand):
    help = "Register a downloaded Vosk model directory as the speech model for a language."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("language", help="Django language code, e.g. ko, zh-hans, en")
        parser.add_argument("path", help="The unpacked model folder (the one holding am/, conf/, graph/)")

    def handle(self, *args, language: str, path: str, **options) -> None:
        code = registry.normalise_language(language)
        known = {registry.normalise_language(c) for c, _name in settings.LANGUAGES}
        if code not in known and code.split("-")[0] not in known:
            raise CommandError(f"Unknown language {language!r}; expected one of: {', '.join(sorted(known))}.")
        try:
            directory = registry.validate_model_dir(path)
        except errors.InvalidModelDirectoryError as exc:
            raise CommandError(str(exc)) from exc
        _obj, created = VoiceModel.objects.update_or_create(language=code, defaults={"path": directory})
        verb = "Registered" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} the voice model for {code}: {directory}"))
        self.stdout.write("Running servers pick it up on the next voice request for that language.")
