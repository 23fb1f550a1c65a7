"""The sandbox provider's page, at the address a wallet provider's page would have (mounted only when
PAYMENT_SANDBOX is on). References are the provider's own (`wal_<hex>`): anything else is a 404."""

from django.urls import path

from . import views

app_name = "sandbox"
urlpatterns = [
    path("test-provider/<slug:reference>/", views.provider_page, name="provider"),
]
