"""Processing of payment webhook events (at most once per event id, in one transaction), and
the staff's review of rejected ones."""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.models import Order
from orders.selectors import order_get
from orders.services import order_transition
from payments.exceptions import (
    EventAlreadyProcessed,
    OrderNotPayable,
    PaymentAlreadyReviewed,
    PaymentAmountMismatch,
    PaymentNotReviewable,
    PaymentRejected,
)
from payments.metrics import DUPLICATE
from payments.models import PAYMENT_SUCCEEDED, Payment
from payments.selectors import payment_event_processed

logger = logging.getLogger(__name__)

WEBHOOK_ACTOR = "payment-webhook"


@dataclass(frozen=True)
class PaymentEventResult:
    """What payment_event_receive did with an event, and the error to answer with, if any.

    `outcome` is the recorded Payment's outcome (succeeded, rejected, ignored) or DUPLICATE.
    `error` is the rejection (the payment is recorded, for staff review) or, for a duplicate,
    EventAlreadyProcessed; None when the event is answered with its record.
    """

    outcome: str
    payment: Payment | None = None
    error: PaymentRejected | EventAlreadyProcessed | None = None


def payment_event_receive(
    *,
    event_id: str,
    event: str,
    order_id: int,
    amount: Decimal | None,
    currency: str,
    payload: str,
) -> PaymentEventResult:
    """Processes a verified webhook event at most once, in one transaction; returns the result.

    A `payment.succeeded` event for a PENDING order of the same amount and currency pays the
    order; one for an order that is not PENDING, or of another amount or currency, is recorded
    as rejected with OrderNotPayable or PaymentAmountMismatch to answer with (staff review it).
    Other event types are recorded as ignored. A used event id records nothing and is answered
    with EventAlreadyProcessed. Raises OrderNotFound (recording nothing, so a retry can succeed).
    """
    if payment_event_processed(event_id=event_id):
        return PaymentEventResult(outcome=DUPLICATE, error=EventAlreadyProcessed(event_id))
    with transaction.atomic():
        # Lock the order first: every path that changes an order locks its row before anything
        # else, so concurrent deliveries, cancels and status changes serialize here.
        order = order_get(order_id=order_id, for_update=True)
        result = _payment_record(
            order,
            event_id=event_id,
            event=event,
            amount=amount,
            currency=currency,
            payload=payload,
        )
    if result.payment is not None:
        # payment_succeeded, payment_rejected (a warning: staff review it) or payment_ignored.
        logger.log(
            logging.WARNING if result.error is not None else logging.INFO,
            f"payment_{result.outcome}",
            extra={
                "event_id": event_id,
                "event_type": event,
                "order_id": order_id,
                "amount": None if amount is None else str(amount),
                "currency": currency,
                "reason": result.payment.reason,
            },
        )
    return result


def _payment_record(
    order: Order,
    *,
    event_id: str,
    event: str,
    amount: Decimal | None,
    currency: str,
    payload: str,
) -> PaymentEventResult:
    # `order` is locked by the caller's transaction; paying it moves that same row.
    rejection = _payment_rejection(order, event=event, amount=amount, currency=currency)
    if event != PAYMENT_SUCCEEDED:
        outcome, reason = Payment.Outcome.IGNORED, ""
    elif rejection is not None:
        outcome, reason = Payment.Outcome.REJECTED, _REASONS[type(rejection)]
    else:
        outcome, reason = Payment.Outcome.SUCCEEDED, ""
    try:
        # The unique event id is the real replay guard: a concurrent delivery of the same id
        # that passed the pre-check fails here, and the savepoint keeps the transaction usable.
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
        if payment_event_processed(event_id=event_id):
            return PaymentEventResult(outcome=DUPLICATE, error=EventAlreadyProcessed(event_id))
        raise
    if outcome == Payment.Outcome.SUCCEEDED:
        payment.order = order_transition(order=order, status=Order.Status.PAID, actor=WEBHOOK_ACTOR)
    return PaymentEventResult(
        outcome=outcome,
        payment=payment,
        error=rejection if outcome == Payment.Outcome.REJECTED else None,
    )


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


@transaction.atomic
def payment_mark_reviewed(*, payment_id: int, actor: str) -> Payment:
    """Records that `actor` reviewed a rejected payment, and when.

    Raises PaymentNotReviewable for a payment that was not rejected, PaymentAlreadyReviewed
    for one reviewed before (the first review stands).
    """
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.outcome != Payment.Outcome.REJECTED:
        raise PaymentNotReviewable(payment_id=payment.pk, outcome=payment.outcome)
    if payment.reviewed_at is not None:
        raise PaymentAlreadyReviewed(
            payment_id=payment.pk, reviewed_by=payment.reviewed_by, reviewed_at=payment.reviewed_at
        )
    payment.reviewed_at = timezone.now()
    payment.reviewed_by = actor
    payment.save(update_fields=["reviewed_at", "reviewed_by"])
    transaction.on_commit(
        lambda: logger.info(
            "payment_reviewed",
            extra={"payment_id": payment.pk, "event_id": payment.event_id, "actor": actor},
        )
    )
    return payment
