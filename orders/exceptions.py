"""Typed order errors; each carries its facts and states the contract's `detail` once."""

from webstore.api.exceptions import ResourceNotFound, RuleViolation


class OrderNotFound(ResourceNotFound):
    message = "Order with ID {order_id} not found"


class InvalidStatusTransition(RuleViolation):
    error = "Invalid status transition"
    facts = ("current_status", "requested_status")
    message = "Cannot transition from {current_status} to {requested_status}"


class OrderNotCancelable(RuleViolation):
    error = "Order cannot be canceled"
    facts = ("order_id", "current_status")
    shown = ("current_status",)
    message = "Orders with status {current_status} cannot be canceled"
