"""Sign-in through an agency's OpenID Connect provider, with accounts.oidc's stricter checks.

allauth's own OpenID Connect views build its stock adapter; these build ours, and answer a
provider that cannot be reached with a clear page (password sign-in still works) rather than
a server error.
"""

from urllib.parse import urlsplit

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from requests import RequestException

from accounts.oidc import AgencyOIDCAdapter


def _unavailable(request: HttpRequest, provider_id: str) -> HttpResponse:
    app = SocialApp.objects.filter(provider_id=provider_id).first()
    return render(
        request,
        "socialaccount/provider_unavailable.html",
        {"provider_name": app.name if app else "Your agency's sign-in service"},
        status=503,
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _confirm(request: HttpRequest, adapter: AgencyOIDCAdapter) -> HttpResponse:
    """The page whose button starts the sign-in (a POST, so no other site can start one)."""
    authorize_url = adapter.authorize_url
    response = render(request, "socialaccount/login.html", {"provider": adapter.get_provider()})
    # Browsers apply form-action to where the form's answer redirects: the provider's page.
    response._csp_update = {"form-action": [_origin(authorize_url)]}
    return response


@login_not_required
def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    adapter = AgencyOIDCAdapter(request, provider_id)
    try:
        if request.method != "POST":
            return _confirm(request, adapter)
        return OAuth2LoginView.adapter_view(adapter)(request)
    except SocialApp.DoesNotExist as missing:
        raise Http404 from missing
    except (RequestException, ValueError):
        return _unavailable(request, provider_id)
    except OAuth2Error:
        # Reachable but not the issuer configured (accounts.oidc): not ours to trust.
        return render(request, "socialaccount/authentication_error.html", status=502)


@login_not_required
def oidc_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2CallbackView.adapter_view(AgencyOIDCAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as missing:
        raise Http404 from missing
