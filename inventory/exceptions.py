"""Typed inventory errors; each carries its facts and states the contract's `detail` once."""

from webstore.api.exceptions import (
    DomainError,
    PreconditionFailed,
    ResourceConflict,
    ResourceNotFound,
)


class ProductNotFound(ResourceNotFound):
    message = "Product with ID {product_id} not found"


class SkuConflict(ResourceConflict):
    message = "Product with SKU '{sku}' already exists"


class InsufficientStock(ResourceConflict):
    error = "Insufficient stock"
    facts = ("requested", "available", "product_id")


class ProductChanged(PreconditionFailed):
    """The product no longer has the version (ETag) the client based its change on."""

    message = (
        "Product with ID {product_id} has changed since it was read (If-Match does not match "
        "its ETag); read it again and retry."
    )


class _BulkRejected(DomainError):
    """Errors of a bulk request: `errors` maps the index of each failing item to its error."""

    facts = ("errors",)

    @property
    def detail(self) -> dict:
        return {str(index): error.detail for index, error in sorted(self.errors.items())}


class BulkProductsNotFound(_BulkRejected, ResourceNotFound):
    """Some items name products that do not exist (or are archived)."""


class BulkSkuConflict(_BulkRejected, ResourceConflict):
    """Some items would give a SKU to two live products."""
