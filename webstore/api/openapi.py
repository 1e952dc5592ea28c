"""Error responses derived from the errors themselves, and schema rules shared by the apps.

An error example is an instance (`ErrorExample(ProductNotFound(999), "Not found")`), rendered
as the exception handler answers it; `error_response` takes its status and body schema from
the examples. So no error body is typed here or in an app's `openapi.py`.

The schema is a contract that schemathesis checks against the running service (reliability/):
every response code an operation can really give is documented, and request bodies say what
the serializers really accept.
"""

import io
import json
from collections.abc import Callable
from decimal import Decimal
from functools import cache

from django.core.validators import RegexValidator
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import force_instance, is_list_serializer
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, UnsupportedMediaType, ValidationError

from webstore.api.exceptions import (
    SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS,
    DomainError,
    error_body,
    service_unavailable_body,
)
from webstore.api.fields import NO_NUL_PATTERN, NOT_BLANK_PATTERN, UNKNOWN_FIELD
from webstore.api.middleware import LengthRequired
from webstore.api.pagination import MAX_LIMIT, page_params
from webstore.api.parsers import JSONParser, RequestTooLarge
from webstore.api.renderers import JSONRenderer
from webstore.observability.middleware import REQUEST_ID_PATTERN

WHAT_WENT_WRONG = "What went wrong."

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
    "MessageError", fields={"detail": serializers.CharField(help_text=WHAT_WENT_WRONG)}
)


def raised_by(call: Callable, *args, **kwargs) -> APIException:
    """The error `call(*args, **kwargs)` raises, to document a real answer rather than a copy."""
    try:
        call(*args, **kwargs)
    except APIException as error:
        return error
    raise ValueError(f"{call} raised no API error for {args} {kwargs}")


def validation_error(serializer: serializers.BaseSerializer) -> ValidationError:
    """The 400 `serializer`, built with bad data, answers."""
    return raised_by(serializer.is_valid, raise_exception=True)


