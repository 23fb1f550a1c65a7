"""Moves an anonymous cart into the shopper's account cart when they sign in."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import services


@receiver(user_logged_in)
def merge_cart(sender, request, user, **kwargs) -> None:
    if request is not None:
        services.merge_session_cart_into_user(request, user)
