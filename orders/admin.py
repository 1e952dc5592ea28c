"""Staff admin for orders: a fast read-only list whose actions go through the orders services.

"Mark shipped" and "Cancel" call `order_ship` and `order_cancel`, so a cancel from the admin
restocks exactly like the API, and each order the domain refuses to move is reported with the
refusal, not a 500. An order's page lists its items, read-only; "Export" writes the orders
the changelist selects as CSV, one row per item (`orders.resources`). The orders give the
dashboard its order and revenue figures.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib import admin

from orders.exceptions import InvalidStatusTransition, OrderNotCancelable
from orders.models import Order, OrderItem
from orders.resources import OrderItemResource
from orders.selectors import (
    REVENUE_STATUSES,
    order_daily_totals,
    order_list_for_staff,
    order_status_counts,
)
from orders.services import order_cancel, order_ship
from webstore.api.exceptions import DomainError
from webstore.backoffice.charts import bar_line_chart
from webstore.backoffice.dashboard import (
    DashboardSection,
    Figure,
    changelist_url,
    span_filters,
)
from webstore.backoffice.exports import StreamingCsvExportMixin
from webstore.backoffice.mixins import report_per_row

# The dashboard's chart covers this many days; its "last week" revenue, the newest seven.
CHART_DAYS = 14
WEEK_DAYS = 7


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
class OrderAdmin(StreamingCsvExportMixin, admin.ModelAdmin):
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


def dashboard_sections(request, days) -> list[DashboardSection]:
    """Orders today, awaiting payment and to ship; revenue today and over the last week; and
    the chart of the last CHART_DAYS days. Two queries."""
    if not request.user.has_perm("orders.view_order"):
        return []
    since, until = days.span(CHART_DAYS)
    totals = order_daily_totals(since=since, until=until)
    counts = order_status_counts(Order.Status.PENDING, Order.Status.PAID)
    today, week = totals[-1], totals[-WEEK_DAYS:]
    revenue_filter = {"status__in": ",".join(REVENUE_STATUSES)}
    currency = settings.STORE_CURRENCY
    orders = DashboardSection(
        title="Orders",
        figures=(
            Figure(
                metric="orders_today",
                label="Placed today",
                value=str(today.orders),
                url=changelist_url("orders", "order", **span_filters("created_at", days.span(1))),
                hint="all statuses",
            ),
            Figure(
                metric="pending_orders",
                label="Awaiting payment",
                value=str(counts[Order.Status.PENDING]),
                url=changelist_url("orders", "order", status__exact=Order.Status.PENDING),
                hint="pending",
            ),
            Figure(
                metric="paid_orders",
                label="To ship",
                value=str(counts[Order.Status.PAID]),
                url=changelist_url("orders", "order", status__exact=Order.Status.PAID),
                hint="paid, not shipped",
                needs_action=counts[Order.Status.PAID] > 0,
            ),
        ),
    )
    revenue = DashboardSection(
        title="Revenue",
        figures=(
            Figure(
                metric="revenue_today",
                label="Today",
                value=str(today.revenue),
                unit=currency,
                url=changelist_url(
                    "orders", "order", **revenue_filter, **span_filters("created_at", days.span(1))
                ),
                hint="paid or shipped orders",
            ),
            Figure(
                metric="revenue_7d",
                label="Last 7 days",
                value=str(sum((day.revenue for day in week), Decimal("0.00"))),
                unit=currency,
                url=changelist_url(
                    "orders",
                    "order",
                    **revenue_filter,
                    **span_filters("created_at", days.span(WEEK_DAYS)),
                ),
                hint=f"since {week[0].day:%a} {week[0].day.day} {week[0].day:%b}",
            ),
        ),
    )
    chart = DashboardSection(
        title="Orders and revenue",
        chart=bar_line_chart(
            title=f"Orders and revenue, last {CHART_DAYS} days",
            labels=[f"{day.day:%b} {day.day.day}" for day in totals],
            bars=[day.orders for day in totals],
            line=[day.revenue for day in totals],
            titles=[
                f"{day.day:%a %d %b}: {day.orders} order(s), {day.revenue} {currency} revenue"
                for day in totals
            ],
            bar_legend="Orders placed (left axis)",
            line_legend=f"Revenue, {currency} (right axis)",
        ),
    )
    return [orders, revenue, chart]


admin.site.register_dashboard_section(dashboard_sections, position=10)