def request_example(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


class ErrorExample(OpenApiExample):
    """A documented error answer: `error` (a DomainError or DRF error) as the handler renders it.

    Named `name`, or by default by the error object's own name (`"Insufficient stock"`).
    """

    def __init__(self, error: DomainError | APIException, name: str | None = None):
        name = name or getattr(error, "error", None)
        if not isinstance(name, str):
            raise TypeError(f"name the example of {error!r}")
        body = json.loads(JSONRenderer().render(error_body(error)))
        super().__init__(
            name, value=body, response_only=True, status_codes=[str(error.status_code)]
        )
        self.error = error


def error_response(description: str, *examples: ErrorExample) -> dict[int, OpenApiResponse]:
    """One documented error answer, keyed by the status its examples share, for `responses`.

    The body's schema is the one its examples' details share: a message, one error object (its
    fields typed from the example), a choice of those, or else any JSON (`Error`).
    """
    codes = {example.error.status_code for example in examples}
    if len(codes) != 1:
        raise ValueError(f"{description!r}: the examples answer {codes or 'no'} status codes")
    return {
        codes.pop(): OpenApiResponse(
            response=_body_schema(examples), description=description, examples=list(examples)
        )
    }


def _body_schema(examples: tuple[ErrorExample, ...]):
    shapes = []
    for example in examples:
        shape = _detail_shape(example)
        if shape is None:
            return ErrorSerializer
        if shape not in shapes:
            shapes.append(shape)
    if len(shapes) == 1:
        return shapes[0]
    kinds = [type(example.error) for example in examples]
    kind = next(base for base in kinds[0].__mro__ if all(issubclass(k, base) for k in kinds))
    if not issubclass(kind, DomainError):
        return ErrorSerializer
    return _choice_serializer(f"{kind.__name__}Error", tuple(shapes))


def _detail_shape(example: ErrorExample):
    """A message, or an error object of fixed fields; None for free shapes (validation, bulk)."""
    detail = example.value["detail"]
    if isinstance(detail, str):
        return MessageErrorSerializer
    if isinstance(example.error, DomainError) and example.error.error is not None:
        fields = tuple((name, type(value)) for name, value in detail.items())
        return _error_object_serializer(type(example.error).__name__, fields)
    return None


_FIELD_BY_JSON_TYPE = {
    bool: serializers.BooleanField,
    int: serializers.IntegerField,
    float: serializers.FloatField,
    str: serializers.CharField,
}


@cache
def _error_object_serializer(name: str, fields: tuple[tuple[str, type], ...]):
    # Cached: spectacular names a component by its serializer; one name, one class.
    detail = inline_serializer(
        f"{name}Detail",
        fields={
            field: _FIELD_BY_JSON_TYPE.get(kind, serializers.JSONField)() for field, kind in fields
        },
    )
    return inline_serializer(f"{name}Error", fields={"detail": detail})


@cache
def _choice_serializer(name: str, shapes: tuple):
    return PolymorphicProxySerializer(
        component_name=name, serializers=list(shapes), resource_type_field_name=None
    )


# --- Request bodies and query parameters ------------------------------------------------------
INVALID_BODY = (
    "Invalid body: malformed JSON, wrong types, out-of-range values, unknown or read-only fields."
)
UNKNOWN_FIELD_EXAMPLE = ErrorExample(ValidationError({"color": [UNKNOWN_FIELD]}), "Unknown field")
MALFORMED_JSON_EXAMPLE = ErrorExample(
    raised_by(JSONParser().parse, io.BytesIO(b"{x")), "Malformed JSON"
)
TOO_LARGE = error_response(
    "Body larger than the configured limit.", ErrorExample(RequestTooLarge(), "Too large")
)
BODY_LIMITS = {
    **TOO_LARGE,
    **error_response(
        "Body is not `application/json`.",
        ErrorExample(UnsupportedMediaType("text/plain"), "Wrong content type"),
    ),
}


def body_errors(
    *examples: ErrorExample, description: str = INVALID_BODY
) -> dict[int, OpenApiResponse]:
    """The answers to a bad JSON body: 400 with `examples` plus the unknown-field and
    malformed-JSON ones every body shares, 413 and 415."""
    return {
        **error_response(description, *examples, UNKNOWN_FIELD_EXAMPLE, MALFORMED_JSON_EXAMPLE),
        **BODY_LIMITS,
    }


QUERY_ERRORS = error_response(
    "Invalid query parameter; `detail` names it.",
    ErrorExample(raised_by(page_params, {"limit": str(MAX_LIMIT + 1)}), "Bad limit"),
)


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


class RequestCharFieldExtension(OpenApiSerializerFieldExtension):
    """Request strings carry a `pattern` for what CharField refuses beyond its lengths.

    No NUL character, and, unless blanks are allowed, a character that is not whitespace
    (whitespace is trimmed first, so "  " is blank). A field's own RegexValidator is its pattern.
    """

    target_class = "rest_framework.fields.CharField"
    match_subclasses = True
    priority = -1  # a field's own extension knows better

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        own_pattern = any(isinstance(v, RegexValidator) for v in self.target.validators)
        if direction == "request" and not own_pattern:
            blank_refused = not self.target.allow_blank and self.target.trim_whitespace
            schema["pattern"] = NOT_BLANK_PATTERN if blank_refused else NO_NUL_PATTERN
        return schema


class RequestDecimalFieldExtension(OpenApiSerializerFieldExtension):
    """Request decimals carry `multipleOf` for their decimal places: more places are a 400,
    never rounded (`19.999` is refused)."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True
    priority = -1  # a field's own extension knows better (PriceFieldExtension)

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request" and self.target.decimal_places is not None:
            schema["multipleOf"] = float(Decimal(1).scaleb(-self.target.decimal_places))
        return schema


def strip_trailing_slashes(result, generator, request, public):
    """Documents paths as the contract writes them (`/products/{id}`); both forms work."""
    result["paths"] = {path.rstrip("/") or "/": item for path, item in result["paths"].items()}
    return result


# --- Pagination, ETags ------------------------------------------------------------------------
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


# --- What every operation can answer ----------------------------------------------------------
SERVICE_UNAVAILABLE = {
    status.HTTP_503_SERVICE_UNAVAILABLE: OpenApiResponse(
        response=inline_serializer(
            "ServiceUnavailable",
            fields={
                "detail": serializers.CharField(help_text=WHAT_WENT_WRONG),
                "request_id": serializers.RegexField(
                    REQUEST_ID_PATTERN,
                    help_text="This request's id (the `X-Request-ID` response header), to quote "
                    "when reporting the problem.",
                ),
            },
        ),
        description="The database is unreachable; retry after `Retry-After` seconds "
        f"({SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS}).",
        examples=[
            OpenApiExample(
                "Unavailable",
                value=service_unavailable_body("3f2b9c1e8a7d4e6f9b0c1d2e3f4a5b6c"),
                response_only=True,
                status_codes=[str(status.HTTP_503_SERVICE_UNAVAILABLE)],
            )
        ],
    )
}
SERVICE_UNAVAILABLE_HEADERS = [
    OpenApiParameter(
        "Retry-After",
        int,
        OpenApiParameter.HEADER,
        response=list(SERVICE_UNAVAILABLE),
        description="Seconds to wait before retrying.",
    ),
    OpenApiParameter(
        "X-Request-ID",
        str,
        OpenApiParameter.HEADER,
        pattern=REQUEST_ID_PATTERN,
        response=list(SERVICE_UNAVAILABLE),
        description="This request's id, also in the body's `request_id`.",
    ),
]
LENGTH_REQUIRED = error_response(
    "The body was sent chunked, without `Content-Length`.",
    ErrorExample(LengthRequired(), "Chunked body"),
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, plus the answers every operation can give whatever its view, and list
    bodies bounded as their serializers bound them.

    503 comes from the exception handler while the database is unreachable, 411 from
    `RequireContentLengthMiddleware` to a body without a length; both are documented here once
    rather than in each app's description. A ListSerializer's `allow_empty=False`, `min_length`
    and `max_length` become the array's `minItems` and `maxItems` (drf-spectacular leaves them
    out), and a body of several forms is required when each form is, so the schema admits no
    body the service refuses.
    """

    def _get_request_for_media_type(self, serializer, direction="request"):
        schema, required = super()._get_request_for_media_type(serializer, direction)
        if isinstance(serializer, PolymorphicProxySerializer):
            # drf-spectacular finds no `required` in a oneOf: the body is required when every
            # one of its forms requires a field.
            required = all(
                any(field.required for field in force_instance(form).fields.values())
                for form in serializer.serializers
            )
        return schema, required

    def _unwrap_list_serializer(self, serializer, direction):
        schema = super()._unwrap_list_serializer(serializer, direction)
        if schema and is_list_serializer(serializer):
            min_items = max(serializer.min_length or 0, 0 if serializer.allow_empty else 1)
            if min_items:
                schema["minItems"] = min_items
            if serializer.max_length is not None:
                schema["maxItems"] = serializer.max_length
        return schema

    def _get_response_bodies(self, direction="response"):
        # The hook where responses are built: `extend_schema` replaces the public
        # `get_response_serializers` of the views it decorates, so these would be lost there.
        responses = super()._get_response_bodies(direction)
        common = {**SERVICE_UNAVAILABLE}
        if self.method in ("POST", "PUT", "PATCH"):
            common |= LENGTH_REQUIRED
        for code, response in common.items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    response, str(code), direction=direction
                )
        return responses

    def get_override_parameters(self):
        return [*super().get_override_parameters(), *SERVICE_UNAVAILABLE_HEADERS]
