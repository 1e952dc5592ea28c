"""Typed order errors; each carries its facts and states the contract's `detail`."""

from webstore.api.exceptions import ResourceNotFound, RuleViolation


class OrderNotFound(ResourceNotFound):
    def __init__(self, order_id):
        super().__init__(order_id)
        self.order_id = order_id

    @property
    def detail(self) -> str:
        return f"Order with ID {self.order_id} not found"


class InvalidStatusTransition(RuleViolation):
    def __init__(self, *, current_status: str, requested_status: str):
        super().__init__(current_status, requested_status)
        self.current_status = current_status
        self.requested_status = requested_status

    @property
    def detail(self) -> dict:
        return {
            "error": "Invalid status transition",
            "current_status": self.current_status,
            "requested_status": self.requested_status,
            "message": f"Cannot transition from {self.current_status} to {self.requested_status}",
        }


class OrderNotCancelable(RuleViolation):
    def __init__(self, *, order_id: int, current_status: str):
        super().__init__(order_id, current_status)
        self.order_id = order_id
        self.current_status = current_status

    @property
    def detail(self) -> dict:
        return {
            "error": "Order cannot be canceled",
            "current_status": self.current_status,
            "message": f"Orders with status {self.current_status} cannot be canceled",
        }
