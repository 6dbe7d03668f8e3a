"""A partnership admin creates an LRS client in the admin; a partner system then uses it."""

import httpx
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import UserFactory


def test_admin_creates_lrs_client_and_partner_system_stores_and_reads_a_statement(
    signed_in_page, live_url, assert_accessible
):
    page = signed_in_page(UserFactory(roles=[Role.PARTNERSHIP_ADMIN], is_staff=True))
    page.goto(f"{live_url}/admin/lrs_clients/")
    assert_accessible(page)
    page.get_by_role("link", name="Add LRS client").first.click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Police training LMS")
    page.get_by_label("Read all statements").check()
    page.get_by_role("button", name="Create").first.click()

    expect(page.get_by_text("Copy the secret now")).to_be_visible()
    assert_accessible(page)
    key = page.locator("#lrs-client-key").inner_text().strip()
    secret = page.locator("#lrs-client-secret").inner_text().strip()

    headers = {"X-Experience-API-Version": "1.0.3"}
    statement = {
        "actor": {"mbox": "mailto:officer@police.example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://lscp.example.org/courses/missing-from-home-and-care"},
    }
    with httpx.Client(base_url=live_url, auth=(key, secret), headers=headers) as api:
        stored = api.post("/xapi/statements", json=statement)
        assert stored.status_code == 200, stored.text
        (statement_id,) = stored.json()
        fetched = api.get("/xapi/statements", params={"statementId": statement_id})
        assert fetched.json()["authority"]["name"] == "Police training LMS"
