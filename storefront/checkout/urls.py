from django.urls import path

from storefront import urlconverters  # noqa: F401  (registers <order_number:> and <provider_ref:>)

from . import oneclick_views, returns_views, views

app_name = "checkout"
urlpatterns = [
    path("checkout/", views.start, name="start"),
    path("checkout/address/", views.address_step, name="address"),
    path("checkout/review/", views.review_step, name="review"),
    path("checkout/pay/", views.pay_step, name="pay"),
    path("checkout/pay/return/<order_number:number>/", views.pay_return, name="pay_return"),
    path("checkout/confirmation/<order_number:number>/", views.confirmation, name="confirmation"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<order_number:number>/", views.order_detail, name="order"),
    path("orders/<order_number:number>/return/", returns_views.start, name="return"),
    path("orders/<order_number:number>/returns/<slug:code>/", returns_views.detail, name="return_detail"),
    path("orders/<order_number:number>/returns/<slug:code>/label/", returns_views.label, name="return_label"),
    # One-click buying (issue 6)
    path("checkout/buy-now/", oneclick_views.buy_now, name="buy_now"),
    path("checkout/one-click/setup/", oneclick_views.setup, name="oneclick_setup"),
    path("checkout/one-click/cards/<int:pk>/default/", oneclick_views.card_default, name="card_default"),
    path("checkout/one-click/<order_number:number>/", oneclick_views.done, name="oneclick_done"),
    path("orders/<order_number:number>/buy-again/", oneclick_views.buy_again, name="buy_again"),
    path("orders/<order_number:number>/cancel/", oneclick_views.cancel, name="cancel"),
]
