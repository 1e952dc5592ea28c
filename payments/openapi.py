"""OpenAPI description of the payment webhook (kept out of the view to keep it short)."""

from decimal import Decimal

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from orders.exceptions import OrderNotFound
from orders.models import Order
from payments.exceptions import (
    EventAlreadyProcessed,
    InvalidWebhookSignature,
    MissingEventId,
    OrderNotPayable,
    PaymentAmountMismatch,
)
from payments.models import PAYMENT_SUCCEEDED, Payment
from payments.serializers import (
    EVENT_ID_PATTERN,
    PaymentEventSerializer,
    PaymentResultSerializer,
    webhook_body_parse,
)
from webstore.api.openapi import (
    TOO_LARGE,
    ErrorExample,
    RejectUnknownFieldsExtension,
    error_response,
    raised_by,
    request_example,
    validation_error,
)

DESCRIPTION = """
Called by the payment provider. A `payment.succeeded` event for a PENDING order whose
`total_price` and the store currency match moves the order to PAID (the same transition as
`PUT /orders/{id}`). Other event types are recorded and ignored.

**Signature.** `X-Webhook-Signature` is the hex HMAC-SHA256 of the raw request body with the
shared secret (`WEBHOOK_SECRET`; several comma-separated secrets are accepted during a
rotation), optionally prefixed `sha256=`:

    signature = hmac.new(secret, raw_body, sha256).hexdigest()

**Timestamped scheme (opt-in).** When the request carries `X-Webhook-Timestamp` (Unix seconds),
the signature must cover `"{timestamp}.{raw body}"`, and a timestamp more than
`WEBHOOK_TOLERANCE_SECONDS` (default 300) away from the server clock is refused with 401.

**Exactly once.** `X-Event-Id` is consumed when the event is recorded (answers 200 and 409) and
refused forever after, by every process. Failures before that (400, 401, 404) record nothing,
so the provider's retry can succeed.
"""

HEADERS = [
    OpenApiParameter(
        "X-Webhook-Signature",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=True,
        description="Hex HMAC-SHA256 of the raw body (or of `{timestamp}.{body}`), optional "
        "`sha256=` prefix.",
    ),
    OpenApiParameter(
        "X-Event-Id",
        {"type": "string", "pattern": f"^{EVENT_ID_PATTERN.pattern}$"},
        OpenApiParameter.HEADER,
        required=True,
        description="The provider's unique event id (1–255 visible ASCII characters, no commas: a "
        "repeated header is refused); each id "
        "is processed at most once.",
    ),
    OpenApiParameter(
        "X-Webhook-Timestamp",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        required=False,
        description="Unix seconds. Opts into the timestamped scheme: the signature then covers "
        "`{timestamp}.{body}` and must be recent.",
    ),
]


class PaymentEventRequestExtension(OpenApiSerializerExtension):
    """The webhook body's rule across fields (PaymentEventSerializer.validate), in the schema:
    `amount` is required when `event` is `payment.succeeded`."""

    target_class = "payments.serializers.PaymentEventSerializer"
    priority = 1  # over RejectUnknownFieldsExtension, whose mapping this extends

    def map_serializer(self, auto_schema, direction):
        schema = RejectUnknownFieldsExtension(self.target).map_serializer(auto_schema, direction)
        if direction == "request":
            schema["anyOf"] = [
                {"properties": {"event": {"not": {"enum": [PAYMENT_SUCCEEDED]}}}},
                {"required": ["amount"]},
            ]
        return schema


def _result_example(name: str, outcome: str, event_type: str, order_status: str):
    """A 200 answer as the view serializes it, for an event about order 123."""
    payment = Payment(
        outcome=outcome, event_type=event_type, order=Order(pk=123, status=order_status)
    )
    return OpenApiExample(
        name,
        value=dict(PaymentResultSerializer(payment).data),
        response_only=True,
        status_codes=["200"],
    )


webhook_schema = extend_schema(
    tags=["webhooks"],
    summary="Receive a payment event",
    description=DESCRIPTION,
    operation_id="webhooks_payment_create",
    parameters=HEADERS,
    request=PaymentEventSerializer,
    examples=[
        request_example(
            "Payment succeeded",
            {"event": PAYMENT_SUCCEEDED, "order_id": 123, "amount": 99.99, "currency": "USD"},
        ),
        request_example("Payment failed", {"event": "payment.failed", "order_id": 123}),
    ],
    responses={
        200: OpenApiResponse(
            response=PaymentResultSerializer,
            description="Processed: the order is PAID, or the event type was recorded and ignored.",
            examples=[
                _result_example("Paid", Payment.Outcome.SUCCEEDED, PAYMENT_SUCCEEDED, "PAID"),
                _result_example("Ignored", Payment.Outcome.IGNORED, "payment.failed", "PENDING"),
            ],
        ),
        **error_response(
            "Missing or invalid `X-Event-Id`, an event id already processed, or an invalid body "
            "(not JSON, missing or wrongly typed fields, unknown fields). Nothing is recorded.",
            ErrorExample(MissingEventId(), "Missing event id"),
            ErrorExample(EventAlreadyProcessed("9b2f6c1e-8d0a-4c39-9a57-2f1f0b6f4e11")),
            ErrorExample(
                validation_error(
                    PaymentEventSerializer(data={"event": PAYMENT_SUCCEEDED, "order_id": 123})
                ),
                "Validation error",
            ),
            ErrorExample(raised_by(webhook_body_parse, b"not json"), "Malformed JSON"),
        ),
        **error_response(
            "Signature missing or wrong, or the timestamp outside the tolerance. Nothing is "
            "recorded.",
            ErrorExample(InvalidWebhookSignature("missing"), "Bad signature"),
        ),
        **error_response(
            "No order has this id. Nothing is recorded, so a retry can succeed.",
            ErrorExample(OrderNotFound(123), "Order not found"),
        ),
        **error_response(
            "Recorded for staff review, the event id is consumed, and the order is untouched: it "
            "is not PENDING, or the amount or currency differs from the order.",
            ErrorExample(OrderNotPayable(order_id=123, current_status="CANCELED")),
            ErrorExample(
                PaymentAmountMismatch(
                    order_id=123,
                    expected=Decimal("100.00"),
                    received=Decimal("90.00"),
                    currency="USD",
                ),
                "Amount mismatch",
            ),
        ),
        **TOO_LARGE,
    },
)
