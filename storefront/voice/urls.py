"""/voice/search/ (included at the site root by storefront/urls.py)."""

from django.urls import path

from . import views

app_name = "voice"

urlpatterns = [
    path("voice/search/", views.search, name="search"),
    path("voice/results/", views.last, name="last"),
]
