"""Request-level guards that run before any view."""
from django.http import JsonResponse

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
