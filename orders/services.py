"""Every write to orders. Locks are always taken order row first, then product row."""
from django.db import transaction

from inventory.exceptions import InsufficientStock
from inventory.models import API_ACTOR, StockMovement
from inventory.selectors import product_get
from inventory.services import stock_move
from orders.exceptions import InvalidStatusTransition, OrderNotCancelable
from orders.models import Order
from orders.selectors import order_get


@transaction.atomic
def order_place(*, product_id: int, quantity: int, actor: str = API_ACTOR) -> Order:
    """Atomically reserves stock and creates a PENDING order at the current price.

    Raises ProductNotFound (missing or archived) or InsufficientStock.
    """
    product = product_get(product_id=product_id, for_update=True)
    if product.stock < quantity:
        raise InsufficientStock(product_id=product.pk, requested=quantity, available=product.stock)
    order = Order.objects.create(product=product, quantity=quantity, unit_price=product.price)
    stock_move(
        product=product,
        delta=-quantity,
        reason=StockMovement.Reason.ORDER_PLACED,
        order_id=order.pk,
        actor=actor,
    )
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
    order.status = status
    order.save(update_fields=["status", "updated_at"])
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
    order.status = Order.Status.CANCELED
    order.save(update_fields=["status", "updated_at"])
    return order
