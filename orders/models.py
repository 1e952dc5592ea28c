"""Orders, their items and their status machine.

An order is a cart: one row per product (`OrderItem`) with the quantity and the price when
ordered. What the API shows per order (`quantity`, `total_price`, and for a one-item order its
`product_id` and `unit_price`) is derived from the items, never stored twice.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from inventory.models import Product

# Items one order may hold: any real cart, and a bound on the rows one transaction locks.
MAX_ORDER_ITEMS = 100


class OrderStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    PAID = "PAID", "Paid"
    SHIPPED = "SHIPPED", "Shipped"
    CANCELED = "CANCELED", "Canceled"


class Order(models.Model):
    Status = OrderStatus
    # The status machine; orders.services checks every status change against it.
    TRANSITIONS = {
        OrderStatus.PENDING: frozenset({OrderStatus.PAID, OrderStatus.CANCELED}),
        OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELED}),
        OrderStatus.SHIPPED: frozenset(),
        OrderStatus.CANCELED: frozenset(),
    }

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="order_status_created"),
            models.Index(fields=["created_at"], name="order_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_valid"
            ),
        ]

    def __str__(self):
        return f"Order {self.pk} ({self.status})"

    @cached_property
    def item_list(self) -> list["OrderItem"]:
        """The items in the order they were sent; the selectors prefetch it, order_place sets it."""
        return list(self.items.all())

    @property
    def quantity(self) -> int:
        """The number of units over all items."""
        return sum(item.quantity for item in self.item_list)

    @property
    def total_price(self) -> Decimal:
        return sum((item.line_total for item in self.item_list), Decimal("0.00"))

    @property
    def product_id(self) -> int | None:
        """The product of a one-item order; None for an order of several items."""
        return self._single_item.product_id if self._single_item else None

    @property
    def unit_price(self) -> Decimal | None:
        """The price of a one-item order's product when ordered; None for several items."""
        return self._single_item.unit_price if self._single_item else None

    @property
    def _single_item(self) -> "OrderItem | None":
        return self.item_list[0] if len(self.item_list) == 1 else None

    def can_transition_to(self, status: str) -> bool:
        """Whether TRANSITIONS allows the move; the current status itself is never a move."""
        return status in self.TRANSITIONS[self.status]

    @property
    def is_cancelable(self) -> bool:
        """Canceled orders have not shipped, so canceling always returns their units to stock."""
        return self.can_transition_to(OrderStatus.CANCELED)

    @property
    def is_shippable(self) -> bool:
        """Only a PAID order ships; a SHIPPED one cannot be shipped again."""
        return self.can_transition_to(OrderStatus.SHIPPED)


class OrderItem(models.Model):
    """One product of an order: how many units, at the product's price when ordered."""

    # The unique (order, product) index leads with the order: it serves lookups by order.
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items", db_index=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    quantity = models.IntegerField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        # Items are inserted in the order the client sent them, so id order is that order.
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="order_item_product_once"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_item_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gt=0), name="order_item_unit_price_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × product {self.product_id} (order {self.order_id})"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity
