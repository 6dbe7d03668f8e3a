"""Security headers: strict CSP and no framing on learner pages; the admin's own relaxations."""

import pytest

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_learner_pages_forbid_framing_and_inline_code(client):
    response = client.get("/accounts/signup/")

    policy = response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self' 'nonce-" in policy


def test_admin_pages_may_frame_their_own_previews(client):
    client.force_login(UserFactory(roles=["Trainer"]))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
