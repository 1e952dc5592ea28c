"""Every write to products and stock. Each function is atomic and keeps the ledger exact."""
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from inventory.exceptions import InsufficientStock, SkuConflict
from inventory.models import API_ACTOR, Product, StockMovement
from inventory.selectors import product_get
from webstore.metrics import INSUFFICIENT_STOCK, STOCK_MOVEMENTS

logger = logging.getLogger("inventory")

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
    _count_movement_on_commit(StockMovement.Reason.INITIAL)
    return product


@transaction.atomic
def product_update(
    *, product_id: int, changes: Mapping[str, Any], actor: str = API_ACTOR, note: str = ""
) -> Product:
    """Applies a partial update; a new stock count is written as a ledger adjustment.

    Raises ProductNotFound or SkuConflict.
    """
    unexpected = changes.keys() - UPDATABLE_FIELDS
    if unexpected:
        raise ValueError(f"Not updatable: {sorted(unexpected)}")
    product = product_get(product_id=product_id, for_update=True)
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
        raise stock_insufficient(product=product, requested=-delta)
    product.stock += delta
    movement = StockMovement.objects.create(
        product=product, delta=delta, reason=reason, order_id=order_id, actor=actor, note=note
    )
    _count_movement_on_commit(reason)
    return movement


def stock_insufficient(*, product: Product, requested: int) -> InsufficientStock:
    """Records a refused stock decrement (log line, counter) and returns the error to raise."""
    INSUFFICIENT_STOCK.inc()
    logger.warning(
        "stock_insufficient",
        extra={"product_id": product.pk, "requested": requested, "available": product.stock},
    )
    return InsufficientStock(product_id=product.pk, requested=requested, available=product.stock)


def _count_movement_on_commit(reason: str) -> None:
    # Counted only once the ledger row is durable: a rolled-back movement never happened.
    transaction.on_commit(STOCK_MOVEMENTS.labels(reason=reason).inc)
