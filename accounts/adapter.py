"""django-allauth adapter: where people land after signing in.

allauth's extension point is an adapter class named in ``ACCOUNT_ADAPTER``, hence this module.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from accounts.selectors import user_is_approved_member
from accounts.services import email_html


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
