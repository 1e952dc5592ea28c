"""The API-key answers, each text written once (the OpenAPI examples are instances of these)."""

from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, PermissionDenied


class ApiKeyRequired(NotAuthenticated):
    default_detail = (
        "An API key is required for writes: send 'Authorization: Bearer <key>' or "
        "'X-API-Key: <key>'."
    )


class InvalidApiKey(AuthenticationFailed):
    default_detail = "Invalid API key."


class MalformedAuthorization(AuthenticationFailed):
    default_detail = "Invalid Authorization header: use 'Bearer <key>'."


class RevokedApiKey(PermissionDenied):
    default_detail = "API key has been revoked."
