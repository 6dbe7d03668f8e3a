"""Destinations (issue 15): LRS destination addresses accepted loopback, private and
link-local hosts (the platform would post learners' records to internal services), and the
status page showed the destination's raw response body."""

import socket

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tracking.models import LRSDestination
from tracking.services import delivery as delivery_service
from tracking.services.delivery import destination_deliver, destination_verify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://localhost:8000/xapi/",
        "http://127.0.0.2/xapi/",
        "http://10.1.2.3/xapi/",
        "http://192.168.0.10/xapi/",
        "http://172.16.5.5/xapi/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/xapi/",
        "http://[fe80::1]/xapi/",
        "http://0.0.0.0/xapi/",
    ],
)
def test_loopback_private_and_link_local_destinations_are_refused(destination_factory, endpoint):
    with pytest.raises(ValidationError) as error:
        destination_factory(endpoint=endpoint)
    assert "endpoint" in error.value.message_dict
    assert not LRSDestination.objects.exists()


def test_a_host_the_setting_allows_is_accepted(destination_factory, settings):
    settings.LRS_DESTINATION_ALLOWED_HOSTS = ["10.1.2.3"]
    assert destination_factory(endpoint="http://10.1.2.3/xapi/").pk
    assert destination_factory(endpoint="https://lrs.police.example.org/xapi/").pk


def test_delivery_pauses_a_destination_whose_name_resolves_to_a_private_address(
    destination_factory, monkeypatch, police_officer, tracked_course
):
    destination = destination_factory(endpoint="https://lrs.police.example.org/xapi/")

    def resolve(host, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    sent = []
    monkeypatch.setattr(
        delivery_service, "destination_client", lambda **kw: sent.append(kw) or None
    )
    report = destination_deliver(destination_id=destination.pk)
    destination.refresh_from_db()
    assert report.paused and sent == []
    assert "10.0.0.7, a private address" in destination.paused_reason
    assert "10.0.0.7" in destination_verify(destination=destination)["error"]


def _answered(status: int, **kwargs) -> str:
    request = httpx.Request("POST", "https://lrs.example.org/xapi/statements")
    return delivery_service._reason(httpx.Response(status, request=request, **kwargs))


def test_a_failure_reason_is_short_and_never_the_body():
    page = "<html><script>alert(1)</script>" + "x" * 5000 + "</html>"
    assert _answered(502, text=page) == "HTTP 502 Bad Gateway"
    long = _answered(400, json={"error": "verb.id: not an IRI\n" + "y" * 500})
    assert long.startswith("HTTP 400 Bad Request: verb.id: not an IRI y")
    assert len(long) <= 230 and "\n" not in long


def test_the_status_page_escapes_the_reason(client, destination_factory):
    admin = UserFactory(roles=[Role.PARTNERSHIP_ADMIN], is_staff=True)
    client.force_login(admin)
    destination = destination_factory()
    LRSDestination.objects.filter(pk=destination.pk).update(
        paused_reason=_answered(401, json={"error": "<script>alert(1)</script>"})
    )
    page = client.get(reverse("lrs_destinations:status", args=[destination.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
