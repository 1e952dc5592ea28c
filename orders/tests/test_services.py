"""Orders services against the real database: status rules, and locked rows handed on.

Query counts include the SAVEPOINT/RELEASE pair a `transaction.atomic` block becomes inside the
test's own transaction.
"""

import pytest
from django.db import transaction

from inventory.models import Product
from orders.exceptions import InvalidStatusTransition
from orders.models import Order
from orders.selectors import order_get
from orders.services import order_ship, order_status_update, order_transition

pytestmark = pytest.mark.django_db


def test_ship_moves_a_paid_order_to_shipped(product, make_order):
    order = make_order(product, status=Order.Status.PAID)
    assert order_ship(order_id=order.pk, actor="clerk").status == "SHIPPED"
    assert Order.objects.get(pk=order.pk).status == "SHIPPED"


@pytest.mark.parametrize("status", ["SHIPPED", "PENDING", "CANCELED"])
def test_ship_refuses_every_order_that_is_not_paid(product, make_order, status):
    """Shipping a SHIPPED order is refused too: the domain, not the admin, says so."""
    order = make_order(product, status=status)
    updated_at = Order.objects.get(pk=order.pk).updated_at
    with pytest.raises(InvalidStatusTransition) as refused:
        order_ship(order_id=order.pk, actor="clerk")
    assert refused.value.detail == {
        "error": "Invalid status transition",
        "current_status": status,
        "requested_status": "SHIPPED",
        "message": f"Cannot transition from {status} to SHIPPED",
    }
    assert Order.objects.get(pk=order.pk).updated_at == updated_at


@pytest.mark.parametrize("status", list(Order.Status))
def test_status_update_to_the_current_status_is_a_no_op(product, make_order, status):
    order = make_order(product, status=status)
    before = Order.objects.values("status", "updated_at").get(pk=order.pk)
    assert order_status_update(order_id=order.pk, status=status).status == status
    assert Order.objects.values("status", "updated_at").get(pk=order.pk) == before


def test_transition_uses_the_locked_row_without_reading_it_again(
    product, make_order, django_assert_num_queries
):
    order = make_order(product)
    with transaction.atomic():
        locked = order_get(order_id=order.pk, for_update=True)
        # UPDATE order: no SELECT of the order it was handed.
        with django_assert_num_queries(1):
            assert order_transition(order=locked, status="PAID") is locked
        # The current status again: nothing to read or write.
        with django_assert_num_queries(0):
            order_transition(order=locked, status="PAID")
    assert Order.objects.get(pk=order.pk).status == "PAID"


def test_cancel_through_a_transition_locks_only_the_product(
    product, make_order, django_assert_num_queries
):
    order = make_order(product, quantity=3)
    with transaction.atomic():
        locked = order_get(order_id=order.pk, for_update=True)
        # SELECT product (FOR UPDATE), guarded UPDATE stock, INSERT ledger row, UPDATE order.
        with django_assert_num_queries(4):
            order_transition(order=locked, status="CANCELED", actor="clerk")
    assert Order.objects.get(pk=order.pk).status == "CANCELED"
    assert Product.objects.get(pk=product.pk).stock == 50


def test_status_update_reads_the_order_once(product, make_order, django_assert_num_queries):
    order = make_order(product)
    # SAVEPOINT, SELECT order (FOR UPDATE), UPDATE order, RELEASE.
    with django_assert_num_queries(4):
        order_status_update(order_id=order.pk, status="PAID")
