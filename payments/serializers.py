"""Webhook request validation (the X-Event-Id header, the raw JSON body) and response shape."""

import json
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ParseError

from payments.exceptions import InvalidEventId, MissingEventId
from payments.models import PAYMENT_SUCCEEDED, Payment
from webstore.api.fields import (
    MAX_ID,
    RejectUnknownFieldsMixin,
    StrictCharField,
    StrictIntegerField,
)

# Visible ASCII only: an id is stored, logged and shown to staff, so no control characters,
# no whitespace, no unbounded length.
# Visible ASCII except the comma: a repeated X-Event-Id header reaches WSGI joined by commas
# ("evt-1,evt-2"), which must be refused as ambiguous, not consumed as a third, new id.
EVENT_ID_PATTERN = re.compile(r"[\x21-\x2b\x2d-\x7e]{1,255}")


def event_id_parse(value: str | None) -> str:
    """Returns the X-Event-Id header value; raises MissingEventId or InvalidEventId."""
    if value is None or not value.strip():
        raise MissingEventId()
    if not EVENT_ID_PATTERN.fullmatch(value):
        raise InvalidEventId(value[:80])
    return value


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def webhook_body_parse(raw: bytes) -> Any:
    """Decodes the signed body as UTF-8 JSON; numbers with a fraction or exponent become Decimals.

    Amounts therefore never pass through a float (100.10 stays exactly 100.10). Raises
    ParseError (400) for anything that is not strict JSON: invalid UTF-8, NaN, runaway nesting.
    """
    try:
        return json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"JSON parse error - {exc}") from exc


class PaymentEventSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The body of POST /webhooks/payment."""

    event = StrictCharField(
        max_length=100, help_text="Event type; only `payment.succeeded` changes an order."
    )
    order_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text="Required for `payment.succeeded`; must equal the order's `total_price`. "
        "A JSON number or numeric string, at most 2 decimal places.",
    )
    currency = StrictCharField(
        required=False,
        validators=[
            RegexValidator(r"^[A-Za-z]{3}\Z", message="Enter a 3-letter ISO 4217 currency code.")
        ],
        help_text="ISO 4217 code, case-insensitive; defaults to the store currency (`USD`).",
    )

    def validate_currency(self, value: str) -> str:
        return value.upper()

    def validate(self, attrs: dict) -> dict:
        if attrs["event"] == PAYMENT_SUCCEEDED and "amount" not in attrs:
            raise serializers.ValidationError({"amount": ["This field is required."]})
        attrs.setdefault("amount", None)
        attrs.setdefault("currency", settings.STORE_CURRENCY)
        return attrs


class PaymentResultSerializer(serializers.Serializer):
    """The 200 answer: the event paid the order, or was recorded and ignored."""

    status = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    order_id = serializers.IntegerField()
    order_status = serializers.CharField(source="order.status", help_text="The order's status now.")

    @extend_schema_field(serializers.ChoiceField(choices=["success", "ignored"]))
    def get_status(self, payment: Payment) -> str:
        return "success" if payment.outcome == Payment.Outcome.SUCCEEDED else "ignored"

    def get_message(self, payment: Payment) -> str:
        if payment.outcome == Payment.Outcome.SUCCEEDED:
            return "Payment processed successfully"
        return f"Event type '{payment.event_type}' is not handled"
