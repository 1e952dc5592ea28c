"""Error response schemas and schema rules shared by the apps' OpenAPI descriptions.

The schema is a contract that schemathesis checks against the running service (reliability/):
every response code an operation can really give is documented, and request bodies say what
the serializers really accept.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from webstore.api.exceptions import SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS

ErrorSerializer = inline_serializer(
    "Error",
    fields={
        "detail": serializers.JSONField(
            help_text="A message, or an object with the facts of the error "
            "(for validation errors: field name → list of messages)."
        )
    },
)

MessageErrorSerializer = inline_serializer(
    "MessageError", fields={"detail": serializers.CharField(help_text="What went wrong.")}
)


def error_response(description: str, *examples: OpenApiExample, message_only=False):
    """A documented error response whose body is `{"detail": ...}`."""
    return OpenApiResponse(
        response=MessageErrorSerializer if message_only else ErrorSerializer,
        description=description,
        examples=list(examples),
    )


def example(name: str, value, *, status_code: int | None = None, request=False) -> OpenApiExample:
    return OpenApiExample(
        name,
        value=value,
        request_only=request,
        response_only=not request,
        status_codes=[str(status_code)] if status_code else None,
    )


VALIDATION_EXAMPLE = example(
    "Validation error",
    {"detail": {"price": ["Ensure that there are no more than 2 decimal places."]}},
    status_code=400,
)
UNKNOWN_FIELD_EXAMPLE = example(
    "Unknown field", {"detail": {"color": ["Unknown field."]}}, status_code=400
)
MALFORMED_JSON_EXAMPLE = example(
    "Malformed JSON",
    {"detail": "JSON parse error - unexpected character: line 1 column 2 (char 1)"},
    status_code=400,
)

BODY_ERRORS = {
    400: error_response(
        "Invalid body: malformed JSON, wrong types, out-of-range values, unknown or read-only "
        "fields.",
        VALIDATION_EXAMPLE,
        UNKNOWN_FIELD_EXAMPLE,
        MALFORMED_JSON_EXAMPLE,
    ),
    413: error_response(
        "Body larger than the configured limit.",
        example(
            "Too large",
            {"detail": "Request body too large (limit 1048576 bytes)."},
            status_code=413,
        ),
        message_only=True,
    ),
    415: error_response(
        "Body is not `application/json`.",
        example(
            "Wrong content type",
            {"detail": 'Unsupported media type "text/plain" in request.'},
            status_code=415,
        ),
        message_only=True,
    ),
}

QUERY_ERRORS = {
    400: error_response(
        "Invalid query parameter; `detail` names it.",
        example(
            "Bad limit",
            {"detail": {"limit": ["Ensure this value is less than or equal to 1000."]}},
            status_code=400,
        ),
    ),
}


class RejectUnknownFieldsExtension(OpenApiSerializerExtension):
    """Bodies of `RejectUnknownFieldsMixin` serializers declare `additionalProperties: false`.

    Those serializers answer 400 for any key they do not know, so the schema must not promise
    that extra keys are allowed (OpenAPI's default).
    """

    target_class = "webstore.api.fields.RejectUnknownFieldsMixin"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}


def strip_trailing_slashes(result, generator, request, public):
    """Documents paths as the contract writes them (`/products/{id}`); both forms work."""
    result["paths"] = {path.rstrip("/") or "/": item for path, item in result["paths"].items()}
    return result


# --- API keys, rate limits, idempotency, pagination, ETags ------------------------------------
WRITE_ERRORS = {
    401: error_response(
        "No API key, or an unknown one (when the service requires keys for writes).",
        example(
            "Missing key",
            {
                "detail": "An API key is required for writes: send 'Authorization: Bearer <key>' "
                "or 'X-API-Key: <key>'."
            },
            status_code=401,
        ),
        example("Unknown key", {"detail": "Invalid API key."}, status_code=401),
        message_only=True,
    ),
    403: error_response(
        "The API key was revoked.",
        example("Revoked key", {"detail": "API key has been revoked."}, status_code=403),
        message_only=True,
    ),
    429: error_response(
        "Rate limit exceeded for this API key (or client IP); `Retry-After` says when to retry.",
        example(
            "Throttled",
            {"detail": "Request was throttled. Expected available in 42 seconds."},
            status_code=429,
        ),
        message_only=True,
    ),
}
# Reads need no key, but a key that is sent must be valid (when keys are required).
READ_ERRORS = {
    401: error_response(
        "An unknown API key was sent (reads need none, but a key sent is checked).",
        example("Unknown key", {"detail": "Invalid API key."}, status_code=401),
        message_only=True,
    ),
    403: error_response(
        "A revoked API key was sent.",
        example("Revoked key", {"detail": "API key has been revoked."}, status_code=403),
        message_only=True,
    ),
    429: WRITE_ERRORS[429],
}

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Makes retries safe: the first response to this key (status and body, errors "
    "included) is stored for 24 h and replayed, with `Idempotent-Replayed: true`, for the same "
    "body. The same key with another body → 422; while the first request runs → 409. "
    "1-255 printable ASCII characters; scoped to your API key and this endpoint.",
)
IDEMPOTENCY_IN_FLIGHT_EXAMPLE = example(
    "Idempotency key in flight",
    {"detail": "A request with this Idempotency-Key is still being processed; retry later."},
    status_code=409,
)
IDEMPOTENCY_ERRORS = {
    422: error_response(
        "The Idempotency-Key was already used with a different body.",
        example(
            "Key reused",
            {"detail": "This Idempotency-Key was already used with a different request body."},
            status_code=422,
        ),
        message_only=True,
    ),
}
LINK_HEADER = OpenApiParameter(
    "Link",
    str,
    OpenApiParameter.HEADER,
    response=[200],
    description='Present when more rows follow: `<url>; rel="next"`, the same query with an '
    "opaque `cursor` that continues after this page (keyset pagination: page N costs what "
    "page 1 costs). The body stays a bare JSON array.",
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200],
    description="Strong entity tag of the product as returned; send it back in `If-Match`.",
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="Optional ETag(s) from a previous read (or `*`): the update happens only if the "
    "product is unchanged since, else 412.",
)


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


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def document_service_unavailable(result, generator, request, public):
    """Adds the answers every operation can give whatever its view: 503 and, with a body, 411.

    503 comes from the exception handler while the database is unreachable, 411 from
    `RequireContentLengthMiddleware`; both are documented here once for every operation rather
    than repeated in each app's description.
    """
    response = {
        "description": "The database is unreachable; retry after `Retry-After` seconds "
        f"({SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS}).",
        "headers": {
            "Retry-After": {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before retrying.",
            },
            "X-Request-ID": {
                "schema": {"type": "string"},
                "description": "This request's id, also in the body's `request_id`.",
            },
        },
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/ServiceUnavailable"},
                "examples": {
                    "Unavailable": {
                        "value": {
                            "detail": "Service temporarily unavailable",
                            "request_id": "3f2b9c1e8a7d4e6f9b0c1d2e3f4a5b6c",
                        }
                    }
                },
            }
        },
    }
    for item in result["paths"].values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                operation["responses"].setdefault("503", response)
                if "requestBody" in operation:
                    operation["responses"].setdefault("411", LENGTH_REQUIRED)
    result["components"]["schemas"].setdefault("MessageError", _MESSAGE_ERROR_SCHEMA)
    result["components"]["schemas"]["ServiceUnavailable"] = _SERVICE_UNAVAILABLE_SCHEMA
    return result


LENGTH_REQUIRED = {
    "description": "The body was sent chunked, without `Content-Length`.",
    "content": {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/MessageError"},
            "examples": {
                "Chunked body": {
                    "value": {
                        "detail": "Send the request body with a Content-Length header "
                        "(chunked bodies are not supported)."
                    }
                }
            },
        }
    },
}
_MESSAGE_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong."}},
    "required": ["detail"],
}
_SERVICE_UNAVAILABLE_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong."},
        "request_id": {
            "type": "string",
            "description": "This request's id (the `X-Request-ID` response header), to quote "
            "when reporting the problem.",
        },
    },
    "required": ["detail", "request_id"],
}
