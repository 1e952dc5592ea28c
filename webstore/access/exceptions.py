"""The API-key answers, each text written once (the OpenAPI examples are instances of these)."""

from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, PermissionDenied


class ApiKeyRequired(NotAuthenticated):
    """A write without a key while REQUIRE_API_KEY is on."""

    default_detail = (
        "An API key is required for writes: send 'Authorization: Bearer <key>' or "
        "'X-API-Key: <key>'."
    )


class InvalidApiKey(AuthenticationFailed):
    """A key no ApiKey row has (or one that is not text)."""

    default_detail = "Invalid API key."


class MalformedAuthorization(AuthenticationFailed):
    """`Authorization: Bearer` followed by anything but one key."""

    default_detail = "Invalid Authorization header: use 'Bearer <key>'."


class RevokedApiKey(PermissionDenied):
    """A key staff revoked: known, but no longer allowed anything."""

    default_detail = "API key has been revoked."
