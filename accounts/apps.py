from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts and agencies"


class UsersAdminConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user viewset (agency, team, job role and status fields)."""

    default = False
    user_viewset = "accounts.viewsets.UserViewSet"
