"""Staff admin for orders: a fast read-only list whose actions go through the orders services.

"Mark shipped" and "Cancel" call `order_ship` and `order_cancel`, so a cancel from the admin
restocks exactly like the API, and each order the domain refuses to move is reported with the
refusal, not a 500.
"""

from django.contrib import admin

from orders.exceptions import InvalidStatusTransition, OrderNotCancelable
from orders.models import Order
from orders.services import order_cancel, order_ship
from webstore.api.exceptions import DomainError
from webstore.backoffice.mixins import report_per_row


def _refusal_message(order: Order, error: DomainError, verb: str) -> str:
    """The services' refusal, worded for staff."""
    if isinstance(error, (InvalidStatusTransition, OrderNotCancelable)):
        return f"order {order.pk} is {error.current_status} and cannot be {verb}"
    return f"order {order.pk} cannot be {verb}: {error.detail}"


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "product", "quantity", "unit_price", "total", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["=id", "product__sku", "product__name"]
    list_select_related = ["product"]
    date_hierarchy = "created_at"
    ordering = ["-pk"]
    list_per_page = 100
    # Counting 100k rows on every page costs more than the page itself.
    show_full_result_count = False
    actions = ["mark_shipped", "cancel_orders"]
    readonly_fields = [
        "product",
        "quantity",
        "status",
        "unit_price",
        "total",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    @admin.display(description="total")
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
