"""Every write to products and stock. Each function is atomic and keeps the ledger exact."""

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, F
from django.utils import timezone

from inventory.exceptions import (
    BulkProductsNotFound,
    BulkSkuConflict,
    InsufficientStock,
    ProductChanged,
    ProductNotFound,
    SkuConflict,
)
from inventory.metrics import INSUFFICIENT_STOCK, STOCK_MOVEMENTS
from inventory.models import API_ACTOR, Product, StockMovement, default_reorder_level
from inventory.selectors import (
    product_get,
    product_list_for_update,
    product_sku_taken,
    product_version,
)
from webstore.api.rows import Param, RowInsert, RowUpdate

logger = logging.getLogger("inventory")

# Fields a product update may change; stock changes become ledger adjustments.
UPDATABLE_FIELDS = frozenset({"sku", "name", "price", "reorder_level", "stock"})
CATALOG_FIELDS = ("sku", "name", "price", "reorder_level")

# The hot writes' statements, compiled once (webstore.api.rows).
_NEW_PRODUCT = RowInsert(
    Product,
    "sku",
    "name",
    "price",
    "stock",
    "reorder_level",
    "archived_at",
    "created_at",
    "updated_at",
)
_NEW_MOVEMENTS = RowInsert(
    StockMovement, "product_id", "delta", "reason", "order_id", "actor", "note", "created_at"
)
# The guarded stock change: never below zero, whatever the caller's lock.
_STOCK_MOVE = RowUpdate(
    lambda: (
        Product.objects.filter(pk=Param("id"), stock__gte=Param("needed")),
        {"stock": F("stock") + Param("delta"), "updated_at": Param("now", DateTimeField())},
    )
)


@transaction.atomic
def product_create(
    *,
    sku: str,
    name: str,
    price: Decimal,
    stock: int = 0,
    reorder_level: int | None = None,
    actor: str = API_ACTOR,
    reason: str = StockMovement.Reason.INITIAL,
    note: str = "",
) -> Product:
    """Creates a live product and records its starting stock; raises SkuConflict.

    `reorder_level` defaults to the LOW_STOCK_THRESHOLD setting; `reason` lets a CSV import
    record its products' starting stock as an `import` movement.
    """
    now = timezone.now()
    row = {
        "sku": sku,
        "name": name,
        "price": price,
        "stock": stock,
        "reorder_level": default_reorder_level() if reorder_level is None else reorder_level,
        "archived_at": None,
        "created_at": now,
        "updated_at": now,
    }
    try:
        # The unique index on live SKUs is the one check (a query first would only repeat it,
        # and still lose races). The savepoint keeps an outer transaction usable after a clash,
        # so a bulk create can report every conflicting item.
        with transaction.atomic():
            [product] = _NEW_PRODUCT.run([row])
    except IntegrityError:
        raise SkuConflict(sku) from None
    _ledger_write(
        [(product.pk, stock)], reason=reason, actor=actor, order_id=None, note=note, now=now
    )
    return product


@transaction.atomic
def product_update(
    *,
    product_id: int,
    changes: Mapping[str, Any],
    actor: str = API_ACTOR,
    note: str = "",
    stock_reason: str = StockMovement.Reason.ADJUSTMENT,
    expected_versions: Collection[str] | None = None,
) -> Product:
    """Locks a live product and applies a partial update; new stock is ledgered as `stock_reason`.

    With `expected_versions`, the update happens only if the locked row still has one of those
    versions (the HTTP layer turns If-Match into them). Raises ProductNotFound, ProductChanged
    or SkuConflict.
    """
    product = product_get(product_id=product_id, for_update=True)
    if expected_versions is not None and product_version(product) not in expected_versions:
        raise ProductChanged(product.pk)
    return _product_update_locked(
        product, changes=changes, actor=actor, note=note, stock_reason=stock_reason
    )


def _product_update_locked(
    product: Product,
    *,
    changes: Mapping[str, Any],
    actor: str,
    note: str = "",
    stock_reason: str = StockMovement.Reason.ADJUSTMENT,
) -> Product:
    # `product` is locked by the caller's transaction, so it is changed without a second read.
    unexpected = changes.keys() - UPDATABLE_FIELDS
    if unexpected:
        raise ValueError(f"Not updatable: {sorted(unexpected)}")
    catalog_fields = [field for field in CATALOG_FIELDS if field in changes]
    if catalog_fields:
        for field in catalog_fields:
            setattr(product, field, changes[field])
        try:
            # The unique index on live SKUs decides, as in product_create.
            with transaction.atomic():
                product.save(update_fields=[*catalog_fields, "updated_at"])
        except IntegrityError:
            raise SkuConflict(product.sku) from None
    if "stock" in changes and changes["stock"] != product.stock:
        stock_move(
            product=product,
            delta=changes["stock"] - product.stock,
            reason=stock_reason,
            actor=actor,
            note=note,
        )
    return product


