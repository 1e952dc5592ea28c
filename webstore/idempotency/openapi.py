"""How `Idempotency-Key` shows in the OpenAPI schema: the header, and its 409 and 422 answers
as instances of the protocol's errors."""

from drf_spectacular.utils import OpenApiParameter

from webstore.api.openapi import ErrorExample, error_response
from webstore.idempotency.decorators import HEADER, KEY_SCHEMA
from webstore.idempotency.exceptions import IdempotencyKeyInFlight, IdempotencyKeyReused

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    KEY_SCHEMA,
    OpenApiParameter.HEADER,
    description="Makes retries safe: the first response to this key (status and body, errors "
    "included) is stored for 24 h and replayed, with `Idempotent-Replayed: true`, for the same "
    "body. The same key with another body → 422; while the first request runs → 409. "
    "1-255 printable ASCII characters; scoped to your API key and this endpoint.",
)
# The 409 every keyed create can answer, beside its own conflicts.
IDEMPOTENCY_IN_FLIGHT_EXAMPLE = ErrorExample(IdempotencyKeyInFlight(), "Idempotency key in flight")
IDEMPOTENCY_ERRORS = error_response(
    "The Idempotency-Key was already used with a different body.",
    ErrorExample(IdempotencyKeyReused(), "Key reused"),
)
