"""OpenAPI description of the payment webhook (kept out of the view to keep it short)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers

from payments.serializers import PaymentEventSerializer, PaymentResultSerializer
from webstore.api.openapi import BODY_ERRORS, error_response, example

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
        OpenApiTypes.STR,
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

NotPayableSerializer = inline_serializer(
    "OrderNotPayableError",
    fields={
        "detail": inline_serializer(
            "OrderNotPayableDetail",
            fields={
                "error": serializers.CharField(),
                "order_id": serializers.IntegerField(),
                "current_status": serializers.CharField(),
            },
        )
    },
)
AmountMismatchSerializer = inline_serializer(
    "PaymentAmountMismatchError",
    fields={
        "detail": inline_serializer(
            "PaymentAmountMismatchDetail",
            fields={
                "error": serializers.CharField(),
                "order_id": serializers.IntegerField(),
                "expected": serializers.DecimalField(max_digits=20, decimal_places=2),
                "received": serializers.DecimalField(max_digits=12, decimal_places=2),
                "currency": serializers.CharField(help_text="The currency received."),
            },
        )
    },
)

webhook_schema = extend_schema(
    tags=["webhooks"],
    summary="Receive a payment event",
    description=DESCRIPTION,
    operation_id="webhooks_payment_create",
    parameters=HEADERS,
    request=PaymentEventSerializer,
    examples=[
        example(
            "Payment succeeded",
            {"event": "payment.succeeded", "order_id": 123, "amount": 99.99, "currency": "USD"},
            request=True,
        ),
        example("Payment failed", {"event": "payment.failed", "order_id": 123}, request=True),
    ],
    responses={
        200: OpenApiResponse(
            response=PaymentResultSerializer,
            description="Processed: the order is PAID, or the event type was recorded and ignored.",
            examples=[
                example(
                    "Paid",
                    {
                        "status": "success",
                        "message": "Payment processed successfully",
                        "order_id": 123,
                        "order_status": "PAID",
                    },
                    status_code=200,
                ),
                example(
                    "Ignored",
                    {
                        "status": "ignored",
                        "message": "Event type 'payment.failed' is not handled",
                        "order_id": 123,
                        "order_status": "PENDING",
                    },
                    status_code=200,
                ),
            ],
        ),
        400: error_response(
            "Missing or invalid `X-Event-Id`, an event id already processed, or an invalid body "
            "(not JSON, missing or wrongly typed fields, unknown fields). Nothing is recorded.",
            example("Missing event id", {"detail": "Missing X-Event-Id header"}, status_code=400),
            example(
                "Event already processed",
                {
                    "detail": {
                        "error": "Event already processed",
                        "event_id": "9b2f6c1e-8d0a-4c39-9a57-2f1f0b6f4e11",
                    }
                },
                status_code=400,
            ),
            example(
                "Validation error",
                {"detail": {"amount": ["This field is required."]}},
                status_code=400,
            ),
            example(
                "Malformed JSON",
                {"detail": "JSON parse error - Expecting value: line 1 column 1 (char 0)"},
                status_code=400,
            ),
        ),
        401: error_response(
            "Signature missing or wrong, or the timestamp outside the tolerance. Nothing is "
            "recorded.",
            example("Bad signature", {"detail": "Invalid webhook signature"}, status_code=401),
            message_only=True,
        ),
        404: error_response(
            "No order has this id. Nothing is recorded, so a retry can succeed.",
            example("Order not found", {"detail": "Order with ID 123 not found"}, status_code=404),
            message_only=True,
        ),
        409: OpenApiResponse(
            response=PolymorphicProxySerializer(
                component_name="PaymentRejectedError",
                serializers=[NotPayableSerializer, AmountMismatchSerializer],
                resource_type_field_name=None,
            ),
            description="Recorded for staff review, the event id is consumed, and the order is "
            "untouched: it is not PENDING, or the amount or currency differs from the order.",
            examples=[
                example(
                    "Order not payable",
                    {
                        "detail": {
                            "error": "Order not payable",
                            "order_id": 123,
                            "current_status": "CANCELED",
                        }
                    },
                    status_code=409,
                ),
                example(
                    "Amount mismatch",
                    {
                        "detail": {
                            "error": "Payment amount mismatch",
                            "order_id": 123,
                            "expected": 100.0,
                            "received": 90.0,
                            "currency": "USD",
                        }
                    },
                    status_code=409,
                ),
            ],
        ),
        413: BODY_ERRORS[413],
    },
)
