"""Fixtures for the LRS: a client with credentials and an xAPI-speaking test client."""

import base64
import json

import pytest

from tracking.lrs.clients import lrs_client_create


class XAPIClient:
    """Django's test client with Basic auth and the version header on every request."""

    def __init__(self, client, key: str, secret: str):
        self.client = client
        token = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}

    def request(
        self,
        method: str,
        path: str,
        *,
        params=None,
        body=None,
        content_type="application/json",
        headers=None,
    ):
        data = body
        if body is not None and not isinstance(body, bytes | str):
            data = json.dumps(body)
        merged = {**self.headers, **(headers or {})}
        merged = {k: v for k, v in merged.items() if v is not None}
        url = f"/xapi/{path}"
        if params:
            from urllib.parse import urlencode

            url += "?" + urlencode(
                {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
            )
        kwargs = {"headers": merged}
        if data is not None:
            kwargs.update(data=data, content_type=content_type)
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture
def lrs_client(db):
    client, secret = lrs_client_create(name="Test system", can_read_all=True)
    return client, secret


@pytest.fixture
def xapi(client, lrs_client):
    return XAPIClient(client, lrs_client[0].key, lrs_client[1])