@transaction.atomic
def product_bulk_create(
    *, items: Sequence[Mapping[str, Any]], actor: str = API_ACTOR
) -> list[Product]:
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
    """Applies `(product_id, changes)` pairs in order, all or nothing, like product_update.

    Rows are locked up front in id order, so two bulk updates cannot deadlock, and each is
    updated from that one read. Stock changes become ledger adjustments. Every failing item is
    reported, by index: BulkProductsNotFound if any product is missing or archived, else
    BulkSkuConflict.
    """
    locked = product_list_for_update(product_ids={product_id for product_id, _ in updates})
    products, errors = [], {}
    for index, (product_id, changes) in enumerate(updates):
        product = locked.get(product_id)
        if product is None:
            errors[index] = ProductNotFound(product_id)
            continue
        try:
            products.append(_product_update_locked(product, changes=changes, actor=actor))
        except SkuConflict as exc:
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
    if product_sku_taken(sku=product.sku):
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


@transaction.atomic
def stock_set(
    *, product_id: int, count: int, reason: str, actor: str = API_ACTOR, note: str = ""
) -> StockMovement | None:
    """Locks the product and sets its stock to a counted number, recording the difference.

    The difference is taken under the lock, so a sale between reading the page and saving the
    count is not lost. Returns None when the count equals the stock (nothing to record).
    Raises ProductNotFound, or InsufficientStock for a negative count.
    """
    product = product_get(product_id=product_id, for_update=True, archived_ok=True)
    if count == product.stock:
        return None
    return stock_move(
        product=product, delta=count - product.stock, reason=reason, actor=actor, note=note
    )


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

    See stock_move_many; `product.stock` is updated too. Raises InsufficientStock. Must run
    inside a transaction.
    """
    [movement] = stock_move_many(
        moves=[(product.pk, delta)], reason=reason, actor=actor, order_id=order_id, note=note
    )
    product.stock += delta
    return movement


def stock_move_many(
    *,
    moves: Sequence[tuple[int, int]],
    reason: str,
    actor: str = API_ACTOR,
    order_id: int | None = None,
    note: str = "",
) -> list[StockMovement]:
    """Applies signed changes (product id, delta) to product rows the caller holds locked.

    One ledger row each. Each decrement is guarded in SQL (`stock >= -delta`), so stock cannot
    go negative even if a caller forgot the lock; the ledger rows are written in one insert.
    Raises InsufficientStock for the first change that would go below zero. Must run inside a
    transaction.
    """
    now = timezone.now()
    for product_id, delta in moves:
        if not _STOCK_MOVE.run({"id": product_id, "needed": -delta, "delta": delta, "now": now}):
            available = Product.objects.filter(pk=product_id).values_list("stock", flat=True)
            raise stock_insufficient(
                product_id=product_id, requested=-delta, available=available.first()
            )
    return _ledger_write(moves, reason=reason, actor=actor, order_id=order_id, note=note, now=now)


def _ledger_write(
    moves: Sequence[tuple[int, int]],
    *,
    reason: str,
    actor: str,
    order_id: int | None,
    note: str,
    now: datetime,
) -> list[StockMovement]:
    # The ledger rows of changes already applied, in one INSERT; counted once they commit.
    movements = _NEW_MOVEMENTS.run(
        [
            {
                "product_id": product_id,
                "delta": delta,
                "reason": reason,
                "order_id": order_id,
                "actor": actor,
                "note": note,
                "created_at": now,
            }
            for product_id, delta in moves
        ]
    )
    _count_movement_on_commit(reason, len(movements))
    return movements


def stock_insufficient(*, product_id: int, requested: int, available: int) -> InsufficientStock:
    """Records a refused stock decrement (log line, counter) and returns the error to raise."""
    INSUFFICIENT_STOCK.inc()
    logger.warning(
        "stock_insufficient",
        extra={"product_id": product_id, "requested": requested, "available": available},
    )
    return InsufficientStock(product_id=product_id, requested=requested, available=available)


def _count_movement_on_commit(reason: str, count: int = 1) -> None:
    # Counted only once the ledger rows are durable: a rolled-back movement never happened.
    transaction.on_commit(lambda: STOCK_MOVEMENTS.labels(reason=reason).inc(count))
