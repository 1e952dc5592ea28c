"""Order queries shared by the API, the admin, the payments app and the commands."""

from datetime import timedelta

from django.db.models import Count, DecimalField, F, Prefetch, QuerySet, Sum
from django.utils import timezone

from orders.exceptions import OrderNotFound
from orders.models import Order, OrderItem


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
