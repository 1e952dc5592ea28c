"""Products and the stock ledger.

`Product.stock` is the number on hand; every change to it is a `StockMovement` row, so that for
every product `stock == sum(movement.delta)` (checked by `manage.py check_stock_ledger`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

API_ACTOR = "api"


def default_reorder_level() -> int:
    """The reorder level new products start with (setting LOW_STOCK_THRESHOLD)."""
    return settings.LOW_STOCK_THRESHOLD


class StockStatus(models.TextChoices):
    """Where a product stands for staff; "in stock" means above its reorder level."""

    IN_STOCK = "in_stock", "In stock"
    LOW = "low", "Low stock"
    OUT = "out", "Out of stock"
    ARCHIVED = "archived", "Archived"


class ProductQuerySet(models.QuerySet):
    def live(self):
        """Products that are not archived: the only ones the API shows or sells."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def in_stock(self):
        """Live products with any stock on hand (the API's `in_stock=true`)."""
        return self.live().filter(stock__gt=0)

    def above_reorder_level(self):
        """Live products with more on hand than their reorder level (staff's "In stock")."""
        return self.live().filter(stock__gt=F("reorder_level"))

    def low_stock(self):
        """Live products that still have stock, but no more than their reorder level."""
        return self.live().filter(stock__gt=0, stock__lte=F("reorder_level"))

    def out_of_stock(self):
        """Live products with nothing on hand."""
        return self.live().filter(stock=0)

    def at_or_below_reorder_level(self):
        """Live products that need reordering: low or out of stock."""
        return self.live().filter(stock__lte=F("reorder_level"))


class Product(models.Model):
    sku = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=255, db_index=True)
    # The validators give forms and imports field errors; the CheckConstraints guard the rows.
    price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    stock = models.IntegerField(default=0, validators=[MinValueValidator(0)])
    # Staff-only: at or below this count the product is "low stock" (never part of the API body).
    reorder_level = models.PositiveIntegerField(
        default=default_reorder_level,
        help_text="At or below this stock count the product counts as low stock.",
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sku"],
                condition=Q(archived_at__isnull=True),
                name="product_live_sku_unique",
                violation_error_message="A live product with this SKU already exists.",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_non_negative"),
        ]

    def __str__(self):
        return f"{self.sku} — {self.name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def stock_status(self) -> StockStatus:
        """Where the product stands for staff: archived, out, low (<= reorder level) or in stock."""
        if self.is_archived:
            return StockStatus.ARCHIVED
        if self.stock == 0:
            return StockStatus.OUT
        if self.stock <= self.reorder_level:
            return StockStatus.LOW
        return StockStatus.IN_STOCK


class MovementReason(models.TextChoices):
    INITIAL = "initial", "Initial stock"
    ORDER_PLACED = "order_placed", "Order placed"
    ORDER_CANCELED = "order_canceled", "Order canceled"
    ADJUSTMENT = "adjustment", "Adjustment"
    RESTOCK = "restock", "Restock"
    IMPORT = "import", "Import"


class StockMovement(models.Model):
    """One signed change of a product's stock, with why, who and (for orders) which order."""

    Reason = MovementReason

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="movements")
    delta = models.IntegerField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    # A plain id, not a foreign key: inventory must not depend on the orders app.
    order_id = models.PositiveBigIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    actor = models.CharField(max_length=150, default=API_ACTOR)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["product", "-created_at"], name="movement_product_time")]
        constraints = [
            # An order reserves each product's stock once and returns it at most once, even if
            # two cancel paths raced past every other check.
            models.UniqueConstraint(
                fields=["order_id", "product", "reason"],
                condition=Q(order_id__isnull=False),
                name="movement_once_per_order_product_reason",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=MovementReason.values),
                name="movement_reason_valid",
            ),
        ]

    def __str__(self):
        return f"{self.delta:+d} {self.get_reason_display()} ({self.product_id})"
