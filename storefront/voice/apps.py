"""App config for voice search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "storefront.voice"
    label = "voice"
    verbose_name = _("Voice search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from storefront.catalog.models import Brand, Category, Product

        from . import checks  # noqa: F401  (registers the settings checks)
        from .vocabulary import bump

        # Catalogue changes mark the spoken vocabulary stale (a counter, read per request instead of a scan).
        for model in (Product, Brand, Category):
            post_save.connect(bump, sender=model, dispatch_uid=f"voice-vocabulary-{model.__name__}-save")
            post_delete.connect(bump, sender=model, dispatch_uid=f"voice-vocabulary-{model.__name__}-delete")
