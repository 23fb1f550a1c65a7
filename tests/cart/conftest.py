from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore


@pytest.fixture
def anon_request(rf, db):
    request = rf.post("/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    return request


@pytest.fixture
def user_request(rf, user):
    request = rf.post("/")
    request.session = SessionStore()
    request.user = user
    return request
