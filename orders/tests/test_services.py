"""Orders services against the real database: status rules, locked rows handed on, carts.

Query counts include the SAVEPOINT/RELEASE pair a `transaction.atomic` block becomes inside the
test's own transaction.
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from inventory.exceptions import InsufficientStock, ProductNotFound
from inventory.models import Product, StockMovement
from inventory.services import stock_move_many
from orders.exceptions import InvalidStatusTransition
from orders.models import MAX_ORDER_ITEMS, Order
from orders.selectors import order_get
from orders.services import (
    OrderLine,
    order_cancel,
    order_place,
    order_ship,
    order_status_update,
    order_transition,
)

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


# --- Orders of several items ---------------------------------------------------------------


@pytest.fixture
def shelf(make_product):
    return [make_product(price=price, stock=5) for price in ("1.50", "20.00", "3.25")]


def test_place_keeps_the_items_in_the_order_given_and_needs_no_read_back(
    shelf, django_assert_num_queries
):
    first, _, third = shelf
    order = order_place(items=[OrderLine(third.pk, 2), OrderLine(first.pk, 1)])
    with django_assert_num_queries(0):
        assert [(i.product_id, i.quantity, i.unit_price) for i in order.item_list] == [
            (third.pk, 2, Decimal("3.25")),
            (first.pk, 1, Decimal("1.50")),
        ]
        assert (order.quantity, order.total_price) == (3, Decimal("8.00"))
    assert [p.stock for p in Product.objects.filter(pk__in=[first.pk, third.pk])] == [4, 3]


@pytest.mark.parametrize("items", [[], [(0, 1), (0, 2)]], ids=["no-items", "same-product-twice"])
def test_place_refuses_an_empty_cart_or_a_product_twice(shelf, items):
    with pytest.raises(ValueError, match="at least one item, and each product at most once"):
        order_place(items=[OrderLine(shelf[index].pk, quantity) for index, quantity in items])
    assert not Order.objects.exists()
    assert not StockMovement.objects.filter(reason="order_placed").exists()


def test_place_refuses_more_items_than_an_order_holds(make_product):
    products = [make_product(price="1.00", stock=1) for _ in range(MAX_ORDER_ITEMS + 1)]
    with pytest.raises(ValueError, match=f"An order holds at most {MAX_ORDER_ITEMS} items"):
        order_place(items=[OrderLine(p.pk, 1) for p in products])
    assert not Order.objects.exists()
    assert all(p.stock == 1 for p in Product.objects.filter(pk__in=[p.pk for p in products]))


def test_place_locks_the_products_in_one_query_in_ascending_id_order(shelf):
    first, second, third = shelf
    with CaptureQueriesContext(connection) as captured:
        order_place(items=[OrderLine(p.pk, 1) for p in (third, first, second)])
    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
    assert len(reads) == 1
    assert 'ORDER BY "inventory_product"."id" ASC' in reads[0]
    if connection.features.has_select_for_update:
        assert reads[0].endswith("FOR UPDATE")


def test_cancel_locks_the_order_then_its_products_in_ascending_id_order(shelf, make_order):
    first, second, third = shelf
    order = make_order(items=[(third, 1), (first, 2), (second, 1)])
    with CaptureQueriesContext(connection) as captured:
        order_cancel(order_id=order.pk)
    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT")]
    assert len(reads) == 2
    assert '"orders_order"."id" =' in reads[0]
    assert 'ORDER BY "orders_orderitem"."product_id" ASC' in reads[1]
    if connection.features.has_select_for_update:
        assert reads[0].endswith("FOR UPDATE")
        assert reads[1].endswith('FOR UPDATE OF "inventory_product"')
    assert [p.stock for p in Product.objects.order_by("pk")] == [5, 5, 5]


def test_place_checks_every_item_before_writing_any(shelf):
    first, second, third = shelf
    with pytest.raises(InsufficientStock) as refused:
        order_place(items=[OrderLine(first.pk, 5), OrderLine(third.pk, 6), OrderLine(second.pk, 9)])
    assert refused.value.detail["product_id"] == second.pk
    with pytest.raises(ProductNotFound) as missing:
        order_place(items=[OrderLine(third.pk + 7, 1), OrderLine(third.pk + 5, 99)])
    assert missing.value.detail == f"Product with ID {third.pk + 5} not found"
    assert [p.stock for p in Product.objects.order_by("pk")] == [5, 5, 5]
    assert not Order.objects.exists()


def test_stock_move_many_guards_every_decrement_and_writes_nothing_on_refusal(shelf):
    first, second, _ = shelf
    stale = Product.objects.get(pk=second.pk)
    Product.objects.filter(pk=second.pk).update(stock=1)  # sold meanwhile, unknown to `stale`
    with pytest.raises(InsufficientStock), transaction.atomic():
        stock_move_many(moves=[(first.pk, -2), (stale.pk, -3)], reason="adjustment")
    assert [p.stock for p in Product.objects.filter(pk__in=[first.pk, second.pk])] == [5, 1]
    assert not StockMovement.objects.filter(reason="adjustment").exists()
    movements = stock_move_many(
        moves=[(first.pk, -2), (second.pk, 4)], reason="adjustment", note="n"
    )
    assert [(m.product_id, m.delta, m.note) for m in movements] == [
        (first.pk, -2, "n"),
        (second.pk, 4, "n"),
    ]
    assert [p.stock for p in Product.objects.filter(pk__in=[first.pk, second.pk])] == [3, 5]
