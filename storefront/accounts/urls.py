from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signin/", views.SignInView.as_view(), name="login"),
    path("signout/", views.SignOutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("", views.account, name="account"),
    path("time-zone/", views.time_zone, name="time_zone"),
    path("name/", views.display_name, name="display_name"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/<int:pk>/default/", views.address_default, name="address_default"),
    path("addresses/<int:pk>/delete/", views.address_delete, name="address_delete"),
    path("cards/<int:pk>/delete/", views.payment_method_delete, name="card_delete"),
]
