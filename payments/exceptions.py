"""Typed webhook errors; each carries its facts and states the contract's `detail`."""

from decimal import Decimal

from webstore.api.exceptions import ResourceConflict, RuleViolation, Unauthenticated


class InvalidWebhookSignature(Unauthenticated):
    """Missing, wrong or expired signature. The body never says which, to give forgers nothing."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def detail(self) -> str:
        return "Invalid webhook signature"


class MissingEventId(RuleViolation):
    @property
    def detail(self) -> str:
        return "Missing X-Event-Id header"


class InvalidEventId(RuleViolation):
    @property
    def detail(self) -> str:
        return (
            "Invalid X-Event-Id header: expected one id of 1 to 255 visible ASCII characters, "
            "no commas"
        )


class EventAlreadyProcessed(RuleViolation):
    def __init__(self, event_id: str):
        super().__init__(event_id)
        self.event_id = event_id

    @property
    def detail(self) -> dict:
        return {"error": "Event already processed", "event_id": self.event_id}


class PaymentRejected(ResourceConflict):
    """A payment event that was recorded for staff review but did not pay the order."""


class OrderNotPayable(PaymentRejected):
    def __init__(self, *, order_id: int, current_status: str):
        super().__init__(order_id, current_status)
        self.order_id = order_id
        self.current_status = current_status

    @property
    def detail(self) -> dict:
        return {
            "error": "Order not payable",
            "order_id": self.order_id,
            "current_status": self.current_status,
        }


class PaymentAmountMismatch(PaymentRejected):
    """`currency` is the one received, so a wrong currency shows next to an equal amount."""

    def __init__(self, *, order_id: int, expected: Decimal, received: Decimal, currency: str):
        super().__init__(order_id, expected, received, currency)
        self.order_id = order_id
        self.expected = expected
        self.received = received
        self.currency = currency

    @property
    def detail(self) -> dict:
        return {
            "error": "Payment amount mismatch",
            "order_id": self.order_id,
            "expected": self.expected,
            "received": self.received,
            "currency": self.currency,
        }
