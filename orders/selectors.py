"""Order queries shared by the API, the admin, the payments app and the commands."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from orders.exceptions import OrderNotFound
from orders.filters import OrderFilter
from orders.models import Order, OrderItem
from webstore.api.fields import iso_datetime
from webstore.api.filters import filter_parametrized, filter_structure
from webstore.api.pagination import Window, window_queryset
from webstore.api.rows import Param, RowShape

# Orders whose money the store has: paid, whether shipped yet or not.
REVENUE_STATUSES = (Order.Status.PAID, Order.Status.SHIPPED)
CENT = Decimal("0.01")

# An order and its items as the API shows them. The serializers' fields, the list, the detail
# and every write's answer are these; the derived fields come from the items (`order_row_assemble`).
ITEM_ROW = RowShape(
    OrderItem, "product_id", "quantity", "unit_price", "line_total", derived=["line_total"]
)
ORDER_ROW = RowShape(
    Order,
    "id",
    "product_id",
    "quantity",
    "status",
    "created_at",
    "unit_price",
    "total_price",
    "updated_at",
    "items",
    derived=["product_id", "quantity", "unit_price", "total_price", "items"],
)


def order_list() -> QuerySet[Order]:
    """All orders in id order: what the API's pages and details read (as ORDER_ROWs)."""
    return Order.objects.order_by("pk")


def order_row_assemble(order: Mapping[str, Any], items: Sequence[Mapping[str, Any]]) -> dict:
    """The API row of an order from its columns and its items' (in the order they were sent).

    Derives what the model's properties derive: units over all items, the sum of the line
    totals, and a one-item order's product and price. Timestamps as DRF writes them.
    """
    lines = [
        ITEM_ROW.arrange({**item, "line_total": item["unit_price"] * item["quantity"]})
        for item in items
    ]
    single = lines[0] if len(lines) == 1 else None
    return ORDER_ROW.arrange(
        {
            **order,
            "created_at": iso_datetime(order["created_at"]),
            "updated_at": iso_datetime(order["updated_at"]),
            "product_id": single["product_id"] if single else None,
            "quantity": sum(line["quantity"] for line in lines),
            "unit_price": single["unit_price"] if single else None,
            "total_price": sum((line["line_total"] for line in lines), Decimal("0.00")),
            "items": lines,
        }
    )


def order_row_of(order: Order) -> dict:
    """The API row of an order just written (its `item_list` holds its items)."""
    return order_row_assemble(ORDER_ROW.of(order), [ITEM_ROW.of(item) for item in order.item_list])


def _page_queryset(structure: tuple) -> QuerySet[Order]:
    filters, (limit, skip, has_cursor) = structure
    orders = filter_parametrized(OrderFilter, order_list(), filters)
    after = Param("after") if has_cursor else None
    return window_queryset(orders, limit=limit, skip=skip, after=after)


def _items_queryset(order_count: int) -> QuerySet[OrderItem]:
    order_ids = [Param(f"order{n}") for n in range(order_count)]
    return OrderItem.objects.filter(order__pk__in=order_ids).order_by("order_id", "pk")


_PAGE = ORDER_ROW.query(_page_queryset)
_BY_ID = ORDER_ROW.query(lambda structure: order_list().filter(pk=Param("id")))
# Items by the number of orders whose items they are: a page holds at most MAX_LIMIT + 1.
_ITEMS = ITEM_ROW.query(_items_queryset, keys=("order_id",))


def _rows_with_items(orders: list[dict]) -> list[dict]:
    if not orders:
        return []
    values = {f"order{n}": order["id"] for n, order in enumerate(orders)}
    items_by_order: dict[int, list[dict]] = {order["id"]: [] for order in orders}
    for item in _ITEMS.fetch(values, len(orders)):
        items_by_order[item["order_id"]].append(item)
    return [order_row_assemble(order, items_by_order[order["id"]]) for order in orders]


def order_page(*, filters: Mapping[str, Any], window: Window) -> list[dict]:
    """API rows of orders in id order: filtered (OrderFilter's values), one window.

    The window's rows and one more, if there is one (the paginator's `page_rows` cuts it):
    two queries, the orders and the items of all of them.
    """
    structure = (filter_structure(filters), window.structure)
    return _rows_with_items(_PAGE.fetch({**filters, "after": window.after}, structure))


def order_row(*, order_id: int) -> dict:
    """The API row of an order; raises OrderNotFound."""
    rows = _rows_with_items(_BY_ID.fetch({"id": order_id}))
    if not rows:
        raise OrderNotFound(order_id)
    return rows[0]


def order_list_for_staff() -> QuerySet[Order]:
    """Orders with their items and products, and `item_count`, `units`, `total` to sort by.

    One query for the orders and one for the items of all of them, whatever the page size.
    """
    line_total = F("items__quantity") * F("items__unit_price")
    return Order.objects.annotate(
        item_count=Count("items"),
        units=Sum("items__quantity"),
        total=Sum(line_total, output_field=DecimalField(max_digits=20, decimal_places=2)),
    ).prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.select_related("product"), to_attr="item_list")
    )


def order_get(*, order_id: int, for_update: bool = False) -> Order:
    """Returns an order, locking its row when asked; raises OrderNotFound.

    Its `item_list` is read when first used (one query), so a status change that never looks at
    the items does not pay for them.
    """
    queryset = Order.objects.select_for_update() if for_update else Order.objects.all()
    try:
        return queryset.get(pk=order_id)
    except Order.DoesNotExist:
        raise OrderNotFound(order_id) from None


def order_list_stale(*, older_than: timedelta) -> QuerySet[Order]:
    """PENDING orders created more than `older_than` ago, oldest first."""
    cutoff = timezone.now() - older_than
    return Order.objects.filter(status=Order.Status.PENDING, created_at__lt=cutoff).order_by("pk")


@dataclass(frozen=True)
class DailyOrders:
    """Orders placed on one day, and the revenue among them (REVENUE_STATUSES now)."""

    day: date
    orders: int
    revenue: Decimal


def order_daily_totals(*, since: datetime, until: datetime) -> list[DailyOrders]:
    """Orders placed and their revenue per calendar day of the current time zone, in one query.

    Covers every day from `since` (a midnight) up to `until`, oldest first, with zeros for days
    without orders. An order counts on the day it was placed; its revenue is its total price
    when it is PAID or SHIPPED now.
    """
    # Joined with the items (an order's total is the sum of its lines): orders are counted once.
    rows = (
        Order.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(
            orders=Count("pk", distinct=True),
            revenue=Sum(
                F("items__quantity") * F("items__unit_price"),
                filter=Q(status__in=REVENUE_STATUSES),
                output_field=DecimalField(max_digits=20, decimal_places=2),
            ),
        )
        .order_by()
    )
    by_day = {row["day"]: row for row in rows}
    first = timezone.localtime(since).date()
    count = (timezone.localtime(until).date() - first).days
    days = [first + timedelta(days=offset) for offset in range(count)]
    empty = {"orders": 0, "revenue": None}
    return [
        DailyOrders(
            day=day,
            orders=by_day.get(day, empty)["orders"],
            # SQLite sums decimals as floats: back to cents.
            revenue=(by_day.get(day, empty)["revenue"] or Decimal(0)).quantize(CENT),
        )
        for day in days
    ]


def order_status_counts(*statuses: str) -> dict[str, int]:
    """How many orders are in each of `statuses` now (0 for none), in one query."""
    counted = dict(
        Order.objects.filter(status__in=statuses)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {status: counted.get(status, 0) for status in statuses}
