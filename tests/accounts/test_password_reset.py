"""Password reset through allauth, with GOV.UK pages."""

import re

import pytest
from django.core import mail

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_emails_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="asha@example.org")

    page = client.get("/accounts/password/reset/")
    assert 'class="govuk-input' in page.content.decode()
    client.post("/accounts/password/reset/", {"email": "asha@example.org"})
    link = re.search(r"/accounts/password/reset/key/\S+", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.check_password("a-brand-new-passphrase")


def test_password_reset_for_an_unknown_email_sends_no_reset_link(client):
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)
