"""Every write to orders. Locks are always taken order row first, then product row.

Each change is logged as a domain event (`order_placed`, `order_status_changed`,
`order_canceled`) and counted once its transaction commits.
"""
import logging

from django.db import transaction
from prometheus_client import Counter

from inventory.models import API_ACTOR, StockMovement
from inventory.selectors import product_get
from inventory.services import stock_insufficient, stock_move
from orders.exceptions import InvalidStatusTransition, OrderNotCancelable
from orders.models import Order
from orders.selectors import order_get
from webstore.metrics import ORDERS_CANCELED, ORDERS_PLACED

logger = logging.getLogger("orders")


@transaction.atomic
def order_place(*, product_id: int, quantity: int, actor: str = API_ACTOR) -> Order:
    """Atomically reserves stock and creates a PENDING order at the current price.

    Raises ProductNotFound (missing or archived) or InsufficientStock.
    """
    product = product_get(product_id=product_id, for_update=True)
    if product.stock < quantity:
        raise stock_insufficient(product=product, requested=quantity)
    order = Order.objects.create(product=product, quantity=quantity, unit_price=product.price)
    stock_move(
        product=product,
        delta=-quantity,
        reason=StockMovement.Reason.ORDER_PLACED,
        order_id=order.pk,
        actor=actor,
    )
    _record_on_commit("order_placed", order, actor=actor, counter=ORDERS_PLACED)
    return order


@transaction.atomic
def order_transition(*, order_id: int, status: str, actor: str = API_ACTOR) -> Order:
    """Moves an order along Order.TRANSITIONS; asking for the current status is a no-op.

    Moving to CANCELED cancels exactly like order_cancel. Raises OrderNotFound or
    InvalidStatusTransition.
    """
    order = order_get(order_id=order_id, for_update=True)
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
def order_cancel(*, order_id: int, actor: str = API_ACTOR) -> Order:
    """Cancels a PENDING or PAID order and returns its units to stock, exactly once.

    Raises OrderNotFound, or OrderNotCancelable for SHIPPED and CANCELED orders.
    """
    order = order_get(order_id=order_id, for_update=True)
    if not order.is_cancelable:
        raise OrderNotCancelable(order_id=order.pk, current_status=order.status)
    return _cancel_locked(order, actor=actor)


def _cancel_locked(order: Order, *, actor: str) -> Order:
    # Only unshipped orders are cancelable, so their goods never left: always restock.
    product = product_get(product_id=order.product_id, for_update=True, archived_ok=True)
    stock_move(
        product=product,
        delta=order.quantity,
        reason=StockMovement.Reason.ORDER_CANCELED,
        order_id=order.pk,
        actor=actor,
    )
    previous_status = order.status
    order.status = Order.Status.CANCELED
    order.save(update_fields=["status", "updated_at"])
    _record_on_commit(
        "order_canceled",
        order,
        actor=actor,
        previous_status=previous_status,
        counter=ORDERS_CANCELED,
    )
    return order


def _record_on_commit(
    event: str, order: Order, *, actor: str, counter: Counter | None = None, **fields: str
) -> None:
    # Logged and counted only once the change is durable: a rolled-back order never happened.
    fields = {
        "order_id": order.pk,
        "product_id": order.product_id,
        "quantity": order.quantity,
        "status": order.status,
        "actor": actor,
        **fields,
    }

    def record() -> None:
        if counter is not None:
            counter.inc()
        logger.info(event, extra=fields)

    transaction.on_commit(record)
