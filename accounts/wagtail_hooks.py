from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button, ListingButton

from accounts import views
from accounts.erasure_views import PersonEraseView
from accounts.selectors import user_is_partnership_admin
from accounts.viewsets import AgencyAdminGroup


@hooks.register("register_admin_viewset")
def register_agency_admin():
    return AgencyAdminGroup()


@hooks.register("register_admin_urls")
def register_erasure_url():
    return [path("people/<int:pk>/erase/", PersonEraseView.as_view(), name="person_erase")]


@hooks.register("register_user_listing_buttons")
def erasure_listing_button(user, request_user):
    if user_is_partnership_admin(user=request_user) and user.pk != request_user.pk:
        yield Button("Erase (GDPR)", reverse("person_erase", args=[user.pk]), priority=90)


@hooks.register("register_admin_urls")
def register_mfa_reset_url():
    return [
        path(
            "accounts/users/<int:user_id>/reset-authenticator/",
            views.user_mfa_reset_view,
            name="accounts_user_mfa_reset",
        )
    ]


@hooks.register("register_user_listing_buttons")
def mfa_reset_button(user, request_user):
    if user_is_partnership_admin(user=request_user):
        yield ListingButton(
            "Reset authenticator app",
            reverse("accounts_user_mfa_reset", args=[user.pk]),
            priority=60,
        )
