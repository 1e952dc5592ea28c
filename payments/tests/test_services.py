"""payment_event_receive and the database constraints behind it, on the real database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from orders.models import Order
from orders.selectors import order_get
from payments import services
from payments.exceptions import EventAlreadyProcessed, OrderNotPayable, PaymentAmountMismatch
from payments.models import Payment


def receive(order, *, event_id="evt_1", event="payment.succeeded", amount="100.00", currency="USD"):
    return services.payment_event_receive(
        event_id=event_id,
        event=event,
        order_id=order.pk,
        amount=Decimal(amount) if amount is not None else None,
        currency=currency,
        payload="{}",
    )


def payment_row(order, **fields) -> Payment:
    values = {
        "order": order,
        "event_id": "evt_row",
        "event_type": "payment.succeeded",
        "amount": Decimal("100.00"),
        "currency": "USD",
        "outcome": Payment.Outcome.SUCCEEDED,
        "reason": "",
        "order_status": order.status,
        "payload": "{}",
        **fields,
    }
    return Payment(**values)


@pytest.mark.django_db
def test_success_returns_the_record_with_the_paid_order(pending_order):
    result = receive(pending_order)
    payment = result.payment
    assert (result.outcome, result.error) == ("succeeded", None)
    assert payment.order.status == "PAID"
    assert Order.objects.get(pk=pending_order.pk).status == "PAID"
    assert (payment.outcome, payment.order_status) == ("succeeded", "PENDING")


@pytest.mark.django_db
def test_unique_event_id_is_the_last_line_of_defence(pending_order):
    """A delivery that got past the pre-check (a concurrent duplicate) still cannot pay."""
    payment_row(
        pending_order, event_id="evt_dup", outcome="ignored", event_type="x", amount=None
    ).save()
    with transaction.atomic():
        result = services._payment_record(
            order_get(order_id=pending_order.pk, for_update=True),
            event_id="evt_dup",
            event="payment.succeeded",
            amount=Decimal("100.00"),
            currency="USD",
            payload="{}",
        )
    assert (result.outcome, result.payment) == ("duplicate", None)
    assert isinstance(result.error, EventAlreadyProcessed)
    assert result.error.detail == {"error": "Event already processed", "event_id": "evt_dup"}
    assert Order.objects.get(pk=pending_order.pk).status == "PENDING"
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "kwargs, error, reason",
    [
        ({"amount": "99.99"}, PaymentAmountMismatch, "amount_mismatch"),
        ({"currency": "EUR"}, PaymentAmountMismatch, "amount_mismatch"),
        ({"status": "CANCELED"}, OrderNotPayable, "order_not_payable"),
    ],
)
def test_a_rejection_is_committed_and_returned_with_its_error(
    make_product, make_order, kwargs, error, reason
):
    status = kwargs.pop("status", "PENDING")
    order = make_order(make_product(price="50.00"), quantity=2, status=status)
    result = receive(order, **kwargs)
    assert result.outcome == "rejected"
    assert isinstance(result.error, error)
    # No test transaction wraps this one: the row is visible because it was committed.
    payment = Payment.objects.get()
    assert result.payment == payment
    assert (payment.outcome, payment.reason) == ("rejected", reason)
    assert Order.objects.get(pk=order.pk).status == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"outcome": "refunded"},
        {"outcome": "rejected", "reason": ""},
        {"outcome": "succeeded", "reason": "amount_mismatch"},
        {"outcome": "rejected", "reason": "bored"},
        {"amount": None},
        {"amount": Decimal("0")},
        {"amount": Decimal("-1")},
    ],
)
def test_database_constraints_refuse_inconsistent_rows(pending_order, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        payment_row(pending_order, **fields).save()


@pytest.mark.django_db
def test_database_refuses_a_second_row_for_an_event_id(pending_order):
    payment_row(pending_order, event_id="evt_once").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        payment_row(pending_order, event_id="evt_once", outcome="ignored", amount=None).save()
    assert Payment.objects.filter(event_id="evt_once").count() == 1


@pytest.mark.django_db
def test_paying_moves_the_locked_order_without_reading_it_again(
    pending_order, django_assert_num_queries
):
    # SELECT used event id, SAVEPOINT, SELECT order (FOR UPDATE), SELECT its items (the total
    # the amount must equal), SAVEPOINT, INSERT payment, RELEASE, UPDATE order, RELEASE: the
    # order is read once, under its lock.
    with django_assert_num_queries(9):
        result = receive(pending_order)
    assert (result.outcome, result.payment.order.status) == ("succeeded", "PAID")


@pytest.mark.django_db
def test_a_used_event_id_returns_the_duplicate_and_records_nothing(pending_order):
    receive(pending_order, event_id="evt_twice")
    result = receive(pending_order, event_id="evt_twice")
    assert (result.outcome, result.payment) == ("duplicate", None)
    assert result.error.detail == {"error": "Event already processed", "event_id": "evt_twice"}
    assert Payment.objects.filter(event_id="evt_twice").count() == 1
