"""Per-request middleware: observability (request id, access log, metrics), body guards, and
the browser-only middleware kept off API requests."""
import logging
import re
import time
import uuid

from corsheaders.middleware import CorsMiddleware as _CorsMiddleware
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import JsonResponse
from structlog.contextvars import bind_contextvars, reset_contextvars

from webstore.metrics import HTTP_REQUEST_DURATION, HTTP_REQUESTS

access_logger = logging.getLogger("webstore.access")

# A caller's id is kept only if it is short and plain, so it cannot forge log lines or headers.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@+=-]{1,128}", re.ASCII)
# Any other method string becomes "OTHER", so clients cannot mint metric series.
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestLogMiddleware:
    """Gives each request an id, answers it in `X-Request-ID`, logs one line and counts it.

    The id is the caller's `X-Request-ID` when it is well-formed, a new UUID otherwise; it is
    bound to the logging context, so every line logged while serving the request carries it.
    Placed first, so the duration covers the whole stack and every response gets the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.access_log = settings.ACCESS_LOG

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        tokens = bind_contextvars(request_id=request_id)
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            method = request.method if request.method in _KNOWN_METHODS else "OTHER"
            match = request.resolver_match
            route = match.view_name if match else "unmatched"
            HTTP_REQUESTS.labels(method, route, str(response.status_code)).inc()
            HTTP_REQUEST_DURATION.labels(method, route).observe(duration)
            if self.access_log:
                self._log(request, response, duration)
            return response
        finally:
            reset_contextvars(**tokens)

    @staticmethod
    def _log(request, response, duration: float) -> None:
        # DRF stores the authenticated credential on the Django request too (`request.auth`);
        # an API key object carries a `name`.
        api_key = getattr(getattr(request, "auth", None), "name", None) or "-"
        access_logger.log(
            logging.ERROR if response.status_code >= 500 else logging.INFO,
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 2),
                "api_key": api_key,
            },
        )

LENGTH_REQUIRED_DETAIL = (
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
            return JsonResponse(
                {"detail": LENGTH_REQUIRED_DETAIL},
                status=411,
            )
        return self.get_response(request)


def admin_only(middleware_class):
    """`middleware_class`, applied to requests for the admin only.

    Sessions, the logged-in user and flash messages serve the staff admin, a browser app. The
    API is stateless (API keys, no cookies), so its requests skip them: about 100 of the 2,000
    Python calls of a product read (`python -m bench.profile`).
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
    nothing; skipping it spares about 100 Python calls per request.
    """

    def __call__(self, request):
        if not (
            settings.CORS_ALLOWED_ORIGINS
            or getattr(settings, "CORS_ALLOWED_ORIGIN_REGEXES", None)
            or getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False)
        ):
            return self.get_response(request)
        return super().__call__(request)
