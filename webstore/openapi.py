"""Error response schemas and schema rules shared by the apps' OpenAPI descriptions.

The schema is a contract that schemathesis checks against the running service (reliability/):
every response code an operation can really give is documented, and request bodies say what
the serializers really accept.
"""
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

from webstore.exceptions import SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS

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
        example("Too large", {"detail": "Request body too large (limit 1048576 bytes)."}, status_code=413),
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

    target_class = "webstore.serializers.RejectUnknownFieldsMixin"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}


def strip_trailing_slashes(result, generator, request, public):
    """Documents paths as the contract writes them (`/products/{id}`); both forms work."""
    result["paths"] = {path.rstrip("/") or "/": item for path, item in result["paths"].items()}
    return result


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
            }
        },
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/MessageError"},
                "examples": {
                    "Unavailable": {"value": {"detail": "Service temporarily unavailable"}}
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
