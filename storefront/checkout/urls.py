from django.urls import path

from . import views

app_name = "checkout"
urlpatterns = [
    path("checkout/", views.start, name="start"),
    path("checkout/address/", views.address_step, name="address"),
    path("checkout/review/", views.review_step, name="review"),
    path("checkout/pay/", views.pay_step, name="pay"),
    path("checkout/confirmation/<str:number>/", views.confirmation, name="confirmation"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<str:number>/", views.order_detail, name="order"),
    path("orders/<str:number>/return/", views.request_return, name="return"),
]
