from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "storefront.sandbox"
    label = "sandbox"
    # Not marked for translation: the sandbox has no admin or shopper page that shows its name.
    verbose_name = "Payment sandbox"
