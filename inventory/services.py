"""Every write to products and stock. Each function is atomic and keeps the ledger exact."""
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from inventory.exceptions import (
    BulkProductsNotFound,
    BulkSkuConflict,
    InsufficientStock,
    ProductChanged,
    ProductNotFound,
    SkuConflict,
)
from inventory.models import API_ACTOR, Product, StockMovement
from inventory.selectors import product_get

# Fields a product update may change; stock changes become ledger adjustments.
UPDATABLE_FIELDS = frozenset({"sku", "name", "price", "stock"})


def _sku_taken(*, sku: str, exclude_pk: int | None = None) -> bool:
    return Product.objects.live().filter(sku=sku).exclude(pk=exclude_pk).exists()


@transaction.atomic
def product_create(
    *, sku: str, name: str, price: Decimal, stock: int = 0, actor: str = API_ACTOR
) -> Product:
    """Creates a live product and records its initial stock; raises SkuConflict."""
    if _sku_taken(sku=sku):
        raise SkuConflict(sku)
    try:
        # The savepoint keeps the outer transaction usable when a concurrent create won the
        # race to the unique index; that loser gets the same 409 as the pre-check.
        with transaction.atomic():
            product = Product.objects.create(sku=sku, name=name, price=price, stock=stock)
    except IntegrityError:
        raise SkuConflict(sku) from None
    StockMovement.objects.create(
        product=product, delta=stock, reason=StockMovement.Reason.INITIAL, actor=actor
    )
    return product


@transaction.atomic
def product_update(
    *,
    product_id: int,
    changes: Mapping[str, Any],
    actor: str = API_ACTOR,
    note: str = "",
    expected_versions: Collection[str] | None = None,
) -> Product:
    """Applies a partial update; a new stock count is written as a ledger adjustment.

    With `expected_versions` (the API's If-Match), the update happens only if the locked row
    still has one of those versions (`*` matches any). Raises ProductNotFound, ProductChanged
    or SkuConflict.
    """
    unexpected = changes.keys() - UPDATABLE_FIELDS
    if unexpected:
        raise ValueError(f"Not updatable: {sorted(unexpected)}")
    product = product_get(product_id=product_id, for_update=True)
    if expected_versions is not None and not (
        "*" in expected_versions or product.version in expected_versions
    ):
        raise ProductChanged(product.pk)
    new_sku = changes.get("sku", product.sku)
    if new_sku != product.sku and _sku_taken(sku=new_sku, exclude_pk=product.pk):
        raise SkuConflict(new_sku)
    catalog_fields = [field for field in ("sku", "name", "price") if field in changes]
    if catalog_fields:
        for field in catalog_fields:
            setattr(product, field, changes[field])
        try:
            with transaction.atomic():
                product.save(update_fields=[*catalog_fields, "updated_at"])
        except IntegrityError:
            raise SkuConflict(new_sku) from None
    if "stock" in changes and changes["stock"] != product.stock:
        stock_move(
            product=product,
            delta=changes["stock"] - product.stock,
            reason=StockMovement.Reason.ADJUSTMENT,
            actor=actor,
            note=note,
        )
    return product


@transaction.atomic
def product_bulk_create(*, items: Sequence[Mapping[str, Any]], actor: str = API_ACTOR) -> list[Product]:
    """Creates every product or none, each through product_create (ledger included).

    Every conflicting item is reported, by index: BulkSkuConflict.
    """
    products, conflicts = [], {}
    for index, item in enumerate(items):
        try:
            products.append(product_create(**item, actor=actor))
        except SkuConflict as exc:
            conflicts[index] = exc
    if conflicts:
        raise BulkSkuConflict(conflicts)
    return products


@transaction.atomic
def product_bulk_update(
    *, updates: Sequence[tuple[int, Mapping[str, Any]]], actor: str = API_ACTOR
) -> list[Product]:
    """Applies `(product_id, changes)` pairs in order, all or nothing, through product_update.

    Rows are locked up front in id order, so two bulk updates cannot deadlock. Stock changes
    become ledger adjustments. Every failing item is reported, by index: BulkProductsNotFound
    if any product is missing or archived, else BulkSkuConflict.
    """
    ids = sorted({product_id for product_id, _ in updates})
    list(Product.objects.live().select_for_update().filter(pk__in=ids).order_by("pk"))
    products, errors = [], {}
    for index, (product_id, changes) in enumerate(updates):
        try:
            products.append(product_update(product_id=product_id, changes=changes, actor=actor))
        except (ProductNotFound, SkuConflict) as exc:
            errors[index] = exc
    if any(isinstance(error, ProductNotFound) for error in errors.values()):
        raise BulkProductsNotFound(errors)
    if errors:
        raise BulkSkuConflict(errors)
    return products


@transaction.atomic
def product_archive(*, product_id: int) -> Product:
    """Archives a live product (the API's DELETE); its SKU becomes free. Raises ProductNotFound."""
    product = product_get(product_id=product_id, for_update=True)
    product.archived_at = timezone.now()
    product.save(update_fields=["archived_at", "updated_at"])
    return product


@transaction.atomic
def product_restore(*, product_id: int) -> Product:
    """Brings an archived product back; raises SkuConflict if its SKU was reused meanwhile."""
    product = product_get(product_id=product_id, for_update=True, archived_ok=True)
    if not product.is_archived:
        return product
    if _sku_taken(sku=product.sku):
        raise SkuConflict(product.sku)
    product.archived_at = None
    product.save(update_fields=["archived_at", "updated_at"])
    return product


@transaction.atomic
def stock_adjust(
    *, product_id: int, delta: int, reason: str, actor: str = API_ACTOR, note: str = ""
) -> StockMovement:
    """Locks the product and applies a signed stock change with its ledger row.

    Raises ProductNotFound, or InsufficientStock when the change would go below zero.
    """
    product = product_get(product_id=product_id, for_update=True, archived_ok=True)
    return stock_move(product=product, delta=delta, reason=reason, actor=actor, note=note)


def stock_move(
    *,
    product: Product,
    delta: int,
    reason: str,
    actor: str = API_ACTOR,
    order_id: int | None = None,
    note: str = "",
) -> StockMovement:
    """Applies a signed change to a product row the caller holds locked, and records it.

    The decrement is guarded in SQL (`stock >= -delta`), so stock cannot go negative even if a
    caller forgot the lock. Raises InsufficientStock. Must run inside a transaction.
    """
    updated = Product.objects.filter(pk=product.pk, stock__gte=-delta).update(
        stock=F("stock") + delta, updated_at=timezone.now()
    )
    if not updated:
        raise InsufficientStock(product_id=product.pk, requested=-delta, available=product.stock)
    product.stock += delta
    return StockMovement.objects.create(
        product=product, delta=delta, reason=reason, order_id=order_id, actor=actor, note=note
    )
