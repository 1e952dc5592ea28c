"""The demo orders `manage.py seed_demo` places on the demo catalog (see inventory.demo)."""

from django.db import transaction

from inventory.selectors import product_find
from orders.models import Order
from orders.services import order_place, order_transition

# sku, quantity, and the status the order is walked to.
DEMO_ORDERS = (
    ("DEMO-LAPTOP", 1, Order.Status.PENDING),
    ("DEMO-MOUSE", 3, Order.Status.PAID),
    ("DEMO-MONITOR", 2, Order.Status.SHIPPED),
    ("DEMO-CABLE", 5, Order.Status.CANCELED),
)
_STEPS_TO = {
    Order.Status.PENDING: (),
    Order.Status.PAID: (Order.Status.PAID,),
    Order.Status.SHIPPED: (Order.Status.PAID, Order.Status.SHIPPED),
    Order.Status.CANCELED: (Order.Status.CANCELED,),
}


@transaction.atomic
def demo_orders_create(*, actor: str) -> list[Order]:
    """Places the demo orders for demo products that have no orders yet; returns those placed.

    Orders go through order_place and order_transition, so stock and the ledger stay exact.
    Running it again places nothing.
    """
    placed = []
    for sku, quantity, status in DEMO_ORDERS:
        product = product_find(sku=sku)
        if product is None or product.orders.exists():
            continue
        # No other transaction can see an order before this one commits: it needs no lock.
        order = order_place(product_id=product.pk, quantity=quantity, actor=actor)
        for step in _STEPS_TO[status]:
            order = order_transition(order=order, status=step, actor=actor)
        placed.append(order)
    return placed
