"""Authentication backends: Django's and allauth's, reading the signed-in user more cheaply.

Every signed-in request loads its user by primary key. The query's SQL is compiled once per
process (config/prepared.py) instead of on each request; what is returned is unchanged.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user_model

from config.prepared import PreparedQuery

_USER_BY_PK = PreparedQuery(lambda pk: get_user_model()._default_manager.filter(pk=pk), pk=-7301)


class _PreparedGetUser:
    def get_user(self, user_id):
        """The active user with this primary key, or None (as Django's ModelBackend)."""
        rows = _USER_BY_PK(pk=user_id)
        user = rows[0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_PreparedGetUser, backends.ModelBackend):
    """Django's username and password backend (used by the admin and tests' force_login)."""


class AuthenticationBackend(_PreparedGetUser, allauth_backends.AuthenticationBackend):
    """allauth's email and password backend, used by the sign-in page."""
