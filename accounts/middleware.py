"""Session rules for signed-in people: idle and absolute limits, second-factor enrolment for
privileged roles, and holding members who wait for agency approval at the waiting page."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.models import Page

from accounts.oidc import user_has_strong_sso_session
from accounts.selectors import user_has_second_factor, user_is_approved_member, user_is_privileged

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


# Paths a privileged person without a second factor may use: enrolment itself, re-entering their
# password before it, signing out, and assets.
ENROLMENT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/static/",
    "/health/",
    "/favicon.ico",
)
SESSION_STATE_KEY = "_session_policy"
# The session is written at most this often (last activity and the role check): reading a page
# must not write the session on every request.
SESSION_STATE_SECONDS = 60


class SessionPolicyMiddleware:
    """End sessions past their idle or absolute limit (shorter for privileged roles), and send
    privileged people without an authenticator app to enrol one before anything else.

    Whether someone is privileged and enrolled is re-read at most once a minute (kept in the
    session), so a settled page view reads no groups; until enrolled it is read on every request.
    Listed after AuthenticationMiddleware and MessageMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        state = request.session.get(SESSION_STATE_KEY)
        if not state or state.get("user") != user.pk:
            state = {"user": user.pk, "start": now, "seen": now, "checked": 0}
        ended = self._ended(state, now)
        if ended:
            # Carry on signed out: public pages still show, signed-in pages send them to sign in,
            # and a sign-in form posted from an expired session is not lost.
            logout(request)
            messages.info(request, ended)
            return self.get_response(request)
        changed = False
        if now - state["seen"] >= SESSION_STATE_SECONDS:
            state["seen"], changed = now, True
        if now - state["checked"] >= SESSION_STATE_SECONDS or not state.get("enrolled", True):
            privileged = user_is_privileged(user=user)
            # A second factor at the agency's own provider (its ``amr`` claim) counts as one here.
            enrolled = (
                not privileged
                or user_has_second_factor(user=user)
                or user_has_strong_sso_session(request)
            )
            if (privileged, enrolled) != (state.get("privileged"), state.get("enrolled")):
                changed = True
            state.update(privileged=privileged, enrolled=enrolled)
            if now - state["checked"] >= SESSION_STATE_SECONDS:
                state["checked"], changed = now, True
        if changed:
            request.session[SESSION_STATE_KEY] = state
        if not state["enrolled"] and not request.path_info.startswith(ENROLMENT_PREFIXES):
            messages.info(
                request,
                "Your role lets you see other people's data, so your account needs a second "
                "factor. Set up an authenticator app to continue.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _ended(state: dict, now: int) -> str | None:
        """Why the session has ended, or None while it is within its limits."""
        privileged = state.get("privileged", False)
        idle = (
            settings.PRIVILEGED_SESSION_IDLE_SECONDS
            if privileged
            else settings.SESSION_IDLE_SECONDS
        )
        absolute = (
            settings.PRIVILEGED_SESSION_ABSOLUTE_SECONDS
            if privileged
            else settings.SESSION_ABSOLUTE_SECONDS
        )
        if now - state["seen"] > idle:
            return (
                f"You were signed out after {idle // 60} minutes without activity. Sign in again."
            )
        if now - state["start"] > absolute:
            return f"You were signed out after {absolute // 3600} hours. Sign in again."
        return None
