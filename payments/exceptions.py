"""Typed webhook errors; each carries its facts and states the contract's `detail` once."""

from webstore.api.exceptions import ResourceConflict, RuleViolation, Unauthenticated


class InvalidWebhookSignature(Unauthenticated):
    """Missing, wrong or expired signature. The body never says which, to give forgers nothing."""

    message = "Invalid webhook signature"
    facts = ("reason",)


class MissingEventId(RuleViolation):
    message = "Missing X-Event-Id header"


class InvalidEventId(RuleViolation):
    """`event_id` is the header as received, cut short; the body does not echo it."""

    message = (
        "Invalid X-Event-Id header: expected one id of 1 to 255 visible ASCII characters, no commas"
    )
    facts = ("event_id",)


class EventAlreadyProcessed(RuleViolation):
    error = "Event already processed"
    facts = ("event_id",)


class PaymentRejected(ResourceConflict):
    """A payment event that was recorded for staff review but did not pay the order."""


class OrderNotPayable(PaymentRejected):
    error = "Order not payable"
    facts = ("order_id", "current_status")


class PaymentAmountMismatch(PaymentRejected):
    """`currency` is the one received, so a wrong currency shows next to an equal amount."""

    error = "Payment amount mismatch"
    facts = ("order_id", "expected", "received", "currency")


class PaymentNotReviewable(RuleViolation):
    """Only a rejected payment waits for review; a succeeded or ignored one has nothing to do."""

    message = "Payment {payment_id} is {outcome}; only rejected payments are reviewed."


class PaymentAlreadyReviewed(ResourceConflict):
    """The first review stands."""

    message = (
        "Payment {payment_id} was already reviewed by {reviewed_by} "
        "at {reviewed_at:%Y-%m-%d %H:%M:%S %Z}."
    )
