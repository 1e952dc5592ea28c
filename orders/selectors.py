"""Order queries shared by the API, the admin, the payments app and the commands."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from orders.exceptions import OrderNotFound
from orders.models import Order


def order_list() -> QuerySet[Order]:
    """All orders in id order."""
    return Order.objects.order_by("pk")


def order_get(*, order_id: int, for_update: bool = False) -> Order:
    """Returns an order, locking its row when asked; raises OrderNotFound."""
    queryset = Order.objects.select_for_update() if for_update else Order.objects.all()
    try:
        return queryset.get(pk=order_id)
    except Order.DoesNotExist:
        raise OrderNotFound(order_id) from None


def order_list_stale(*, older_than: timedelta) -> QuerySet[Order]:
    """PENDING orders created more than `older_than` ago, oldest first."""
    cutoff = timezone.now() - older_than
    return Order.objects.filter(status=Order.Status.PENDING, created_at__lt=cutoff).order_by("pk")
