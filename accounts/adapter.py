"""django-allauth adapter: where people land after signing in.

allauth's extension point is an adapter class named in ``ACCOUNT_ADAPTER``, hence this module.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.shortcuts import render
from django.urls import reverse

from accounts.oidc import sso_login_agency, sso_session_record
from accounts.selectors import user_is_approved_member
from accounts.services import email_html, user_sso_join


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's emails get the same branded HTML part as ours, from their plain text."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            html = email_html(subject=message.subject, text=message.body)
            message.attach_alternative(html, "text/html")
        return message

    def get_login_redirect_url(self, request) -> str:
        """Members waiting for (or refused) approval land on the page that explains it."""
        if request.user.is_authenticated and not user_is_approved_member(user=request.user):
            return reverse("accounts:membership_waiting")
        return super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address) -> str:
        """After confirming their address, waiting members see why they cannot train yet."""
        if not user_is_approved_member(user=email_address.user):
            return reverse("accounts:membership_waiting")
        return super().get_email_verification_redirect_url(email_address)

    def get_signup_redirect_url(self, request) -> str:
        """After sign-up (and the email confirmation that resumes it), go through the waiting
        page: it shows waiting members why they cannot train yet and sends the rest home.

        At sign-up time the new user is not signed in yet, so their status cannot be read here.
        """
        return reverse("accounts:membership_waiting")

    def post_login(self, request, user, *, signal_kwargs=None, **kwargs):
        """Note whether this sign-in came through an agency's provider (and its ``amr``)."""
        sso_session_record(request=request, sociallogin=(signal_kwargs or {}).get("sociallogin"))
        return super().post_login(request, user, signal_kwargs=signal_kwargs, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on through an agency's own provider (see accounts.oidc)."""

    def pre_social_login(self, request, sociallogin) -> None:
        """Refuse anyone the provider's agency does not own (domain or tenant) with a clear page."""
        try:
            sso_login_agency(sociallogin=sociallogin)
        except PermissionDenied as refusal:
            response = render(
                request, "socialaccount/agency_refused.html", {"reason": str(refusal)}, status=403
            )
            raise ImmediateHttpResponse(response) from refusal

    def save_user(self, request, sociallogin, form=None):
        """A person new to the platform joins the agency whose provider signed them in."""
        user = super().save_user(request, sociallogin, form)
        return user_sso_join(user=user, agency=sso_login_agency(sociallogin=sociallogin))
