"""CSV exports at `<changelist>/export/`: the payments' and the stock ledger's rows, and for
those and the orders (whose rows orders/tests/test_admin.py checks) a streamed response whose
queries do not grow with the rows."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inventory.models import StockMovement
from inventory.resources import StockMovementResource
from orders.models import Order, OrderItem
from orders.resources import OrderItemResource
from payments.models import Payment
from payments.resources import PaymentResource
from payments.services import payment_mark_reviewed
from webstore.api.fields import iso_datetime
from webstore.backoffice.exports import ROWS_PER_CHUNK

pytestmark = pytest.mark.django_db

EXPORTS = {
    "orders": ("/admin/orders/order/", OrderItemResource),
    "payments": ("/admin/payments/payment/", PaymentResource),
    "movements": ("/admin/inventory/stockmovement/", StockMovementResource),
}


def export(client, which: str, query: str = ""):
    """POSTs the export form as the admin's page does (CSV, every column ticked)."""
    changelist, resource = EXPORTS[which]
    columns = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().fields}
    response = client.post(
        f"{changelist}export/{query}", {"format": "0", "resource": "0", **columns}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    return response


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def iso(moment) -> str:
    return iso_datetime(moment)


def test_payments_export(staff_client, make_product, make_order, make_rejected_payment):
    order = make_order(make_product(price="50.00"), quantity=2)
    payment = make_rejected_payment(order)
    reviewed = payment_mark_reviewed(payment_id=payment.pk, actor="clerk")
    assert rows(export(staff_client, "payments")) == [
        [
            "id",
            "received_at",
            "event_id",
            "event_type",
            "order_id",
            "amount",
            "currency",
            "outcome",
            "reason",
            "order_status",
            "reviewed_at",
            "reviewed_by",
        ],
        [
            str(payment.pk),
            iso(payment.received_at),
            payment.event_id,
            "payment.succeeded",
            str(order.pk),
            "101.00",
            "USD",
            "rejected",
            "amount_mismatch",
            "PENDING",
            iso(reviewed.reviewed_at),
            "clerk",
        ],
    ]


def test_stock_movements_export_for_one_product(staff_client, product, make_product, make_order):
    make_product(sku="OTHER")
    order = make_order(product, quantity=3)
    placed, initial = product.movements.all()
    assert rows(export(staff_client, "movements", f"?product={product.pk}")) == [
        ["id", "created_at", "product_id", "sku", "delta", "reason", "order_id", "actor", "note"],
        [
            str(placed.pk),
            iso(placed.created_at),
            str(product.pk),
            "PROD-001",
            "-3",
            "order_placed",
            str(order.pk),
            "api",
            "",
        ],
        [
            str(initial.pk),
            iso(initial.created_at),
            str(product.pk),
            "PROD-001",
            "50",
            "initial",
            "",
            "api",
            "",
        ],
    ]


def test_store_staff_outside_the_group_cannot_export(client, django_user_model):
    user = django_user_model.objects.create_user("temp", password="x", is_staff=True)
    client.force_login(user)
    for changelist, _ in EXPORTS.values():
        assert client.post(f"{changelist}export/", {"format": "0"}).status_code == 403


@pytest.mark.parametrize("which", ["orders", "payments", "movements"])
def test_a_large_export_streams_in_chunks_with_the_same_queries_as_a_small_one(
    staff_client, product, make_order, which
):
    order = make_order(product)

    def consume():
        with CaptureQueriesContext(connection) as queries:
            response = export(staff_client, which)
            chunks = list(response.streaming_content)
        return len(queries), chunks

    small_queries, small_chunks = consume()
    count = 2 * ROWS_PER_CHUNK + 7
    now = timezone.now()
    if which == "orders":
        orders = Order.objects.bulk_create(Order(created_at=now) for _ in range(count))
        OrderItem.objects.bulk_create(
            OrderItem(order=placed, product=product, quantity=1, unit_price=product.price)
            for placed in orders
        )
    elif which == "payments":
        Payment.objects.bulk_create(
            Payment(
                order=order,
                event_id=f"evt-{number}",
                event_type="refund.created",
                currency="USD",
                outcome=Payment.Outcome.IGNORED,
                order_status=order.status,
                payload="{}",
            )
            for number in range(count)
        )
    else:
        StockMovement.objects.bulk_create(
            StockMovement(product=product, delta=1, reason="restock", created_at=now)
            for _ in range(count)
        )
    large_queries, large_chunks = consume()
    assert large_queries == small_queries
    # The header, then full chunks of rows as the cursor yields them, then the rest.
    small_rows = sum(chunk.count(b"\r\n") for chunk in small_chunks) - 1
    assert [chunk.count(b"\r\n") for chunk in large_chunks] == [
        1,
        ROWS_PER_CHUNK,
        ROWS_PER_CHUNK,
        small_rows + count - 2 * ROWS_PER_CHUNK,
    ]
