"""Domain error base classes, and the one exception handler that turns errors into the contract.

Apps raise typed errors carrying the facts (`InsufficientStock(product_id, requested,
available)`); each states its `detail` body. The handler chooses the HTTP status from the
error's kind, so domain code never speaks HTTP and views never build error dicts.
"""

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5

logger = logging.getLogger("webstore")


class DomainError(Exception):
    """A broken business rule; `detail` is the body the API answers with."""

    @property
    def detail(self) -> Any:
        raise NotImplementedError


class Unauthenticated(DomainError):
    """The caller did not prove who it is (a missing or wrong webhook signature)."""


class ResourceNotFound(DomainError):
    """The named row does not exist (or is archived)."""


class ResourceConflict(DomainError):
    """The request is valid but clashes with the current state (duplicate SKU, no stock)."""


class RuleViolation(DomainError):
    """The request asks for something the domain rules forbid (an invalid status change)."""


class PreconditionFailed(DomainError):
    """The client's precondition (`If-Match`) no longer holds: the resource changed meanwhile."""


class UnprocessableRequest(DomainError):
    """Well-formed, but contradicts an earlier request (an idempotency key reused elsewhere)."""


_STATUS_BY_KIND = (
    (Unauthenticated, status.HTTP_401_UNAUTHORIZED),
    (ResourceNotFound, status.HTTP_404_NOT_FOUND),
    (ResourceConflict, status.HTTP_409_CONFLICT),
    (RuleViolation, status.HTTP_400_BAD_REQUEST),
    (PreconditionFailed, status.HTTP_412_PRECONDITION_FAILED),
    (UnprocessableRequest, status.HTTP_422_UNPROCESSABLE_ENTITY),
)


def domain_error_response(error: DomainError) -> Response:
    """The contract's answer to a domain error: its kind's status and `{"detail": ...}`.

    For a view that answers with an error yet keeps what its request wrote (a payment recorded
    as rejected); raising the error instead also rolls back an ATOMIC_REQUESTS transaction.
    """
    code = next(code for kind, code in _STATUS_BY_KIND if isinstance(error, kind))
    return Response({"detail": error.detail}, status=code)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Maps domain, validation and database-outage errors to `{"detail": ...}` responses."""
    if isinstance(exc, DomainError):
        set_rollback()
        return domain_error_response(exc)
    if isinstance(exc, ValidationError):
        set_rollback()
        return Response({"detail": exc.detail}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable or busy past its timeout: a retryable condition,
        # not a bug, so clients get 503 with a hint instead of a traceback. The request id
        # ties the answer to the logged cause.
        set_rollback()
        logger.warning("database_unavailable", extra={"error": str(exc)})
        return Response(
            {
                "detail": "Service temporarily unavailable",
                "request_id": getattr(context["request"], "request_id", None),
            },
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)
