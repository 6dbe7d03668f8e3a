from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self):
        from allauth.account.signals import email_confirmed

        email_confirmed.connect(_announce_on_confirmation, dispatch_uid="accounts.announce")


def _announce_on_confirmation(sender, request, email_address, **kwargs):
    """A new member's address is confirmed: now tell their agency's leads they are waiting."""
    from accounts.services import membership_pending_announce

    membership_pending_announce(user=email_address.user)


class UsersAdminConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user viewset (agency, team, job role and status fields)."""

    default = False
    user_viewset = "accounts.viewsets.UserViewSet"
