"""Per-request observability: the request id, the access log line and the request metrics."""

import logging
import os
import re
import time

from django.conf import settings
from structlog.contextvars import bind_contextvars, reset_contextvars

from webstore.observability.metrics import HTTP_REQUEST_DURATION, HTTP_REQUESTS

access_logger = logging.getLogger("webstore.access")

# A caller's id is kept only if it is short and plain, so it cannot forge log lines or headers.
REQUEST_ID_PATTERN = r"^[A-Za-z0-9._:@+=-]{1,128}$"
_VALID_REQUEST_ID = re.compile(REQUEST_ID_PATTERN, re.ASCII)
# Any other method string becomes "OTHER", so clients cannot mint metric series.
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestLogMiddleware:
    """Gives each request an id, answers it in `X-Request-ID`, logs one line and counts it.

    The id is the caller's `X-Request-ID` when it is well-formed, a new random one otherwise; it is
    bound to the logging context, so every line logged while serving the request carries it.
    Placed first, so the duration covers the whole stack and every response gets the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.access_log = settings.ACCESS_LOG

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        # 128 random bits as 32 hex digits (uuid4().hex's format), without building a UUID.
        request_id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else os.urandom(16).hex()
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
