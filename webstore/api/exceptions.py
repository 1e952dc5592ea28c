"""Domain error base classes, and the one exception handler that turns errors into the contract.

Apps raise typed errors carrying the facts (`InsufficientStock(product_id=1, requested=10,
available=5)`). Each error class states its status and its `detail` body once; the handler
answers with them, and the OpenAPI examples are rendered from instances the same way
(`webstore.api.openapi`), so domain code never speaks HTTP and views never build error dicts.
"""

import logging
from string import Formatter
from typing import Any, ClassVar

from django.db import InterfaceError, OperationalError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from webstore.observability.metrics import DB_CONNECTION_FAILURES

SERVICE_UNAVAILABLE_DETAIL = "Service temporarily unavailable"
SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5

logger = logging.getLogger("webstore")


class DomainError(Exception):
    """A broken business rule; its facts give the body the API answers with, under `status_code`.

    A subclass declares its body once, as one of:
    - `message`, a `str.format` template over the facts: the body is that text;
    - `error`, the name of an error object: the body is `{"error": ..., <the facts in `shown`
      order>, "message": ...}` (the message only if the class has one);
    - its own `detail` property, for bodies of another shape.
    Its facts are the template's fields unless `facts` names them (to carry a fact the body does
    not show). A single fact may be passed positionally (`OrderNotFound(7)`), several by name.
    """

    status_code: ClassVar[int]
    message: ClassVar[str | None] = None
    error: ClassVar[str | None] = None
    facts: ClassVar[tuple[str, ...]] = ()
    shown: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        declared = vars(cls)
        if "facts" not in declared and "message" in declared:
            fields = (field for _, field, _, _ in Formatter().parse(cls.message) if field)
            cls.facts = tuple(dict.fromkeys(fields))
        if "shown" not in declared and "facts" in vars(cls):
            cls.shown = cls.facts
        # Facts become attributes; one named like the class's own would hide it.
        hidden = [fact for fact in cls.facts if hasattr(DomainError, fact)]
        if hidden:
            raise TypeError(f"{cls.__name__}: facts {hidden} hide DomainError attributes")

    def __init__(self, *args: Any, **facts: Any):
        name = type(self).__name__
        if args:
            if len(args) != 1 or len(self.facts) != 1 or facts:
                raise TypeError(f"{name} takes its facts by name: {', '.join(self.facts)}")
            facts = {self.facts[0]: args[0]}
        if facts.keys() != set(self.facts):
            raise TypeError(f"{name} takes the facts {self.facts}, not {tuple(facts)}")
        super().__init__(*(facts[fact] for fact in self.facts))
        self.__dict__.update(facts)

    @property
    def detail(self) -> Any:
        facts = {fact: getattr(self, fact) for fact in self.facts}
        message = None if self.message is None else self.message.format_map(facts)
        if self.error is None:
            return message
        body = {"error": self.error, **{fact: facts[fact] for fact in self.shown}}
        if message is not None:
            body["message"] = message
        return body


class Unauthenticated(DomainError):
    """The caller did not prove who it is (a missing or wrong webhook signature)."""

    status_code = status.HTTP_401_UNAUTHORIZED


class ResourceNotFound(DomainError):
    """The named row does not exist (or is archived)."""

    status_code = status.HTTP_404_NOT_FOUND


class ResourceConflict(DomainError):
    """The request is valid but clashes with the current state (duplicate SKU, no stock)."""

    status_code = status.HTTP_409_CONFLICT


class RuleViolation(DomainError):
    """The request asks for something the domain rules forbid (an invalid status change)."""

    status_code = status.HTTP_400_BAD_REQUEST


class PreconditionFailed(DomainError):
    """The client's precondition (`If-Match`) no longer holds: the resource changed meanwhile."""

    status_code = status.HTTP_412_PRECONDITION_FAILED


class UnprocessableRequest(DomainError):
    """Well-formed, but contradicts an earlier request (an idempotency key reused elsewhere)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY


def error_body(error: DomainError | APIException) -> dict:
    """The body the API answers `error` with: its `detail` under the contract's top-level key."""
    return {"detail": error.detail}


def service_unavailable_body(request_id: str | None) -> dict:
    """The 503 body while the database is out; the request id ties it to the logged cause."""
    return {"detail": SERVICE_UNAVAILABLE_DETAIL, "request_id": request_id}


def domain_error_response(error: DomainError | ValidationError) -> Response:
    """The contract's answer to a domain (or validation) error: its status and its body.

    The exception handler answers raised errors with it; a view calls it to answer with an
    error yet keep what its request wrote (a payment recorded as rejected), which raising the
    error would roll back with an ATOMIC_REQUESTS transaction.
    """
    return Response(error_body(error), status=error.status_code)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Maps domain, validation and database-outage errors to `{"detail": ...}` responses."""
    if isinstance(exc, (DomainError, ValidationError)):
        set_rollback()
        return domain_error_response(exc)
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable or busy past its timeout: a retryable condition,
        # not a bug, so clients get 503 with a hint instead of a traceback.
        set_rollback()
        DB_CONNECTION_FAILURES.labels(source="api").inc()
        logger.warning("database_unavailable", extra={"error": str(exc)})
        return Response(
            service_unavailable_body(getattr(context["request"], "request_id", None)),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)
