"""Races with real threads against the real database (each thread has its own connection).

Run on SQLite (IMMEDIATE transactions serialize writers) and on PostgreSQL (row locks and the
unique index on the event id).
"""

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum

from inventory.models import Product, StockMovement
from orders.models import Order
from payments.models import Payment
from payments.tests.conftest import paid_event

pytestmark = pytest.mark.django_db(transaction=True)


def assert_ledger_matches(product_id: int):
    product = Product.objects.get(pk=product_id)
    ledger = StockMovement.objects.filter(product=product).aggregate(total=Sum("delta"))["total"]
    assert product.stock == ledger


def test_ten_concurrent_deliveries_of_one_event_pay_once(run_together, post_webhook, pending_order):
    def deliver(client):
        response = post_webhook(paid_event(pending_order.pk), event_id="evt_storm", client=client)
        return response.status_code, response.json()

    results = run_together([deliver] * 10)
    assert Counter(status for status, _ in results) == {200: 1, 400: 9}
    for status, body in results:
        if status == 400:
            assert body == {"detail": {"error": "Event already processed", "event_id": "evt_storm"}}
    pending_order.refresh_from_db()
    assert pending_order.status == "PAID"
    payment = Payment.objects.get()
    assert (payment.event_id, payment.outcome) == ("evt_storm", "succeeded")
    assert Product.objects.get(pk=pending_order.product_id).stock == 8
    assert_ledger_matches(pending_order.product_id)


def test_ten_concurrent_events_for_one_order_pay_it_once(run_together, post_webhook, pending_order):
    def deliver(number):
        return lambda client: post_webhook(
            paid_event(pending_order.pk), event_id=f"evt_{number}", client=client
        )

    responses = run_together([deliver(number) for number in range(10)])
    assert Counter(response.status_code for response in responses) == {200: 1, 409: 9}
    for response in responses:
        if response.status_code == 409:
            assert response.json() == {
                "detail": {
                    "error": "Order not payable",
                    "order_id": pending_order.pk,
                    "current_status": "PAID",
                }
            }
    pending_order.refresh_from_db()
    assert pending_order.status == "PAID"
    assert Counter(Payment.objects.values_list("outcome", flat=True)) == {
        "succeeded": 1,
        "rejected": 9,
    }


def test_cancel_racing_a_payment_never_lets_both_win(
    run_together, post_webhook, make_product, make_order
):
    """Each order ends in one of the two serial histories, never a mix; stock returns once.

    cancel first: cancel 204, payment 409 "Order not payable" (recorded as rejected).
    payment first: payment 200 (PAID), then the cancel of a PAID order 204 (the contract lets
    staff cancel a paid, unshipped order; its units return to stock and the payment row shows
    a refund is due).
    """
    product = make_product(price="50.00", stock=20)
    orders = [make_order(product, quantity=2) for _ in range(6)]

    def pay(order):
        return lambda client: post_webhook(
            paid_event(order.pk), event_id=f"evt_race_{order.pk}", client=client
        )

    def cancel(order):
        return lambda client: client.delete(f"/orders/{order.pk}")

    calls = [call for order in orders for call in (pay(order), cancel(order))]
    responses = run_together(calls)

    for index, order in enumerate(orders):
        paid, canceled = responses[2 * index], responses[2 * index + 1]
        order.refresh_from_db()
        payment = Payment.objects.get(order=order)
        assert canceled.status_code == 204
        assert order.status == "CANCELED"
        if paid.status_code == 409:
            assert paid.json() == {
                "detail": {
                    "error": "Order not payable",
                    "order_id": order.pk,
                    "current_status": "CANCELED",
                }
            }
            assert (payment.outcome, payment.order_status) == ("rejected", "CANCELED")
        else:
            assert paid.status_code == 200
            assert paid.json()["order_status"] == "PAID"
            assert (payment.outcome, payment.order_status) == ("succeeded", "PENDING")
        restocks = StockMovement.objects.filter(order_id=order.pk, reason="order_canceled")
        assert [movement.delta for movement in restocks] == [2]
    assert Product.objects.get(pk=product.pk).stock == 20
    assert_ledger_matches(product.pk)


def test_payment_racing_a_shipment_request_stays_consistent(
    run_together, post_webhook, make_product, make_order
):
    """A PUT to SHIPPED racing the payment: shipping waits for PAID or fails, never skips it."""
    product = make_product(price="50.00", stock=20)
    orders = [make_order(product, quantity=2) for _ in range(6)]

    def pay(order):
        return lambda client: post_webhook(paid_event(order.pk), client=client)

    def ship(order):
        return lambda client: client.put(
            f"/orders/{order.pk}", {"status": "SHIPPED"}, format="json"
        )

    responses = run_together([call for order in orders for call in (pay(order), ship(order))])
    for index, order in enumerate(orders):
        paid, shipped = responses[2 * index], responses[2 * index + 1]
        order.refresh_from_db()
        assert paid.status_code == 200
        assert shipped.status_code in (200, 400)
        assert order.status == ("SHIPPED" if shipped.status_code == 200 else "PAID")
    assert Order.objects.filter(status="PENDING").count() == 0
    assert_ledger_matches(product.pk)


def test_a_recorded_rejection_is_committed_before_the_409(post_webhook, pending_order, monkeypatch):
    # Even if every request ran in one transaction (ATOMIC_REQUESTS), the handler's rollback of
    # the 409 must not take the record with it.
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    response = post_webhook(paid_event(pending_order.pk, amount=90.0), event_id="evt_kept")
    assert response.status_code == 409
    assert Payment.objects.get().event_id == "evt_kept"
    retry = post_webhook(paid_event(pending_order.pk, amount=90.0), event_id="evt_kept")
    assert retry.status_code == 400
