"""Hold members who are waiting for (or were refused) agency approval at the waiting page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.models import Page

from accounts.selectors import user_is_approved_member

# Paths a waiting member may still use: their account, sign out, public support and assets.
OPEN_PREFIXES = (
    "/accounts/",
    "/static/",
    "/media/",
    "/documents/",
    "/health/",
    "/directory/",
    "/api/oruk/",
    "/favicon.ico",
)
PUBLIC_PAGE_TYPES = ("pages.homepage", "pages.standardpage")


class MembershipGateMiddleware:
    """Send signed-in members who are not approved to the waiting page.

    Public content pages (home, accessibility, privacy) stay open; everything else, including
    other apps' Wagtail pages such as courses, redirects. Listed after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user_is_approved_member(user=user)
            and not user.is_superuser
            and not self._is_open(request)
        ):
            return redirect(reverse("accounts:membership_waiting"))
        return self.get_response(request)

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        if request.path_info.startswith(OPEN_PREFIXES):
            return True
        page = Page.find_for_request(request, request.path_info)
        return page is not None and page.specific_class._meta.label_lower in PUBLIC_PAGE_TYPES
