"""seed_demo's rejected payment: recorded once, through the webhook's processing, for review."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from payments.models import Payment

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())


def test_seed_demo_records_one_rejected_payment_to_review():
    seed()
    payment = Payment.objects.get()
    assert (payment.event_id, payment.outcome, payment.reason) == (
        "demo-payment-short",
        "rejected",
        "amount_mismatch",
    )
    assert (payment.amount, payment.order.total_price) == (Decimal("100.00"), Decimal("999.99"))
    items = [(item.product.sku, item.quantity) for item in payment.order.item_list]
    assert (items, payment.order.status) == ([("DEMO-LAPTOP", 1)], "PENDING")
    assert list(Payment.objects.to_review()) == [payment]
    seed()
    assert list(Payment.objects.all()) == [payment]
