from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import health


class ToAllauth(RedirectView):
    """A redirect to allauth's page, keeping the query string (``next``); a POST (an admin's
    sign-out form) goes on as a POST (307), so allauth's sign-out runs rather than asking again."""

    query_string = True

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response.status_code = 307
        return response


# One way in: every sign-in, sign-out and password reset is allauth's, so email verification,
# rate limits and MFA cannot be bypassed through either admin's own forms.
one_way_in = [
    path("admin/login/", ToAllauth.as_view(pattern_name="account_login")),
    path("admin/logout/", ToAllauth.as_view(pattern_name="account_logout")),
    path("admin/password_reset/", ToAllauth.as_view(pattern_name="account_reset_password")),
    path("django-admin/login/", ToAllauth.as_view(pattern_name="account_login")),
    path("django-admin/logout/", ToAllauth.as_view(pattern_name="account_logout")),
    path(
        "django-admin/password_change/", ToAllauth.as_view(pattern_name="account_change_password")
    ),
]

urlpatterns = [
    *one_way_in,
    path("health/", health, name="health"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),
    path("courses/", include("courses.urls")),
    path("events/", include("events.urls")),
    path("scenarios/", include("scenarios.urls")),
    path("directory/", include("directory.urls")),
    path("api/oruk/", include("directory.api_urls")),
    path("xapi/", include("tracking.urls")),
    path("reports/", include("reports.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving is the catch-all, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
