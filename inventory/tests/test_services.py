"""Inventory services against the real database: every stock change lands in the ledger."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from inventory.exceptions import InsufficientStock, ProductChanged, ProductNotFound, SkuConflict
from inventory.models import Product, StockMovement
from inventory.selectors import product_get, product_version
from inventory.services import (
    product_archive,
    product_create,
    product_restore,
    product_update,
    stock_adjust,
)

pytestmark = pytest.mark.django_db


def ledger_sum(product: Product) -> int:
    return product.movements.aggregate(total=Sum("delta"))["total"]


def test_create_records_initial_stock_as_first_movement():
    product = product_create(sku="A-1", name="Apple", price=Decimal("1.50"), stock=7)
    movement = product.movements.get()
    assert (movement.delta, movement.reason, movement.actor) == (7, "initial", "api")


def test_create_refuses_a_live_duplicate_sku(product):
    with pytest.raises(SkuConflict) as caught:
        product_create(sku=product.sku, name="Other", price=Decimal("1.00"))
    assert caught.value.detail == "Product with SKU 'PROD-001' already exists"
    assert Product.objects.count() == 1


def test_update_changes_only_given_fields_and_ledgers_stock(product):
    updated = product_update(product_id=product.pk, changes={"stock": 45, "price": Decimal("5.00")})
    product.refresh_from_db()
    assert (product.name, product.price, product.stock) == ("Laptop", Decimal("5.00"), 45)
    assert updated.stock == 45
    adjustment = product.movements.filter(reason=StockMovement.Reason.ADJUSTMENT).get()
    assert adjustment.delta == -5
    assert ledger_sum(product) == 45


def test_update_to_same_stock_writes_no_movement(product):
    product_update(product_id=product.pk, changes={"stock": 50})
    assert product.movements.count() == 1


def test_update_to_a_taken_sku_conflicts(make_product, product):
    other = make_product(sku="OTHER")
    with pytest.raises(SkuConflict):
        product_update(product_id=other.pk, changes={"sku": product.sku})
    other.refresh_from_db()
    assert other.sku == "OTHER"


def test_archive_hides_product_and_frees_its_sku(product):
    product_archive(product_id=product.pk)
    with pytest.raises(ProductNotFound):
        product_get(product_id=product.pk)
    replacement = product_create(sku="PROD-001", name="New", price=Decimal("1.00"))
    assert replacement.pk != product.pk


def test_restore_refuses_when_sku_was_reused(product):
    product_archive(product_id=product.pk)
    product_create(sku="PROD-001", name="New", price=Decimal("1.00"))
    with pytest.raises(SkuConflict):
        product_restore(product_id=product.pk)
    product.refresh_from_db()
    assert product.is_archived


def test_restore_brings_product_back(product):
    product_archive(product_id=product.pk)
    product_restore(product_id=product.pk)
    assert product_get(product_id=product.pk).archived_at is None


def test_stock_adjust_below_zero_is_refused_and_changes_nothing(product):
    with pytest.raises(InsufficientStock) as caught:
        stock_adjust(product_id=product.pk, delta=-51, reason="adjustment", actor="alice")
    assert caught.value.detail == {
        "error": "Insufficient stock",
        "requested": 51,
        "available": 50,
        "product_id": product.pk,
    }
    product.refresh_from_db()
    assert product.stock == 50
    assert product.movements.count() == 1


def test_stock_adjust_records_actor_reason_and_note(product):
    movement = stock_adjust(
        product_id=product.pk, delta=5, reason="restock", actor="alice", note="delivery 42"
    )
    product.refresh_from_db()
    assert product.stock == 55
    assert (movement.delta, movement.reason, movement.actor, movement.note) == (
        5,
        "restock",
        "alice",
        "delivery 42",
    )
    assert ledger_sum(product) == 55


def test_update_compares_expected_versions_under_the_lock(product):
    current = product_version(product)
    updated = product_update(
        product_id=product.pk, changes={"name": "Mine"}, expected_versions={"other", current}
    )
    assert updated.name == "Mine"
    with pytest.raises(ProductChanged) as refused:
        product_update(product_id=product.pk, changes={"stock": 1}, expected_versions={current})
    assert refused.value.product_id == product.pk
    product.refresh_from_db()
    assert (product.name, product.stock) == ("Mine", 50)


def test_update_knows_no_http_wildcard(product):
    """`If-Match: *` is the HTTP layer's to read (it asks for no version at all)."""
    with pytest.raises(ProductChanged):
        product_update(product_id=product.pk, changes={"name": "X"}, expected_versions={"*"})
