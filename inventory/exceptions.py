"""Typed inventory errors; each carries its facts and states the contract's `detail`."""
from webstore.exceptions import ResourceConflict, ResourceNotFound


class ProductNotFound(ResourceNotFound):
    def __init__(self, product_id):
        super().__init__(product_id)
        self.product_id = product_id

    @property
    def detail(self) -> str:
        return f"Product with ID {self.product_id} not found"


class SkuConflict(ResourceConflict):
    def __init__(self, sku: str):
        super().__init__(sku)
        self.sku = sku

    @property
    def detail(self) -> str:
        return f"Product with SKU '{self.sku}' already exists"


class InsufficientStock(ResourceConflict):
    def __init__(self, *, product_id: int, requested: int, available: int):
        super().__init__(product_id, requested, available)
        self.product_id = product_id
        self.requested = requested
        self.available = available

    @property
    def detail(self) -> dict:
        return {
            "error": "Insufficient stock",
            "requested": self.requested,
            "available": self.available,
            "product_id": self.product_id,
        }
