"""Errors of the `Idempotency-Key` protocol."""

from webstore.api.exceptions import ResourceConflict, UnprocessableRequest


class IdempotencyKeyInFlight(ResourceConflict):
    """Another request with the same Idempotency-Key has not finished yet."""

    message = "A request with this Idempotency-Key is still being processed; retry later."


class IdempotencyKeyReused(UnprocessableRequest):
    """The Idempotency-Key was first used with a different request body."""

    message = "This Idempotency-Key was already used with a different request body."
