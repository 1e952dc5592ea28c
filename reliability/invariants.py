"""What must hold after any race, crash or outage, read back through the ORM."""

from collections import Counter

from django.db.models import Sum

from inventory.models import Product, StockMovement
from orders.models import Order, OrderItem


def assert_stock_invariants(product: Product, *, initial_stock: int) -> None:
    """No unit oversold or restored twice: the ledger and the orders explain the stock exactly.

    - stock == sum(ledger deltas) and stock >= 0;
    - every order holding the product has exactly one `order_placed` row of -(its item's
      quantity) for it; a canceled order exactly one `order_canceled` row of +quantity, any
      other order none (restored at most once);
    - no ledger row names an order that does not exist (no half-applied order);
    - stock == initial - units of the product in orders that are not canceled.
    """
    product.refresh_from_db()
    movements = StockMovement.objects.filter(product=product)
    assert product.stock >= 0
    assert product.stock == movements.aggregate(total=Sum("delta"))["total"]

    items = OrderItem.objects.filter(product=product).select_related("order")
    placed = Counter(movements.filter(reason="order_placed").values_list("order_id", "delta"))
    restored = Counter(movements.filter(reason="order_canceled").values_list("order_id", "delta"))
    assert placed == Counter({(item.order_id, -item.quantity): 1 for item in items})
    assert restored == Counter(
        {(item.order_id, item.quantity): 1 for item in items if item.order.status == "CANCELED"}
    )
    live_units = sum(item.quantity for item in items if item.order.status != "CANCELED")
    assert product.stock == initial_stock - live_units
    stray = StockMovement.objects.exclude(order_id=None).exclude(
        order_id__in=Order.objects.values("pk")
    )
    assert not stray.exists()
