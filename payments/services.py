"""Processing of payment webhook events: at most once per event id, in one transaction."""

import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from orders.models import Order
from orders.selectors import order_get
from orders.services import order_transition
from payments.exceptions import (
    EventAlreadyProcessed,
    OrderNotPayable,
    PaymentAmountMismatch,
    PaymentRejected,
)
from payments.models import PAYMENT_SUCCEEDED, Payment

logger = logging.getLogger(__name__)

WEBHOOK_ACTOR = "payment-webhook"


def payment_event_receive(
    *,
    event_id: str,
    event: str,
    order_id: int,
    amount: Decimal | None,
    currency: str,
    payload: str,
) -> Payment:
    """Processes a verified webhook event once and returns its committed record.

    A `payment.succeeded` event for a PENDING order of the same amount and currency pays the
    order; one for an order that is not PENDING, or of another amount or currency, is recorded
    as rejected and then raised as OrderNotPayable or PaymentAmountMismatch (the record stays
    committed: staff review it). Other event types are recorded as ignored. Raises
    EventAlreadyProcessed for a used event id and OrderNotFound (recording nothing, so a retry
    can succeed).

    Call it outside any transaction: a rejection must commit before it is raised.
    """
    if Payment.objects.filter(event_id=event_id).exists():
        raise EventAlreadyProcessed(event_id)
    payment, rejection = _payment_record(
        event_id=event_id,
        event=event,
        order_id=order_id,
        amount=amount,
        currency=currency,
        payload=payload,
    )
    # payment_succeeded, payment_rejected (a warning: staff review it) or payment_ignored.
    logger.log(
        logging.WARNING if rejection is not None else logging.INFO,
        f"payment_{payment.outcome}",
        extra={
            "event_id": event_id,
            "event_type": event,
            "order_id": order_id,
            "amount": None if amount is None else str(amount),
            "currency": currency,
            "reason": payment.reason,
        },
    )
    if rejection is not None:
        raise rejection
    return payment


@transaction.atomic
def _payment_record(
    *,
    event_id: str,
    event: str,
    order_id: int,
    amount: Decimal | None,
    currency: str,
    payload: str,
) -> tuple[Payment, PaymentRejected | None]:
    # Lock the order first: every path that changes an order locks its row before anything
    # else, so concurrent deliveries, cancels and status changes serialize here.
    order = order_get(order_id=order_id, for_update=True)
    rejection = _payment_rejection(order, event=event, amount=amount, currency=currency)
    if event != PAYMENT_SUCCEEDED:
        outcome, reason = Payment.Outcome.IGNORED, ""
    elif rejection is not None:
        outcome, reason = Payment.Outcome.REJECTED, _REASONS[type(rejection)]
    else:
        outcome, reason = Payment.Outcome.SUCCEEDED, ""
    try:
        # The unique event id is the real replay guard: a concurrent delivery of the same id
        # that passed the pre-check fails here, and the savepoint turns that into a clean 400.
        with transaction.atomic():
            payment = Payment.objects.create(
                order=order,
                event_id=event_id,
                event_type=event,
                amount=amount,
                currency=currency,
                outcome=outcome,
                reason=reason,
                order_status=order.status,
                payload=payload,
            )
    except IntegrityError:
        if Payment.objects.filter(event_id=event_id).exists():
            raise EventAlreadyProcessed(event_id) from None
        raise
    if outcome == Payment.Outcome.SUCCEEDED:
        # Paying moves the row locked above; it is not read again.
        payment.order = order_transition(order=order, status=Order.Status.PAID, actor=WEBHOOK_ACTOR)
    return payment, rejection if outcome == Payment.Outcome.REJECTED else None


def _payment_rejection(
    order: Order, *, event: str, amount: Decimal | None, currency: str
) -> PaymentRejected | None:
    """Why a `payment.succeeded` event cannot pay this locked order, or None if it can."""
    if event != PAYMENT_SUCCEEDED:
        return None
    if order.status != Order.Status.PENDING:
        return OrderNotPayable(order_id=order.pk, current_status=order.status)
    if amount != order.total_price or currency != settings.STORE_CURRENCY:
        return PaymentAmountMismatch(
            order_id=order.pk, expected=order.total_price, received=amount, currency=currency
        )
    return None


_REASONS = {
    OrderNotPayable: Payment.Reason.ORDER_NOT_PAYABLE,
    PaymentAmountMismatch: Payment.Reason.AMOUNT_MISMATCH,
}
