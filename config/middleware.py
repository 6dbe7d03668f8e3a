"""Project-wide middleware."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class AdminCSPMiddleware:
    """Relax the Content Security Policy for the Wagtail and Django admin only.

    The admin's own templates use inline scripts and styles that a nonce cannot cover, so
    those paths get 'unsafe-inline'; every learner-facing page keeps the strict policy.
    Listed after CSPMiddleware so it sets the override before the header is built.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(tuple(settings.CSP_ADMIN_PATHS)):
            response._csp_replace = {
                "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
                "style-src": ["'self'", "'unsafe-inline'"],
                "img-src": ["'self'", "data:", "blob:"],
            }
            # Wagtail previews pages in a same-origin iframe (X_FRAME_OPTIONS is DENY).
            response.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response


# Uploaded files are other people's content: a browser must never run them as part of the site.
UPLOADED_FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


class UploadedFileHeadersMiddleware:
    """Serve uploaded media and documents under a sandboxing Content Security Policy.

    A file that carries script (an SVG, an HTML file named .txt) then runs in an opaque origin
    with no script, so it cannot act as the signed-in person. Covers MEDIA_URL when Django serves
    it (development) and Wagtail's /documents/; the reverse proxy that serves MEDIA_ROOT in
    production sets the same header (docs/security.md). Listed after CSPMiddleware, which keeps
    a header that is already set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith((settings.MEDIA_URL, "/documents/")):
            response["Content-Security-Policy"] = UPLOADED_FILE_POLICY
            response["X-Content-Type-Options"] = "nosniff"
        return response
