from django.conf import settings

from accounts.selectors import user_roles


def roles(request):
    """Role names for navigation (not security) and the site-wide banner settings."""
    user = getattr(request, "user", None)
    return {
        "user_roles": user_roles(user=user) if user is not None else set(),
        "site_phase": settings.PHASE_BANNER,
        "feedback_email": settings.FEEDBACK_EMAIL,
    }
