"""The document resources: State, Activity Profile, Agent Profile, Activities and Agents."""

from django.http import HttpResponse

from tracking.lrs import http
from tracking.lrs.agents import agent_from_param, agent_ifi
from tracking.lrs.clients import client_require
from tracking.lrs.documents import (
    DocumentScope,
    Preconditions,
    document_delete,
    document_get,
    document_ids,
    document_post,
    document_put,
)
from tracking.lrs.errors import XAPIValidationError
from tracking.lrs.models import Activity, DocumentKind
from tracking.lrs.params import iri_param, timestamp_param, uuid_param
from tracking.lrs.views import XAPIView


def _only(params: dict, allowed: set[str]) -> None:
    unknown = set(params) - allowed
    if unknown:
        name = sorted(unknown)[0]
        raise XAPIValidationError(f"{name}: not a parameter of this resource", prop=name)


def _agent(params: dict) -> dict:
    if "agent" not in params:
        raise XAPIValidationError("agent: is required", prop="agent")
    return agent_from_param(params["agent"])


def _pre(xreq) -> Preconditions:
    return Preconditions(
        if_match=xreq.header("If-Match"), if_none_match=xreq.header("If-None-Match")
    )


def _document_response(row) -> HttpResponse:
    response = HttpResponse(bytes(row.content), content_type=row.content_type)
    response["ETag"] = f'"{row.etag}"'
    response["Last-Modified"] = http.http_date(row.updated)
    return response


class DocumentView(XAPIView):
    """Shared GET/PUT/POST/DELETE for the three document resources (Communication 2.2).

    Every scope is the requesting client's own: the read-all scope covers statements only, so
    no client can list, read, overwrite or delete another client's documents.
    """

    methods = ("GET", "PUT", "POST", "DELETE")
    id_param = ""
    scope_params: set[str] = set()

    def scope(self, params: dict, client) -> DocumentScope:
        raise NotImplementedError

    def handle_get(self, xreq, client) -> HttpResponse:
        client_require(client=client, scope="documents")
        params = xreq.params
        _only(params, self.scope_params | {self.id_param, "since"})
        scope = self.scope(params, client)
        # `since` is validated everywhere but only filters a list of ids (Communication 2.3).
        since = timestamp_param(params, "since")
        if self.id_param in params:
            return _document_response(document_get(scope=scope, document_id=params[self.id_param]))
        ids = document_ids(scope=scope, since=since)
        return http.json_response(ids)

    def _write(self, xreq, client, service, **extra) -> HttpResponse:
        client_require(client=client, scope="documents")
        params = xreq.params
        _only(params, self.scope_params | {self.id_param})
        scope = self.scope(params, client)
        if self.id_param not in params:
            raise XAPIValidationError(f"{self.id_param}: is required", prop=self.id_param)
        row = service(
            scope=scope,
            document_id=params[self.id_param],
            content=xreq.body,
            content_type=xreq.content_type or "application/octet-stream",
            pre=_pre(xreq),
            **extra,
        )
        response = HttpResponse(status=204)
        response["ETag"] = f'"{row.etag}"'
        return response

    def handle_put(self, xreq, client) -> HttpResponse:
        return self._write(xreq, client, document_put, version=xreq.version)

    def handle_post(self, xreq, client) -> HttpResponse:
        return self._write(xreq, client, document_post)

    def handle_delete(self, xreq, client) -> HttpResponse:
        client_require(client=client, scope="documents")
        params = xreq.params
        _only(params, self.scope_params | {self.id_param})
        if self.id_param not in params and self.scope_params != STATE_SCOPE:
            raise XAPIValidationError(f"{self.id_param}: is required", prop=self.id_param)
        document_delete(
            scope=self.scope(params, client), document_id=params.get(self.id_param), pre=_pre(xreq)
        )
        return HttpResponse(status=204)


STATE_SCOPE = {"activityId", "agent", "registration"}


class StateView(DocumentView):
    """/xapi/activities/state (Communication 2.3)."""

    id_param = "stateId"
    scope_params = STATE_SCOPE

    def scope(self, params: dict, client) -> DocumentScope:
        activity = iri_param(params, "activityId", required=True)
        registration = uuid_param(params, "registration")
        return DocumentScope(
            client_id=client.pk,
            kind=DocumentKind.STATE,
            activity_id=activity,
            agent_ifi=agent_ifi(_agent(params)),
            registration=str(registration) if registration else "",
        )


class ActivityProfileView(DocumentView):
    """/xapi/activities/profile (Communication 2.7)."""

    id_param = "profileId"
    scope_params = {"activityId"}

    def scope(self, params: dict, client) -> DocumentScope:
        return DocumentScope(
            client_id=client.pk,
            kind=DocumentKind.ACTIVITY_PROFILE,
            activity_id=iri_param(params, "activityId", required=True),
        )


class AgentProfileView(DocumentView):
    """/xapi/agents/profile (Communication 2.6)."""

    id_param = "profileId"
    scope_params = {"agent"}

    def scope(self, params: dict, client) -> DocumentScope:
        return DocumentScope(
            client_id=client.pk,
            kind=DocumentKind.AGENT_PROFILE,
            agent_ifi=agent_ifi(_agent(params)),
        )


class ActivitiesView(XAPIView):
    """GET /xapi/activities: the canonical Activity object (Communication 2.5)."""

    def handle_get(self, xreq, client) -> HttpResponse:
        client_require(client=client, scope="documents")
        _only(xreq.params, {"activityId"})
        activity_id = iri_param(xreq.params, "activityId", required=True)
        row = Activity.objects.filter(activity_id=activity_id).first()
        body = {"objectType": "Activity", "id": activity_id}
        if row and row.definition:
            body["definition"] = row.definition
        return http.json_response(body)


class AgentsView(XAPIView):
    """GET /xapi/agents: the Person object for an agent (Communication 2.4)."""

    def handle_get(self, xreq, client) -> HttpResponse:
        client_require(client=client, scope="documents")
        _only(xreq.params, {"agent"})
        agent = _agent(xreq.params)
        if agent.get("objectType") == "Group":
            raise XAPIValidationError("agent: must be an Agent, not a Group", prop="agent")
        person = {"objectType": "Person"}
        for key in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
            if key in agent:
                person[key] = [agent[key]]
        return http.json_response(person)
