"""Order items in the database: constraints that hold for any write, and what an order derives."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from orders.models import Order, OrderItem
from orders.selectors import order_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def order() -> Order:
    return Order.objects.create()


@pytest.mark.parametrize(
    "fields",
    [
        {"quantity": 0},
        {"quantity": -1},
        {"unit_price": Decimal("0.00")},
        {"unit_price": Decimal("-0.01")},
    ],
    ids=["quantity-zero", "quantity-negative", "price-zero", "price-negative"],
)
def test_item_check_constraints_reject_bad_rows(order, product, fields):
    values = {"order": order, "product": product, "quantity": 1, "unit_price": Decimal("1.00")}
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderItem.objects.create(**{**values, **fields})
    assert not OrderItem.objects.exists()


def test_an_order_holds_a_product_once(order, product):
    OrderItem.objects.create(order=order, product=product, quantity=1, unit_price=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderItem.objects.create(
            order=order, product=product, quantity=2, unit_price=Decimal("1.00")
        )
    assert list(order.items.values_list("quantity", flat=True)) == [1]


def test_another_order_may_hold_the_same_product(order, product):
    other = Order.objects.create()
    for each in (order, other):
        OrderItem.objects.create(
            order=each, product=product, quantity=1, unit_price=Decimal("1.00")
        )
    assert OrderItem.objects.filter(product=product).count() == 2


def test_one_item_order_derives_its_product_price_quantity_and_total(order, product):
    OrderItem.objects.create(order=order, product=product, quantity=3, unit_price=Decimal("19.99"))
    read_back = order_get(order_id=order.pk)
    assert read_back.product_id == product.pk
    assert read_back.unit_price == Decimal("19.99")
    assert read_back.quantity == 3
    assert read_back.total_price == Decimal("59.97")
    assert [item.line_total for item in read_back.item_list] == [Decimal("59.97")]


def test_several_items_derive_totals_and_no_single_product_or_price(order, make_product):
    lines = [(make_product(), 2, "10.10"), (make_product(), 1, "0.05"), (make_product(), 5, "3.33")]
    for product, quantity, price in lines:
        OrderItem.objects.create(
            order=order, product=product, quantity=quantity, unit_price=Decimal(price)
        )
    read_back = order_get(order_id=order.pk)
    assert (read_back.product_id, read_back.unit_price) == (None, None)
    assert read_back.quantity == 8
    assert read_back.total_price == Decimal("36.90")
    assert [item.product_id for item in read_back.item_list] == [p.pk for p, _, _ in lines]
