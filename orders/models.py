"""Orders and their status machine."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from inventory.models import Product


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

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")
    quantity = models.IntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="order_status_created"),
            models.Index(fields=["created_at"], name="order_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="order_unit_price_positive"),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_valid"
            ),
        ]

    def __str__(self):
        return f"Order {self.pk} ({self.status})"

    @property
    def total_price(self) -> Decimal:
        return self.unit_price * self.quantity

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
