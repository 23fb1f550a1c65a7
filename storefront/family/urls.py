from django.urls import path

from storefront import urlconverters  # noqa: F401  (registers <invite_code:>)

from . import views

app_name = "family"
urlpatterns = [
    path("", views.home, name="home"),
    path("invite/", views.invite, name="invite"),
    path("ask-for-help/", views.ask_help, name="ask_help"),
    path("code/", views.enter_code, name="enter_code"),
    path("card/", views.add_card, name="add_card"),
    path("links/<int:pk>/relation/", views.relation, name="relation"),
    path("links/<int:pk>/basket/", views.prepare_basket, name="prepare_basket"),
    path("baskets/<uuid:public_id>/", views.basket_detail, name="basket"),
    path("baskets/<uuid:public_id>/confirm/", views.basket_confirm, name="basket_confirm"),
    path("baskets/<uuid:public_id>/withdraw/", views.basket_withdraw, name="basket_withdraw"),
    path("join/<invite_code:code>/", views.join, name="join"),
    path("links/<int:pk>/end/", views.end_link, name="end_link"),
    path("links/<int:pk>/allowance/", views.set_allowance, name="allowance"),
    path("ask/", views.ask, name="ask"),
    path("ask/product/", views.ask_product, name="ask_product"),
    path("ask/checkout/", views.ask_checkout, name="ask_checkout"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request"),
    path("requests/<uuid:public_id>/status/", views.request_status, name="status"),
    path("requests/<uuid:public_id>/receipt/", views.receipt, name="receipt"),
    path("requests/<uuid:public_id>/approve/", views.approve, name="approve"),
    path("requests/<uuid:public_id>/decline/", views.decline, name="decline"),
    path("requests/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
]
