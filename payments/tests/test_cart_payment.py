"""The webhook pays an order of several items for exactly its total (the sum of its lines)."""

import pytest

from inventory.models import Product
from orders.models import Order
from payments.models import Payment
from payments.tests.conftest import paid_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart_order(make_product, make_order):
    """2 × 50.00 + 3 × 0.10 = 100.30, from two products of 10 in stock each."""
    first, second = make_product(price="50.00", stock=10), make_product(price="0.10", stock=10)
    return make_order(items=[(first, 2), (second, 3)])


def stocks(order: Order) -> list[int]:
    return [Product.objects.get(pk=item.product_id).stock for item in order.item_list]


@pytest.mark.parametrize("amount", [100.3, "100.30", 100.30])
def test_a_cart_is_paid_by_its_total(post_webhook, cart_order, amount):
    response = post_webhook(paid_event(cart_order.pk, amount=amount))
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "message": "Payment processed successfully",
        "order_id": cart_order.pk,
        "order_status": "PAID",
    }
    assert Order.objects.get(pk=cart_order.pk).status == "PAID"
    assert stocks(cart_order) == [8, 7]


@pytest.mark.parametrize("amount", [100.0, 0.3, 50.0, 100.31])
def test_a_line_or_any_other_amount_is_a_mismatch(post_webhook, cart_order, amount):
    response = post_webhook(paid_event(cart_order.pk, amount=amount))
    assert response.status_code == 409
    assert response.json() == {
        "detail": {
            "error": "Payment amount mismatch",
            "order_id": cart_order.pk,
            "expected": 100.3,
            "received": amount,
            "currency": "USD",
        }
    }
    assert Order.objects.get(pk=cart_order.pk).status == "PENDING"
    assert Payment.objects.get().reason == "amount_mismatch"
    assert stocks(cart_order) == [8, 7]
