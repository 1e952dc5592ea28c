"""The orders' CSV export (django-import-export): one row per order item.

Each row repeats its order's columns (id, created, status, total) before the item's own (SKU,
product name, quantity, unit price, line total), so a cart of three products is three rows.
The admin exports the orders its changelist selects (filters and search apply).
"""

from decimal import Decimal

from django.db.models import DecimalField, F, Sum, Window
from import_export import fields, resources

from orders.models import OrderItem
from webstore.api.fields import iso_datetime

COLUMNS = (
    "order_id",
    "created_at",
    "status",
    "order_total",
    "sku",
    "product",
    "quantity",
    "unit_price",
    "line_total",
)
CENTS = Decimal("0.01")


class OrderItemResource(resources.ModelResource):
    order_id = fields.Field(attribute="order_id", column_name="order_id")
    created_at = fields.Field(column_name="created_at")
    status = fields.Field(attribute="order__status", column_name="status")
    order_total = fields.Field(column_name="order_total")
    sku = fields.Field(attribute="product__sku", column_name="sku")
    product = fields.Field(attribute="product__name", column_name="product")
    quantity = fields.Field(attribute="quantity", column_name="quantity")
    unit_price = fields.Field(column_name="unit_price")
    line_total = fields.Field(column_name="line_total")

    class Meta:
        model = OrderItem
        fields = COLUMNS
        export_order = COLUMNS

    def filter_export(self, queryset, **kwargs):
        """The items of the orders `queryset` selects, order by order in the order sent.

        One query: the order and product columns are joined, the order's total is a window sum
        over its items.
        """
        line_total = F("quantity") * F("unit_price")
        return (
            OrderItem.objects.filter(order__in=queryset.order_by().values("pk"))
            .select_related("order", "product")
            .annotate(
                order_total=Window(
                    Sum(line_total),
                    partition_by=F("order_id"),
                    output_field=DecimalField(max_digits=20, decimal_places=2),
                )
            )
            .order_by("order_id", "pk")
        )

    def dehydrate_created_at(self, item: OrderItem) -> str:
        return iso_datetime(item.order.created_at)

    def dehydrate_order_total(self, item: OrderItem) -> str:
        # SQLite sums decimals as floats: back to cents.
        return str(Decimal(item.order_total).quantize(CENTS))

    def dehydrate_unit_price(self, item: OrderItem) -> str:
        return str(item.unit_price)

    def dehydrate_line_total(self, item: OrderItem) -> str:
        return str(item.line_total)
