"""OpenID Connect for agencies' own providers, checked more strictly than allauth's defaults.

allauth 65's generic OpenID Connect adapter skips the ID token's signature when the token came
from the token endpoint (Core 1.0 section 3.1.3.7 allows that over TLS), sends no nonce, and
takes the issuer from the discovery document without comparing it with the configured one. An
agency's provider is typed in by an admin and may sit behind anything, so here every ID token's
signature is checked against the provider's published keys, a nonce is sent and must come back
once (Core 1.0 section 3.1.2.1), and the discovery document must name the configured issuer
(Discovery 1.0 section 4.3). allauth still checks the state, audience, expiry and issuer claim.
"""

import secrets

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.core.exceptions import PermissionDenied

from accounts.models import Agency, AgencyIdentityProvider

NONCE_SESSION_KEY = "oidc_nonces"
AMR_SESSION_KEY = "oidc_amr"
# Sign-ins started but not finished (several tabs); older nonces are dropped.
PENDING_NONCES = 5
# Authentication method references (RFC 8176) that mean a second factor was used.
STRONG_AMR = frozenset({"mfa", "otp", "hwk", "swk", "sms", "fpt", "face", "iris", "sc"})


def _issuer(server_url: str) -> str:
    return server_url.split("/.well-known/", 1)[0].rstrip("/")


class NonceClient(OAuth2Client):
    """Adds a fresh nonce to the authorisation request and keeps it in the session by state."""

    def get_redirect_url(self, authorization_url, scope, extra_params) -> str:
        nonce = secrets.token_urlsafe(32)
        pending = dict(self.request.session.get(NONCE_SESSION_KEY, {}))
        pending[self.state] = nonce
        self.request.session[NONCE_SESSION_KEY] = dict(list(pending.items())[-PENDING_NONCES:])
        return super().get_redirect_url(authorization_url, scope, {**extra_params, "nonce": nonce})


class AgencyOIDCAdapter(OpenIDConnectOAuth2Adapter):
    client_class = NonceClient

    @property
    def openid_config(self) -> dict:
        config = super().openid_config
        expected = _issuer(self.get_provider().app.settings["server_url"])
        if str(config.get("issuer", "")).rstrip("/") != expected:
            raise OAuth2Error(f"The discovery document names an issuer other than {expected}")
        return config

    def _decode_id_token(self, app, id_token: str) -> dict:
        data = jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
        state_id = self.request.GET.get("state", "")
        pending = dict(self.request.session.get(NONCE_SESSION_KEY, {}))
        expected = pending.pop(state_id, None)
        self.request.session[NONCE_SESSION_KEY] = pending
        if expected is None or not secrets.compare_digest(str(data.get("nonce", "")), expected):
            raise OAuth2Error("The ID token's nonce does not match this sign-in")
        return data


class AgencyOIDCProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider with the stricter adapter (SOCIALACCOUNT_PROVIDERS)."""

    oauth2_adapter_class = AgencyOIDCAdapter


def sso_login_agency(*, sociallogin) -> Agency:
    """The agency whose provider signed this person in; raises PermissionDenied (with a message
    for them) unless the provider is linked to an active agency that owns their email domain
    and, for Entra ID, the token comes from that agency's tenant."""
    link = (
        AgencyIdentityProvider.objects.select_related("agency")
        .filter(social_app__provider_id=sociallogin.account.provider)
        .first()
    )
    if link is None or not link.agency.is_active:
        raise PermissionDenied("This sign-in service is not set up for any agency here.")
    id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
    if link.tenant_id and str(id_token.get("tid", "")).lower() != link.tenant_id.lower():
        raise PermissionDenied(f"Your account is not in {link.agency.name}'s directory.")
    email = (sociallogin.user.email or "").lower()
    domain = email.rsplit("@", 1)[-1] if "@" in email else ""
    if not domain or not link.agency.domains.filter(domain__iexact=domain).exists():
        raise PermissionDenied(
            f"{link.agency.name}'s sign-in gave an email address ({email or 'none'}) outside the"
            " agency's email domains."
        )
    return link.agency


def sso_session_record(*, request, sociallogin) -> None:
    """Remember in the session the methods the provider says it used (``amr``), or forget them
    when the sign-in was not through a provider; called once the person is signed in."""
    id_token = (sociallogin.account.extra_data or {}).get("id_token") if sociallogin else None
    if id_token is None:
        request.session.pop(AMR_SESSION_KEY, None)
        return
    request.session[AMR_SESSION_KEY] = [str(method) for method in id_token.get("amr") or []]


def user_has_strong_sso_session(request) -> bool:
    """Whether this session was signed in through an agency provider that reported a second
    factor in the ID token's ``amr`` claim, so the platform need not ask for its own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(STRONG_AMR.intersection(request.session.get(AMR_SESSION_KEY, [])))
