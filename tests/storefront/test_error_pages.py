"""Error pages: a request the server failed is never answered as a bad request."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db")
def test_a_session_the_dropped_database_could_not_save_is_a_server_error_not_a_bad_request(
    client, make_product
):
    product = make_product("Session Plums", price="3.00", stock=5)
    url = reverse("catalog:compare_toggle")
    client.post(url, {"product": product.pk})  # the session exists in the database now
    dropped = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(Session, "save", side_effect=dropped):
        response = client.post(url, {"product": product.pk, "action": "remove"})
    assert response.status_code == 500
    assert "something went wrong on our side" in response.content.decode()
    assert "check My orders before paying again" in response.content.decode()


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db")
def test_a_really_bad_request_is_still_a_bad_request(client):
    response = client.get("/search/", {"q": "milk\x00"})
    assert response.status_code == 400
