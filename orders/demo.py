"""The demo orders `manage.py seed_demo` places on the demo catalog (see inventory.demo)."""

from django.db import transaction

from inventory.selectors import product_find
from orders.models import Order
from orders.services import OrderLine, order_place, order_transition

# The items (sku, quantity) of each demo order, and the status the order is walked to; the
# last is a cart of several products.
DEMO_ORDERS = (
    ((("DEMO-LAPTOP", 1),), Order.Status.PENDING),
    ((("DEMO-MOUSE", 3),), Order.Status.PAID),
    ((("DEMO-MONITOR", 2),), Order.Status.SHIPPED),
    ((("DEMO-CABLE", 5),), Order.Status.CANCELED),
    ((("DEMO-DOCK", 1), ("DEMO-KEYBOARD", 1), ("DEMO-HEADSET", 1)), Order.Status.PENDING),
)
_STEPS_TO = {
    Order.Status.PENDING: (),
    Order.Status.PAID: (Order.Status.PAID,),
    Order.Status.SHIPPED: (Order.Status.PAID, Order.Status.SHIPPED),
    Order.Status.CANCELED: (Order.Status.CANCELED,),
}


@transaction.atomic
def demo_orders_create(*, actor: str) -> list[Order]:
    """Places each demo order whose products all exist and have no orders yet; returns those.

    Orders go through order_place and order_transition, so stock and the ledger stay exact.
    Running it again places nothing.
    """
    placed = []
    for items, status in DEMO_ORDERS:
        products = [product_find(sku=sku) for sku, _ in items]
        if None in products or any(product.order_items.exists() for product in products):
            continue
        lines = [
            OrderLine(p.pk, quantity) for p, (_, quantity) in zip(products, items, strict=True)
        ]
        # No other transaction can see an order before this one commits: it needs no lock.
        order = order_place(items=lines, actor=actor)
        for step in _STEPS_TO[status]:
            order = order_transition(order=order, status=step, actor=actor)
        placed.append(order)
    return placed
