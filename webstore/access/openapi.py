"""How the API keys and rate limits show in the OpenAPI schema: the security schemes, and the
answers to a missing, unknown or revoked key and to a spent budget, as instances of the errors
the API raises."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.exceptions import Throttled
from rest_framework.permissions import SAFE_METHODS

from webstore.access.exceptions import ApiKeyRequired, InvalidApiKey, RevokedApiKey
from webstore.api.openapi import ErrorExample, error_response

UNKNOWN_KEY_EXAMPLE = ErrorExample(InvalidApiKey(), "Unknown key")
REVOKED_KEY_EXAMPLE = ErrorExample(RevokedApiKey(), "Revoked key")
THROTTLED = error_response(
    "Rate limit exceeded for this API key (or client IP); `Retry-After` says when to retry.",
    ErrorExample(Throttled(wait=42), "Throttled"),
)

WRITE_ERRORS = {
    **error_response(
        "No API key, or an unknown one (when the service requires keys for writes).",
        ErrorExample(ApiKeyRequired(), "Missing key"),
        UNKNOWN_KEY_EXAMPLE,
    ),
    **error_response("The API key was revoked.", REVOKED_KEY_EXAMPLE),
    **THROTTLED,
}
# Reads need no key, but a key that is sent must be valid (when keys are required).
READ_ERRORS = {
    **error_response(
        "An unknown API key was sent (reads need none, but a key sent is checked).",
        UNKNOWN_KEY_EXAMPLE,
    ),
    **error_response("A revoked API key was sent.", REVOKED_KEY_EXAMPLE),
    **THROTTLED,
}


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the API key: either header works; reads need none."""

    target_class = "webstore.access.authentication.ApiKeyAuthentication"
    name = ["BearerApiKey", "HeaderApiKey"]

    def get_security_requirement(self, auto_schema):
        if auto_schema.method in SAFE_METHODS:
            return None
        return [{"BearerApiKey": []}, {"HeaderApiKey": []}]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <key>`"},
            {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        ]
