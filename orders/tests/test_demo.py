"""Each app's demo data: orders are placed only on the demo products inventory creates."""

import pytest

from inventory.demo import DEMO_PRODUCTS, demo_products_create
from orders.demo import DEMO_ORDERS, demo_orders_create
from orders.models import Order

pytestmark = pytest.mark.django_db


def test_demo_orders_wait_for_the_demo_products():
    assert demo_orders_create(actor="demo") == []
    assert len(demo_products_create(actor="demo")) == len(DEMO_PRODUCTS)
    placed = demo_orders_create(actor="demo")
    assert [
        (tuple((item.product.sku, item.quantity) for item in order.item_list), order.status)
        for order in placed
    ] == list(DEMO_ORDERS)
    assert Order.objects.count() == len(DEMO_ORDERS)
    assert (demo_products_create(actor="demo"), demo_orders_create(actor="demo")) == ([], [])
