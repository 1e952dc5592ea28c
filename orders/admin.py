"""Staff admin for orders: a fast read-only list whose actions go through the orders services.

"Mark shipped" and "Cancel" call `order_ship` and `order_cancel`, so a cancel from the admin
restocks exactly like the API, and each order the domain refuses to move is reported with the
refusal, not a 500. An order's page lists its items, read-only; "Export" writes the orders
the changelist selects as CSV, one row per item (`orders.resources`).
"""

from django.contrib import admin
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV

from orders.exceptions import InvalidStatusTransition, OrderNotCancelable
from orders.models import Order, OrderItem
from orders.resources import OrderItemResource
from orders.selectors import order_list_for_staff
from orders.services import order_cancel, order_ship
from webstore.api.exceptions import DomainError
from webstore.backoffice.mixins import report_per_row


def _refusal_message(order: Order, error: DomainError, verb: str) -> str:
    """The services' refusal, worded for staff."""
    if isinstance(error, (InvalidStatusTransition, OrderNotCancelable)):
        return f"order {order.pk} is {error.current_status} and cannot be {verb}"
    return f"order {order.pk} cannot be {verb}: {error.detail}"


class OrderItemInline(admin.TabularInline):
    """The order's items in the order sent; read-only like the order itself."""

    model = OrderItem
    fields = readonly_fields = ["product", "quantity", "unit_price", "line_total"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")

    def has_view_permission(self, request, obj=None):
        # Items are part of the order: whoever may see the order sees them.
        return self.admin_site.get_model_admin(Order).has_view_or_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ["id", "products", "item_count", "units", "total", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["=id", "items__product__sku", "items__product__name"]
    inlines = [OrderItemInline]
    date_hierarchy = "created_at"
    ordering = ["-pk"]
    list_per_page = 100
    # Counting 100k rows on every page costs more than the page itself.
    show_full_result_count = False
    actions = ["mark_shipped", "cancel_orders"]
    resource_classes = [OrderItemResource]
    export_formats = [CSV]
    readonly_fields = ["status", "units", "total", "created_at", "updated_at"]
    fields = readonly_fields

    def get_queryset(self, request):
        return order_list_for_staff()

    @admin.display(description="products")
    def products(self, order: Order) -> str:
        return ", ".join(str(item.product) for item in order.item_list)

    # Values come from the prefetched items, as the API derives them; the SQL annotations of
    # order_list_for_staff only sort the columns.
    @admin.display(description="items", ordering="item_count")
    def item_count(self, order: Order) -> int:
        return len(order.item_list)

    @admin.display(description="units", ordering="units")
    def units(self, order: Order) -> int:
        return order.quantity

    @admin.display(description="total", ordering="total")
    def total(self, order: Order):
        return order.total_price

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The changelist's actions need "change"; a single order's page is read-only because
        # status moves only through the actions (the services).
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Mark selected orders shipped", permissions=["change"])
    def mark_shipped(self, request, queryset):
        report_per_row(
            self,
            request,
            queryset.order_by("pk"),
            apply=lambda order: order_ship(order_id=order.pk, actor=request.user.get_username()),
            done="marked shipped",
            describe_failure=lambda order, error: _refusal_message(order, error, "shipped"),
        )

    @admin.action(
        description="Cancel selected orders (returns their stock)", permissions=["change"]
    )
    def cancel_orders(self, request, queryset):
        report_per_row(
            self,
            request,
            queryset.order_by("pk"),
            apply=lambda order: order_cancel(order_id=order.pk, actor=request.user.get_username()),
            done="canceled",
            describe_failure=lambda order, error: _refusal_message(order, error, "canceled"),
        )
