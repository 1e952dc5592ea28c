"""The demo's rejected payment `manage.py seed_demo` records (see orders.demo): the customer of
the pending demo laptop order paid a tenth of its price, so staff have one payment to review."""

import json
from decimal import Decimal

from django.conf import settings

from orders.models import Order
from payments.models import PAYMENT_SUCCEEDED, Payment
from payments.selectors import payment_event_processed
from payments.services import payment_event_receive

DEMO_REJECTED_EVENT_ID = "demo-payment-short"
DEMO_REJECTED_SKU = "DEMO-LAPTOP"


def demo_payments_create() -> list[Payment]:
    """Records the demo's rejected payment through the webhook's own processing, once; returns
    the payments recorded (none when it exists already or the demo order is not pending)."""
    if payment_event_processed(event_id=DEMO_REJECTED_EVENT_ID):
        return []
    order = (
        Order.objects.filter(
            items__product__sku=DEMO_REJECTED_SKU,
            items__product__archived_at__isnull=True,
            status=Order.Status.PENDING,
        )
        .order_by("pk")
        .first()
    )
    if order is None:
        return []
    amount = (order.total_price / 10).quantize(Decimal("0.01"))
    body = {
        "event": PAYMENT_SUCCEEDED,
        "order_id": order.pk,
        "amount": str(amount),
        "currency": settings.STORE_CURRENCY,
    }
    result = payment_event_receive(
        event_id=DEMO_REJECTED_EVENT_ID,
        event=PAYMENT_SUCCEEDED,
        order_id=order.pk,
        amount=amount,
        currency=settings.STORE_CURRENCY,
        payload=json.dumps(body),
    )
    return [] if result.payment is None else [result.payment]
