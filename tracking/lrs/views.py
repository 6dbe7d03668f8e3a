"""The /xapi/ endpoints: the base view (headers, auth, errors), Statements and About."""

import json
from datetime import UTC, datetime

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from tracking.lrs import http
from tracking.lrs.clients import client_require, lrs_client_authenticate
from tracking.lrs.errors import XAPIError, XAPIValidationError
from tracking.lrs.formats import accept_languages, statements_format
from tracking.lrs.limits import XAPITooManyRequests, batch_size_check, client_rate_check
from tracking.lrs.params import statement_query_from, uuid_param
from tracking.lrs.selectors import (
    attachments_for,
    cursor_dump,
    cursor_load,
    statement_get,
    statement_query,
)
from tracking.lrs.services import statement_store, statements_save, xapi_timestamp


class XAPIView(View):
    """Unwraps the alternate syntax, authenticates, checks the version, renders errors."""

    http_method_names = ["get", "head", "post", "put", "delete", "options"]
    methods: tuple[str, ...] = ("GET",)
    requires_auth = True
    requires_version = True

    @classmethod
    def as_view(cls, **initkwargs):
        # Exempt the view function itself, so a subclass overriding dispatch() stays exempt:
        # clients authenticate with credentials on every request, never a session cookie.
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return http.finish(HttpResponse(status=200), request)
        # The version answered: the one the request names when supported (even if the
        # request is refused for another reason), else the latest.
        version = http.version_of(request.headers.get("X-Experience-API-Version")) or (
            http.XAPI_LATEST
        )
        try:
            xreq = http.xrequest_from(request)
            method = "GET" if xreq.method == "HEAD" else xreq.method
            if method not in self.methods:
                response = http.json_response({"error": f"{method} is not allowed here"}, 405)
                response["Allow"] = ", ".join(self.methods)
                return http.finish(response, request, version)
            # The version is checked first: a request without it is a 400 whoever sends it
            # (Communication 3.3).
            if self.requires_version:
                version = http.version_check(xreq)
            else:
                xreq.version = http.version_of(xreq.header("X-Experience-API-Version")) or version
            client = None
            if self.requires_auth:
                client = lrs_client_authenticate(authorization=xreq.header("Authorization"))
                client_rate_check(client=client)
            response = getattr(self, f"handle_{method.lower()}")(xreq, client)
        except RequestDataTooBig:
            response = http.json_response(
                {"error": "the request is larger than the LRS accepts; send smaller batches"}, 413
            )
        except XAPIError as error:
            response = http.json_response(error.as_json(), error.status)
            if error.status == 401:
                response["WWW-Authenticate"] = 'Basic realm="xAPI"'
            if isinstance(error, XAPITooManyRequests):
                response["Retry-After"] = str(error.retry_after)
        if xreq_is_head(request):
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return http.finish(response, request, version)


def xreq_is_head(request: HttpRequest) -> bool:
    return request.method == "HEAD"


class AboutView(XAPIView):
    """GET /xapi/about: versions supported (Communication 2.8); open, as clients probe it."""

    requires_auth = False
    requires_version = False

    def handle_get(self, xreq, client) -> HttpResponse:
        if xreq.params:
            raise XAPIValidationError("about takes no parameters", prop=next(iter(xreq.params)))
        versions = [http.XAPI_LATEST, http.XAPI_VERSION, "1.0.2", "1.0.1", "1.0.0"]
        if xreq.version == http.XAPI_VERSION:
            # A client speaking 1.0.x is told the versions it can use: 1.0 libraries check the
            # list against the versions they know (tincan's About refuses "2.0.0").
            versions = versions[1:]
        return http.json_response({"version": versions})


