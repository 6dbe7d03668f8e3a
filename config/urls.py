from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),
    path("courses/", include("courses.urls")),
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
