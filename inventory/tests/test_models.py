"""Database-level rules: constraints hold even for writes that bypass the services."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from inventory.models import Product, StockMovement


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"price": Decimal("0")},
        {"price": Decimal("-1.00")},
        {"stock": -1},
    ],
    ids=["price-zero", "price-negative", "stock-negative"],
)
def test_check_constraints_reject_bad_rows(fields):
    values = {"sku": "X-1", "name": "X", "price": Decimal("1.00"), "stock": 0, **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(**values)
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_live_sku_is_unique_but_archived_sku_is_reusable():
    first = Product.objects.create(sku="DUP", name="A", price=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(sku="DUP", name="B", price=Decimal("1.00"))
    first.archived_at = timezone.now()
    first.save()
    second = Product.objects.create(sku="DUP", name="B", price=Decimal("1.00"))
    assert Product.objects.filter(sku="DUP").count() == 2
    assert list(Product.objects.live().filter(sku="DUP")) == [second]


@pytest.mark.django_db
def test_an_order_restocks_at_most_once_in_the_ledger(product):
    StockMovement.objects.create(product=product, delta=1, reason="order_canceled", order_id=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(product=product, delta=1, reason="order_canceled", order_id=7)
    assert StockMovement.objects.filter(order_id=7).count() == 1