class StatementsView(XAPIView):
    """PUT, POST and GET /xapi/statements (Communication 2.1)."""

    methods = ("GET", "PUT", "POST")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        # Communication 2.1.3: a GET gets the header "regardless of the code returned", so a
        # refused one (no version, bad parameter, unknown id) carries it too.
        is_get = request.method in ("GET", "HEAD") or request.GET.get("method", "").upper() in (
            "GET",
            "HEAD",
        )
        if is_get and "X-Experience-API-Consistent-Through" not in response:
            response["X-Experience-API-Consistent-Through"] = xapi_timestamp(datetime.now(UTC))
        return response

    def _parse_body(self, xreq) -> tuple[object, dict]:
        content_type = xreq.content_type.split(";")[0].strip().lower()
        if content_type == "multipart/mixed":
            body, attachments = http.multipart_parse(
                xreq.body, xreq.header("Content-Type") or xreq.content_type
            )
            return http.parse_json(body, "statement"), attachments
        if content_type != "application/json":
            raise XAPIValidationError(
                "Content-Type must be application/json or multipart/mixed", prop="Content-Type"
            )
        return http.parse_json(xreq.body, "statement"), {}

    def handle_put(self, xreq, client) -> HttpResponse:
        client_require(client=client, scope="write")
        unknown = set(xreq.params) - {"statementId"}
        if unknown:
            raise XAPIValidationError(
                f"{sorted(unknown)[0]}: not a PUT parameter", prop=sorted(unknown)[0]
            )
        statement_id = uuid_param(xreq.params, "statementId", required=True)
        statement, attachments = self._parse_body(xreq)
        if not isinstance(statement, dict):
            raise XAPIValidationError("statement: PUT takes one statement object", prop="statement")
        if "id" in statement and str(statement["id"]).lower() != str(statement_id):
            raise XAPIValidationError(
                "statement.id: differs from the statementId parameter", prop="statement.id"
            )
        statement["id"] = xreq.params["statementId"]
        statement_store(
            statements=[statement],
            client=client,
            attachments=attachments,
            batch=False,
            version=xreq.version,
        )
        return HttpResponse(status=204)

    def handle_post(self, xreq, client) -> HttpResponse:
        if xreq.params:
            raise XAPIValidationError(
                "POST /statements takes no parameters", prop=next(iter(xreq.params))
            )
        client_require(client=client, scope="write")
        body, attachments = self._parse_body(xreq)
        batch = isinstance(body, list)
        batch_size_check(count=len(body) if batch else 1)
        result = statements_save(
            statements=body if batch else [body],
            client=client,
            attachments=attachments,
            batch=batch,
            version=xreq.version,
        )
        if not result.stored:
            # Every statement was already stored identically: nothing changed (Comm. 2.1.2).
            return HttpResponse(status=204)
        return http.json_response(result.ids)

    def handle_get(self, xreq, client) -> HttpResponse:
        client_require(client=client, scope="read")
        params = dict(xreq.params)
        if "more" in params:
            # A `more` link carries the original query, format and attachments included.
            params = {**cursor_load(token=params["more"])["p"], "more": params["more"]}
        now = datetime.now(UTC)
        fmt = params.get("format", "exact")
        if fmt not in ("exact", "ids", "canonical"):
            raise XAPIValidationError("format: must be exact, ids or canonical", prop="format")
        want_attachments = _bool(params.get("attachments", "false"), "attachments")
        languages = accept_languages(xreq.header("Accept-Language"))
        if "statementId" in params or "voidedStatementId" in params:
            response = self._get_one(params, client, fmt, want_attachments, languages)
        else:
            response = self._get_many(params, client, fmt, want_attachments, languages, now)
        response["X-Experience-API-Consistent-Through"] = xapi_timestamp(now)
        return response

    def _get_one(self, params, client, fmt, want_attachments, languages) -> HttpResponse:
        name = "statementId" if "statementId" in params else "voidedStatementId"
        extra = set(params) - {name, "format", "attachments"}
        if extra:
            raise XAPIValidationError(
                f"{sorted(extra)[0]}: not allowed with {name}", prop=sorted(extra)[0]
            )
        row = statement_get(
            statement_id=uuid_param(params, name, required=True),
            voided=name == "voidedStatementId",
            client=client,
        )
        statement = statements_format(statements=[row.data], fmt=fmt, languages=languages)[0]
        response = self._render(statement, [row.data], want_attachments)
        response["Last-Modified"] = http.http_date(row.stored)
        return response

    def _get_many(self, params, client, fmt, want_attachments, languages, now) -> HttpResponse:
        query, public_params = statement_query_from(params, now=now)
        rows, has_more = statement_query(query=query, client=client)
        data = [row.data for row in rows]
        result = {
            "statements": statements_format(statements=data, fmt=fmt, languages=languages),
            "more": "",
        }
        if has_more:
            token = cursor_dump(params=public_params, last=rows[-1], ceiling=query.ceiling)
            result["more"] = f"/xapi/statements?more={token}"
        response = self._render(result, data, want_attachments)
        if rows:
            response["Last-Modified"] = http.http_date(max(row.stored for row in rows))
        return response

    def _render(self, payload, statements: list[dict], want_attachments: bool) -> HttpResponse:
        if not want_attachments:
            return http.json_response(payload)
        first = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return http.multipart_build(first, attachments_for(statements=statements))


def _bool(value: str, name: str) -> bool:
    if value not in ("true", "false"):
        raise XAPIValidationError(f"{name}: must be true or false", prop=name)
    return value == "true"
