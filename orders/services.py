"""Every write to orders. Locks are always taken order row first, then product rows by id.

Each change is logged as a domain event (`order_placed`, `order_status_changed`,
`order_canceled`) and counted once its transaction commits.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from prometheus_client import Counter

from inventory.exceptions import ProductNotFound
from inventory.models import API_ACTOR, StockMovement
from inventory.selectors import product_stock_for_update
from inventory.services import stock_insufficient, stock_move_many
from orders.exceptions import InvalidStatusTransition, OrderNotCancelable
from orders.metrics import ORDERS_CANCELED, ORDERS_PLACED
from orders.models import MAX_ORDER_ITEMS, Order, OrderItem
from orders.selectors import order_get, order_list_stale
from webstore.api.rows import RowInsert

logger = logging.getLogger("orders")


class OrderLine(NamedTuple):
    """What a cart asks for: `quantity` units of the product `product_id`."""

    product_id: int
    quantity: int


_NEW_ORDER = RowInsert(Order, "status", "created_at", "updated_at")
_NEW_ITEMS = RowInsert(OrderItem, "order_id", "product_id", "quantity", "unit_price")


@transaction.atomic
def order_place(*, items: Sequence[OrderLine], actor: str = API_ACTOR) -> Order:
    """Atomically reserves every item's stock and creates one PENDING order at current prices.

    All or nothing: the products are locked in ascending id order in one query (overlapping
    carts cannot deadlock), every item is checked, then every stock is decremented with a
    ledger row per item. Items keep the order given; each product may appear once, and a cart
    holds at most MAX_ORDER_ITEMS (whoever calls it: API, command, demo). Raises
    ProductNotFound (missing or archived) or else InsufficientStock, for the lowest such
    product id.
    """
    asked = dict(items)
    if not asked or len(asked) != len(items):
        raise ValueError("An order needs at least one item, and each product at most once.")
    if len(items) > MAX_ORDER_ITEMS:
        raise ValueError(f"An order holds at most {MAX_ORDER_ITEMS} items.")
    locked = product_stock_for_update(product_ids=asked)
    missing = sorted(asked.keys() - locked.keys())
    if missing:
        raise ProductNotFound(missing[0])
    for product_id in sorted(asked):
        if (available := locked[product_id]["stock"]) < asked[product_id]:
            raise stock_insufficient(
                product_id=product_id, requested=asked[product_id], available=available
            )
    now = timezone.now()
    [order] = _NEW_ORDER.run(
        [{"status": Order.Status.PENDING, "created_at": now, "updated_at": now}]
    )
    order.item_list = _NEW_ITEMS.run(
        [
            {
                "order_id": order.pk,
                "product_id": product_id,
                "quantity": quantity,
                "unit_price": locked[product_id]["price"],
            }
            for product_id, quantity in items
        ]
    )
    stock_move_many(
        moves=[(product_id, -asked[product_id]) for product_id in sorted(asked)],
        reason=StockMovement.Reason.ORDER_PLACED,
        order_id=order.pk,
        actor=actor,
    )
    _record_on_commit("order_placed", order, actor=actor, counter=ORDERS_PLACED, with_items=True)
    return order


def order_transition(*, order: Order, status: str, actor: str = API_ACTOR) -> Order:
    """Moves an order along Order.TRANSITIONS; asking for its current status is a no-op.

    `order` is a row the caller's open transaction holds locked (`order_get(for_update=True)`,
    or an order it placed itself), so it is never read again. Moving to CANCELED cancels
    exactly like order_cancel. Raises InvalidStatusTransition.
    """
    if status == order.status:
        return order
    if not order.can_transition_to(status):
        raise InvalidStatusTransition(current_status=order.status, requested_status=status)
    if status == Order.Status.CANCELED:
        return _cancel_locked(order, actor=actor)
    previous_status = order.status
    order.status = status
    order.save(update_fields=["status", "updated_at"])
    _record_on_commit("order_status_changed", order, actor=actor, previous_status=previous_status)
    return order


@transaction.atomic
def order_status_update(*, order_id: int, status: str, actor: str = API_ACTOR) -> Order:
    """Locks the order and moves it with order_transition (the API's PUT /orders/{id}).

    Raises OrderNotFound or InvalidStatusTransition.
    """
    order = order_get(order_id=order_id, for_update=True)
    return order_transition(order=order, status=status, actor=actor)


@transaction.atomic
def order_ship(*, order_id: int, actor: str = API_ACTOR) -> Order:
    """Ships a PAID order.

    Shipping is an action, not a status to reach: an order that already SHIPPED is refused
    like any other that is not PAID. Raises OrderNotFound or InvalidStatusTransition.
    """
    order = order_get(order_id=order_id, for_update=True)
    if not order.is_shippable:
        raise InvalidStatusTransition(
            current_status=order.status, requested_status=Order.Status.SHIPPED
        )
    return order_transition(order=order, status=Order.Status.SHIPPED, actor=actor)


@transaction.atomic
def order_cancel(*, order_id: int, actor: str = API_ACTOR) -> Order:
    """Cancels a PENDING or PAID order and returns its units to stock, exactly once.

    Raises OrderNotFound, or OrderNotCancelable for SHIPPED and CANCELED orders.
    """
    order = order_get(order_id=order_id, for_update=True)
    if not order.is_cancelable:
        raise OrderNotCancelable(order_id=order.pk, current_status=order.status)
    return _cancel_locked(order, actor=actor)


def _cancel_locked(order: Order, *, actor: str) -> Order:
    # Only unshipped orders are cancelable, so their goods never left: always restock. The
    # order row is locked; its products are locked next, in ascending id order (archived ones
    # too: they take their units back).
    items = list(
        order.items.select_related("product")
        .select_for_update(of=("product",))
        .order_by("product_id")
    )
    stock_move_many(
        moves=[(item.product_id, item.quantity) for item in items],
        reason=StockMovement.Reason.ORDER_CANCELED,
        order_id=order.pk,
        actor=actor,
    )
    order.item_list = sorted(items, key=lambda item: item.pk)
    previous_status = order.status
    order.status = Order.Status.CANCELED
    order.save(update_fields=["status", "updated_at"])
    _record_on_commit(
        "order_canceled",
        order,
        actor=actor,
        previous_status=previous_status,
        counter=ORDERS_CANCELED,
        with_items=True,
    )
    return order


def _record_on_commit(
    event: str,
    order: Order,
    *,
    actor: str,
    counter: Counter | None = None,
    with_items: bool = False,
    **fields: str,
) -> None:
    # Logged and counted only once the change is durable: a rolled-back order never happened.
    # Placing and canceling hold the items already; a status change does not read them.
    fields = {"order_id": order.pk, "status": order.status, "actor": actor, **fields}
    if with_items:
        fields |= {
            "product_id": order.product_id,
            "quantity": order.quantity,
            "items": [
                {"product_id": item.product_id, "quantity": item.quantity}
                for item in order.item_list
            ],
        }

    def record() -> None:
        if counter is not None:
            counter.inc()
        logger.info(event, extra=fields)

    transaction.on_commit(record)


@dataclass
class StaleCancelResult:
    """What order_cancel_stale did: orders canceled, and stale orders it left alone."""

    canceled: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def order_cancel_stale(
    *,
    older_than: timedelta,
    actor: str,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> StaleCancelResult:
    """Cancels PENDING orders older than `older_than`, restocking each like order_cancel.

    Each order is canceled in its own short transaction, so live traffic waits on at most one
    order. Where the database can (PostgreSQL), rows locked by a live request are skipped rather
    than waited for, and left for the next run; SQLite serializes writers instead. An order that
    stopped being PENDING meanwhile (paid, canceled) is skipped too. With `dry_run`, reports the
    candidates as `canceled` and changes nothing. `progress(done, total)` is called after each
    order.
    """
    stale = order_list_stale(older_than=older_than)
    candidates = list(stale.values_list("pk", flat=True))
    if dry_run:
        return StaleCancelResult(canceled=candidates)
    skip_locked = connection.features.has_select_for_update_skip_locked
    result = StaleCancelResult()
    for done, order_id in enumerate(candidates, 1):
        with transaction.atomic():
            order = stale.select_for_update(skip_locked=skip_locked).filter(pk=order_id).first()
            if order is None:
                result.skipped.append(order_id)
            else:
                _cancel_locked(order, actor=actor)
                result.canceled.append(order_id)
        if progress is not None:
            progress(done, len(candidates))
    return result
