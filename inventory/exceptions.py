"""Typed inventory errors; each carries its facts and states the contract's `detail`."""

from collections.abc import Mapping

from webstore.api.exceptions import (
    DomainError,
    PreconditionFailed,
    ResourceConflict,
    ResourceNotFound,
)


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


class ProductChanged(PreconditionFailed):
    """The product no longer has the version (ETag) the client based its change on."""

    def __init__(self, product_id: int):
        super().__init__(product_id)
        self.product_id = product_id

    @property
    def detail(self) -> str:
        return (
            f"Product with ID {self.product_id} has changed since it was read (If-Match does "
            "not match its ETag); read it again and retry."
        )


class _BulkRejected:
    """Errors of a bulk request, keyed by the index of the item that caused them."""

    def __init__(self, errors: Mapping[int, DomainError]):
        super().__init__(dict(errors))
        self.errors = dict(errors)

    @property
    def detail(self) -> dict:
        return {str(index): error.detail for index, error in sorted(self.errors.items())}


class BulkProductsNotFound(_BulkRejected, ResourceNotFound):
    """Some items name products that do not exist (or are archived)."""


class BulkSkuConflict(_BulkRejected, ResourceConflict):
    """Some items would give a SKU to two live products."""
