"""Request guards and the browser-only middleware kept off API requests."""

from corsheaders.middleware import CorsMiddleware as _CorsMiddleware
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import JsonResponse
from rest_framework import status
from rest_framework.exceptions import APIException

from webstore.api.exceptions import error_body


class LengthRequired(APIException):
    """The answer to a chunked request body."""

    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_detail = (
        "Send the request body with a Content-Length header (chunked bodies are not supported)."
    )


class RequireContentLengthMiddleware:
    """Refuses chunked request bodies with 411 instead of silently reading them as empty.

    Django reads a WSGI body only up to CONTENT_LENGTH, so a `Transfer-Encoding: chunked` body
    (no length) would reach the parsers as no body at all: a POST answered "field required",
    a webhook with a valid signature answered 401.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            refusal = LengthRequired()
            return JsonResponse(error_body(refusal), status=refusal.status_code)
        return self.get_response(request)


def admin_only(middleware_class):
    """`middleware_class`, applied to requests for the admin only.

    Sessions, the logged-in user and flash messages serve the staff admin, a browser app. The
    API is stateless (API keys, no cookies), so its requests skip that work.
    """

    class AdminOnly(middleware_class):
        def __init__(self, get_response):
            super().__init__(get_response)
            self.admin_prefix = f"/{settings.ADMIN_URL}"

        def __call__(self, request):
            if request.path_info.startswith(self.admin_prefix):
                return super().__call__(request)
            return self.get_response(request)

    AdminOnly.__name__ = AdminOnly.__qualname__ = f"AdminOnly{middleware_class.__name__}"
    AdminOnly.__doc__ = f"{middleware_class.__name__}, for admin requests only."
    return AdminOnly


AdminSessionMiddleware = admin_only(SessionMiddleware)
AdminAuthenticationMiddleware = admin_only(AuthenticationMiddleware)
AdminMessageMiddleware = admin_only(MessageMiddleware)


class CorsMiddleware(_CorsMiddleware):
    """django-cors-headers, out of the way while no origin is allowed (the default).

    Then no response varies by origin, and the headers it would add (`Vary: origin`) say
    nothing, so requests skip it.
    """

    def __call__(self, request):
        if not (
            settings.CORS_ALLOWED_ORIGINS
            or getattr(settings, "CORS_ALLOWED_ORIGIN_REGEXES", None)
            or getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False)
        ):
            return self.get_response(request)
        return super().__call__(request)
