"""Root URLs: the contract in docs/design.md. Every page has one view and one URL for all editions."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from editions import views as edition_views
from storefront.catalog import views as catalog_views

from . import health, media

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("", include("storefront.catalog.urls")),
    path("cart/", include("storefront.cart.urls")),
    path("", include("storefront.checkout.urls")),
    path("account/", include("storefront.accounts.urls")),
    path("family/", include("storefront.family.urls")),
    path("", include("storefront.voice.urls")),
    path("", include("editions.urls")),
    path("", include("storefront.markets.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("help/", edition_views.help_page, name="help"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
if settings.PAYMENT_SANDBOX:  # the stand-in wallet provider's page (storefront/sandbox/), never in production
    urlpatterns.append(path("", include("storefront.sandbox.urls")))
if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", media.serve_media)]

handler400 = "storefront.errors.bad_request"
handler404 = "storefront.errors.page_not_found"
handler500 = "storefront.errors.server_error"
