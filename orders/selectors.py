"""Order queries shared by the API, the admin, the payments app and the commands."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from orders.exceptions import OrderNotFound
from orders.models import Order, OrderItem

# Orders whose money the store has: paid, whether shipped yet or not.
REVENUE_STATUSES = (Order.Status.PAID, Order.Status.SHIPPED)
CENT = Decimal("0.01")


def order_list() -> QuerySet[Order]:
    """All orders in id order, each with its items (one query for the items of a whole page)."""
    return Order.objects.order_by("pk").prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.all(), to_attr="item_list")
    )


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
