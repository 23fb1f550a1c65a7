from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "storefront.ui"
    label = "ui"
