import time

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.selectors import notification_unread_count, user_roles

# Role names drive navigation only (every view checks permissions itself), so a signed-in page
# reads them from the session rather than querying the groups on every request; a change of role
# shows in the navigation within this many seconds.
ROLES_SESSION_KEY = "_nav_roles"
ROLES_SESSION_SECONDS = 300


def _navigation_roles(request, user) -> set[str]:
    session = getattr(request, "session", None)
    if session is None or not user.is_authenticated or user.is_superuser:
        return user_roles(user=user)
    cached = session.get(ROLES_SESSION_KEY)
    now = int(time.time())
    fresh = cached and now - cached.get("at", 0) < ROLES_SESSION_SECONDS
    if fresh and cached.get("user") == user.pk:
        return set(cached["roles"])
    roles = user_roles(user=user)
    session[ROLES_SESSION_KEY] = {"user": user.pk, "roles": sorted(roles), "at": now}
    return roles


def roles(request):
    """Role names for navigation (not security) and the site-wide banner settings."""
    user = getattr(request, "user", None)
    return {
        "user_roles": _navigation_roles(request, user) if user is not None else set(),
        "site_phase": settings.PHASE_BANNER,
        "feedback_email": settings.FEEDBACK_EMAIL,
    }


def notifications(request):
    """The signed-in person's unread notification count for the header link; read only when a
    template shows it (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}
    return {"notifications_unread": SimpleLazyObject(lambda: notification_unread_count(user=user))}
